import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from models_catalog.models import Assessment, Value
from tests.admin_forms import form_data
from tests.factories import (
    AIModelFactory,
    AssessmentFactory,
    FeatureFactory,
    FeatureGroupFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = UserFactory(username="editor", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def grid():
    group = FeatureGroupFactory(name="Access")
    features = [FeatureFactory(name=n, group=group, order=i)
                for i, n in enumerate(["Run offline", "Fine-tune", "API access"])]
    model = AIModelFactory(name="Llama")
    AssessmentFactory(model=model, feature=features[0], value=Value.YES)
    return model, features


@pytest.mark.parametrize(
    "name",
    ["aimodel", "assessment", "feature", "featuregroup", "organization", "license", "modality",
     "accesschannel"],
)
def test_every_catalogue_admin_list_and_add_page_loads(client, editor, grid, name):
    assert client.get(reverse(f"admin:models_catalog_{name}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:models_catalog_{name}_add")).status_code == 200


def test_model_admin_shows_a_row_for_every_feature_with_missing_ones_prefilled(client, editor, grid):
    model, features = grid
    response = client.get(reverse("admin:models_catalog_aimodel_change", args=[model.pk]))
    formset = response.context["inline_admin_formsets"][0].formset
    assert len(formset.forms) == 3
    initial_features = [f.initial.get("feature") or f.instance.feature_id for f in formset.forms]
    assert sorted(initial_features) == sorted(f.pk for f in features)


def test_saving_a_model_unchanged_adds_no_cells(client, editor, grid):
    model, _ = grid
    url = reverse("admin:models_catalog_aimodel_change", args=[model.pk])
    response = client.post(url, form_data(client.get(url)))
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert Assessment.objects.filter(model=model).count() == 1


def test_filling_a_missing_row_creates_the_cell_verified_by_the_editor(client, editor, grid):
    model, features = grid
    url = reverse("admin:models_catalog_aimodel_change", args=[model.pk])
    data = form_data(client.get(url))
    formset = client.get(url).context["inline_admin_formsets"][0].formset
    index = next(i for i, f in enumerate(formset.forms) if f.initial.get("feature") == features[1].pk)
    data[f"{formset.prefix}-{index}-value"] = "partial"
    data[f"{formset.prefix}-{index}-note"] = "Only with a licence."
    data[f"{formset.prefix}-{index}-sources"] = "https://example.org/terms Terms"
    response = client.post(url, data)
    assert response.status_code == 302
    cell = Assessment.objects.get(model=model, feature=features[1])
    assert cell.value == "partial" and cell.verified_by == editor
    assert cell.sources == [{"url": "https://example.org/terms", "title": "Terms"}]
    assert cell.history.first().history_user == editor


def test_model_admin_rejects_a_bad_source_line(client, editor, grid):
    model, _ = grid
    url = reverse("admin:models_catalog_aimodel_change", args=[model.pk])
    data = form_data(client.get(url))
    data["assessments-0-sources"] = "not a url"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "must start with an http(s) URL" in response.content.decode()


def test_mark_verified_today_sets_date_and_editor(client, editor, grid):
    model, features = grid
    old = AssessmentFactory(model=model, feature=features[2],
                            verified_on=datetime.date(2020, 1, 1))
    response = client.post(
        reverse("admin:models_catalog_assessment_changelist"),
        {"action": "mark_verified_today", "_selected_action": [old.pk]},
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.verified_on == timezone.localdate() and old.verified_by == editor


def test_freshness_filter_lists_only_stale_cells(client, editor, grid):
    model, features = grid
    AssessmentFactory(model=model, feature=features[2], verified_on=datetime.date(2020, 1, 1))
    response = client.get(reverse("admin:models_catalog_assessment_changelist") + "?freshness=stale")
    rows = list(response.context["cl"].result_list)
    assert [r.feature for r in rows] == [features[2]]


def test_missing_cells_view_lists_unassessed_pairs(client, editor, grid):
    response = client.get(reverse("admin:models_catalog_assessment_missing"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Fine-tune, API access" in html
    assert "Missing cells" in client.get(
        reverse("admin:models_catalog_assessment_changelist")).content.decode()


def test_editing_a_cell_in_its_own_admin_records_the_editor_and_history(client, editor, grid):
    model, features = grid
    cell = model.assessments.get()
    url = reverse("admin:models_catalog_assessment_change", args=[cell.pk])
    data = {"model": model.pk, "feature": features[0].pk, "value": "no", "note": "Withdrawn.",
            "sources": "https://example.org/x", "verified_on": "2026-11-01"}
    assert client.post(url, data).status_code == 302
    cell.refresh_from_db()
    assert cell.value == "no" and cell.verified_by == editor
    history = client.get(reverse("admin:models_catalog_assessment_history", args=[cell.pk]))
    assert history.status_code == 200


def test_anonymous_visitors_cannot_reach_the_catalogue_admin(client, grid):
    response = client.get(reverse("admin:models_catalog_assessment_missing"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("name, field", [("aimodel", "description"), ("license", "summary"),
                                         ("feature", "help_text"), ("assessment", "note")])
def test_markdown_fields_get_the_live_preview_editor(client, editor, name, field):
    html = client.get(reverse(f"admin:models_catalog_{name}_add")).content.decode()
    assert re.search(rf'<textarea name="{field}"[^>]*class="[^"]*markdownx-editor', html)


def test_evidence_filter_lists_answers_without_sources(client, editor, grid):
    model, features = grid
    bare = AssessmentFactory(model=model, feature=features[1], value=Value.NO, sources=[])
    AssessmentFactory(model=model, feature=features[2], value=Value.UNKNOWN, sources=[])
    url = reverse("admin:models_catalog_assessment_changelist")
    missing = list(client.get(url + "?evidence=missing").context["cl"].result_list)
    assert missing == [bare]
    cited = list(client.get(url + "?evidence=cited").context["cl"].result_list)
    assert [c.feature for c in cited] == [features[0]]


def test_feature_admin_refuses_a_slug_that_is_a_filter_name(client, editor, grid):
    group = grid[1][0].group
    response = client.post(reverse("admin:models_catalog_feature_add"), {
        "name": "Models", "slug": "models", "group": group.pk, "order": 1,
        "question": "", "help_text": "",
    })
    assert response.status_code == 200
    assert "is a filter name on /matrix/" in response.content.decode()


def test_a_cell_saved_elsewhere_after_the_model_page_was_opened_is_not_overwritten(
    client, editor, grid
):
    model, features = grid
    url = reverse("admin:models_catalog_aimodel_change", args=[model.pk])
    data = form_data(client.get(url))
    cell = Assessment.objects.get(model=model, feature=features[0])
    assert data["assessments-0-version"] == str(cell.version)
    cell.note = "Re-checked from the cell's own page."
    cell.save()
    data["assessments-0-value"] = Value.NO

    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your changes were not saved" in page
    assert reverse("admin:models_catalog_assessment_history", args=[cell.pk]) in page
    cell.refresh_from_db()
    assert (cell.value, cell.note) == (Value.YES, "Re-checked from the cell's own page.")
