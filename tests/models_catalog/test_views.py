import csv
import datetime
import io

import pytest
from django.urls import reverse

from models_catalog.models import Openness, Value
from tests.factories import (
    AIModelFactory,
    ArticleFactory,
    AssessmentFactory,
    FeatureFactory,
    FeatureGroupFactory,
    LicenseFactory,
    ModalityFactory,
    OrganizationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    """Two open models and one closed one, three features in two groups."""
    access = FeatureGroupFactory(name="Access", order=1)
    control = FeatureGroupFactory(name="Control", order=2)
    offline = FeatureFactory(name="Run offline", slug="run-offline", group=access, order=1)
    api = FeatureFactory(name="API access", slug="api-access", group=access, order=2)
    tune = FeatureFactory(name="Fine-tune", slug="fine-tune", group=control, order=1)
    meta = OrganizationFactory(name="Meta")
    anthropic = OrganizationFactory(name="Anthropic")
    apache = LicenseFactory(name="Apache License 2.0", slug="apache-2-0")
    community = LicenseFactory(
        name="Llama Community License", slug="llama-community", osi_approved=False,
        allows_commercial_use=True,
    )
    text = ModalityFactory(name="Text")
    image = ModalityFactory(name="Image")
    llama = AIModelFactory(
        name="Llama", slug="llama", organization=meta, license=community,
        release_date=datetime.date(2024, 7, 23), featured=True,
    )
    llama.modalities.add(text)
    mistral = AIModelFactory(
        name="Mistral", slug="mistral", organization=meta, license=apache,
        release_date=datetime.date(2023, 9, 27), featured=False,
    )
    mistral.modalities.add(text, image)
    claude = AIModelFactory(
        name="Claude", slug="claude", organization=anthropic, license=None,
        openness=Openness.CLOSED, release_date=datetime.date(2023, 3, 14), featured=True,
    )
    claude.modalities.add(text)
    AssessmentFactory(model=llama, feature=offline, value=Value.YES, note="Weights run locally.")
    AssessmentFactory(model=llama, feature=tune, value=Value.YES)
    AssessmentFactory(model=mistral, feature=offline, value=Value.PARTIAL)
    AssessmentFactory(model=claude, feature=offline, value=Value.NO, note="API only.")
    AssessmentFactory(
        model=claude, feature=api, value=Value.YES,
        verified_on=datetime.date.today() - datetime.timedelta(days=400),
    )
    return {"llama": llama, "mistral": mistral, "claude": claude, "offline": offline,
            "api": api, "tune": tune, "apache": apache}


def names(response):
    return [m.name for m in response.context["matrix"].models]


def listed(response):
    return [m.name for m in response.context["models"]]


# --- /models/ -------------------------------------------------------------------------------


def test_model_list_shows_every_model_sorted_by_name(client, catalogue):
    response = client.get(reverse("models_catalog:model_list"))
    assert response.status_code == 200
    assert listed(response) == ["Claude", "Llama", "Mistral"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("openness=closed", ["Claude"]),
        ("organization=meta", ["Llama", "Mistral"]),
        ("modality=image", ["Mistral"]),
        ("osi=yes", ["Mistral"]),
        ("osi=no", ["Claude", "Llama"]),
        ("commercial=yes", ["Llama", "Mistral"]),
        ("year=2023", ["Claude", "Mistral"]),
        ("q=mist", ["Mistral"]),
        ("q=anthropic", ["Claude"]),
        ("sort=-released", ["Llama", "Mistral", "Claude"]),
        ("sort=organization", ["Claude", "Llama", "Mistral"]),
    ],
)
def test_model_list_filters_and_sorts_from_the_query_string(client, catalogue, query, expected):
    response = client.get(reverse("models_catalog:model_list") + "?" + query)
    assert response.status_code == 200
    assert listed(response) == expected


def test_model_list_keeps_filter_state_in_the_form(client, catalogue):
    response = client.get(reverse("models_catalog:model_list") + "?openness=closed&q=cla")
    html = response.content.decode()
    assert '<option value="closed" selected>' in html
    assert 'value="cla"' in html


@pytest.mark.parametrize(
    "query",
    ["openness=maybe", "organization=nobody", "year=abc", "sort=price", "osi=perhaps",
     "modality=%00", "q=%00", "q=" + "x" * 5000, "page=-3", "page=99999", "wat=1"],
)
def test_model_list_ignores_bad_filter_values_and_says_so(client, catalogue, query):
    response = client.get(reverse("models_catalog:model_list") + "?" + query)
    assert response.status_code == 200
    if not query.startswith("page="):
        assert "were ignored" in response.content.decode()
        assert len(listed(response)) == 3


def test_model_list_paginates_and_keeps_filters_in_page_links(client):
    for i in range(30):
        AIModelFactory(name=f"Open {i:02d}", openness=Openness.OPEN_SOURCE)
    response = client.get(reverse("models_catalog:model_list") + "?openness=open-source")
    assert len(listed(response)) == 24
    assert "openness=open-source&amp;page=2" in response.content.decode()
    page2 = client.get(reverse("models_catalog:model_list") + "?openness=open-source&page=2")
    assert len(listed(page2)) == 6


# --- /models/<slug>/ ------------------------------------------------------------------------


def test_model_page_shows_facts_cells_sources_and_stale_marker(client, catalogue):
    response = client.get(reverse("models_catalog:model_detail", args=["claude"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="cell-run-offline"' in html and 'id="cell-api-access"' in html
    assert 'id="cell-fine-tune"' in html and "not assessed this yet" in html
    assert "API only." in html
    assert "https://example.org/evidence" in html
    assert 'class="stale-flag"' in html
    assert "Anthropic" in html


def test_model_page_lists_only_published_explainers_that_mention_it(client, catalogue):
    ArticleFactory(title="Why Claude is closed").related_models.add(catalogue["claude"])
    ArticleFactory(title="Secret draft", draft=True).related_models.add(catalogue["claude"])
    html = client.get(reverse("models_catalog:model_detail", args=["claude"])).content.decode()
    assert "Why Claude is closed" in html
    assert "Secret draft" not in html


def test_model_page_shows_its_change_log(client, catalogue):
    cell = catalogue["claude"].assessments.get(feature__slug="run-offline")
    cell.value = Value.PARTIAL
    cell.note = "A new on-premises offer."
    cell.save()
    html = client.get(reverse("models_catalog:model_detail", args=["claude"])).content.decode()
    assert "❌ No → ◐ Partial" in html
    assert "A new on-premises offer." in html


def test_unknown_model_is_404(client, catalogue):
    assert client.get("/models/no-such-model/").status_code == 404


def test_licence_page_shows_what_it_allows_and_its_models(client, catalogue):
    response = client.get(reverse("models_catalog:license_detail", args=["apache-2-0"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "OSI-approved open-source licence" in html and "Mistral" in html
    assert client.get("/licenses/nope/").status_code == 404


# --- /matrix/ -------------------------------------------------------------------------------


def test_matrix_shows_featured_models_by_default(client, catalogue):
    response = client.get(reverse("models_catalog:matrix"))
    assert response.status_code == 200
    assert names(response) == ["Claude", "Llama"]
    html = response.content.decode()
    assert "Access" in html and "Control" in html
    assert "✅" in html and "❌" in html and "Openness" in html


def test_matrix_all_shows_every_model(client, catalogue):
    assert names(client.get("/matrix/?all=1")) == ["Claude", "Llama", "Mistral"]


def test_matrix_models_parameter_picks_columns_in_order(client, catalogue):
    response = client.get("/matrix/?models=mistral,claude")
    assert names(response) == ["Mistral", "Claude"]


def test_matrix_reports_malformed_and_unknown_models(client, catalogue):
    response = client.get("/matrix/?models=claude,,Bad!Slug,ghost")
    assert response.status_code == 200
    assert names(response) == ["Claude"]
    html = response.content.decode()
    assert "Bad!Slug" in html and "ghost" in html


def test_matrix_requirement_filters_keep_models_that_fit(client, catalogue):
    assert names(client.get("/matrix/?run-offline=yes")) == ["Llama"]
    assert names(client.get("/matrix/?run-offline=yes&partial=1")) == ["Llama", "Mistral"]
    assert names(client.get("/matrix/?run-offline=yes&fine-tune=yes")) == ["Llama"]


def test_matrix_requirement_form_is_rendered_with_current_choices(client, catalogue):
    html = client.get("/matrix/?run-offline=yes&partial=1").content.decode()
    assert 'name="run-offline" value="yes" checked' in html
    assert 'name="partial" value="1" checked' in html
    assert '<label for="req-fine-tune">' in html


def test_matrix_honours_catalogue_filters(client, catalogue):
    assert names(client.get("/matrix/?openness=open-weights")) == ["Llama", "Mistral"]


@pytest.mark.parametrize(
    "query",
    ["run-offline=maybe", "openness=%3Cscript%3E", "models=" + ",".join(["x"] * 500),
     "models=" + "a" * 3000, "partial=banana", "zzz=1&yyy=2", "fine-tune=yes&fine-tune=no"],
)
def test_matrix_survives_odd_query_strings(client, catalogue, query):
    response = client.get("/matrix/?" + query)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main")[1]


def test_too_many_parameters_is_a_400_not_a_500(client, catalogue):
    query = "&".join(f"p{i}=1" for i in range(1200))
    assert client.get("/matrix/?" + query).status_code == 400


# --- exports ---------------------------------------------------------------------------------


def test_csv_export_has_one_row_per_cell(client, catalogue):
    response = client.get(reverse("models_catalog:matrix_export_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["model", "feature", "value", "note", "sources", "verified_on"]
    assert len(rows) == 6
    assert ["llama", "run-offline", "yes", "Weights run locally.", "https://example.org/evidence",
            datetime.date.today().isoformat()] in rows


def test_csv_export_honours_filters(client, catalogue):
    response = client.get("/matrix/export.csv?openness=closed")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert {r[0] for r in rows[1:]} == {"claude"}


def test_api_matrix_has_the_product_shape(client, catalogue):
    data = client.get(reverse("models_catalog:matrix_api")).json()
    assert [f["slug"] for f in data["features"]] == ["run-offline", "api-access", "fine-tune"]
    assert data["features"][0]["group"] == "Access"
    llama = next(m for m in data["models"] if m["slug"] == "llama")
    assert llama["organization"] == "Meta"
    assert llama["license"] == "Llama Community License"
    assert llama["openness"] == "open-weights"
    assert llama["cells"]["run-offline"]["value"] == "yes"
    assert llama["cells"]["run-offline"]["sources"][0]["url"] == "https://example.org/evidence"
    assert "api-access" not in llama["cells"]


def test_api_matrix_honours_requirements_and_reports_ignored(client, catalogue):
    data = client.get("/api/matrix/?run-offline=yes&openness=bogus").json()
    assert [m["slug"] for m in data["models"]] == ["llama"]
    assert data["ignored"]


# --- changes ---------------------------------------------------------------------------------


def test_changes_page_lists_old_and_new_values(client, catalogue):
    cell = catalogue["llama"].assessments.get(feature__slug="fine-tune")
    cell.value = Value.PARTIAL
    cell.note = "Licence limits some uses."
    cell.save()
    response = client.get(reverse("models_catalog:matrix_changes"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "✅ Yes → ◐ Partial" in html
    assert "Licence limits some uses." in html
    assert "Added: ✅ Yes" in html


def test_changes_page_paginates(client, catalogue):
    cell = catalogue["llama"].assessments.get(feature__slug="fine-tune")
    for i in range(60):
        cell.note = f"Revision {i}"
        cell.save()
    page1 = client.get("/matrix/changes/")
    assert len(page1.context["page_obj"].object_list) == 50
    assert client.get("/matrix/changes/?page=2").status_code == 200
    assert client.get("/matrix/changes/?page=zz").status_code == 200


# --- query budgets ---------------------------------------------------------------------------


def _grow(n):
    group = FeatureGroupFactory(name="Transparency", order=3)
    features = [FeatureFactory(group=group) for _ in range(n)]
    for _ in range(n):
        model = AIModelFactory(featured=True)
        model.modalities.add(ModalityFactory(name="Text"))
        for feature in features:
            AssessmentFactory(model=model, feature=feature)
        ArticleFactory().related_models.add(model)


@pytest.mark.parametrize("extra", [0, 12])
@pytest.mark.parametrize(
    "url, budget",
    [
        ("/models/", 7),  # + the openness chart
        ("/models/?openness=open-weights&sort=-released&q=l", 7),
        ("/models/llama/", 10),  # includes the glossary linker's term list
        ("/matrix/", 6),
        ("/matrix/?run-offline=yes&partial=1&openness=open-weights", 6),
        ("/matrix/?models=llama,claude", 6),
        ("/matrix/export.csv", 6),
        ("/api/matrix/", 6),
        ("/matrix/changes/", 3),
        ("/matrix/changes/feed/", 2),
        ("/licenses/apache-2-0/", 3),
    ],
)
def test_public_pages_use_a_fixed_number_of_queries(
    client, catalogue, django_assert_max_num_queries, url, budget, extra
):
    _grow(extra)
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200


def test_catalogue_compare_checkboxes_pick_matrix_columns(client, catalogue):
    html = client.get(reverse("models_catalog:model_list")).content.decode()
    assert 'name="models" value="mistral"' in html
    response = client.get("/matrix/?models=mistral&models=claude")
    assert names(response) == ["Mistral", "Claude"]
