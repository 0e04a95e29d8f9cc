import datetime
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from models_catalog.importers import MatrixImportError, import_matrix, load_file, parse_csv
from models_catalog.models import (
    AccessChannel,
    AIModel,
    Assessment,
    Feature,
    FeatureGroup,
    License,
    Modality,
    Organization,
    Value,
)
from tests.factories import (
    AccessChannelFactory,
    AIModelFactory,
    AssessmentFactory,
    FeatureFactory,
    FeatureGroupFactory,
    LicenseFactory,
    ModalityFactory,
    OrganizationFactory,
    TermFactory,
)

pytestmark = pytest.mark.django_db

MINIMAL = {
    "features": [{"slug": "download-weights", "name": "Download model weights", "group": "Access"}],
    "models": [
        {"slug": "llama-3-1", "name": "Llama 3.1", "organization": "Meta",
         "license": "Llama 3.1 Community License", "openness": "open-weights",
         "cells": {"download-weights": {"value": "yes", "note": "Weights are on request.",
                                        "sources": ["https://llama.meta.com/"],
                                        "verified_on": "2026-11-01"}}}
    ],
}


def rich():
    return {
        "licenses": [{"name": "Apache License 2.0", "slug": "apache-2-0", "spdx_id": "Apache-2.0",
                      "url": "https://www.apache.org/licenses/LICENSE-2.0", "osi_approved": True,
                      "allows_commercial_use": True, "allows_modification": True,
                      "allows_redistribution": True, "summary": "Do *almost* anything."}],
        "organizations": [{"name": "Mistral AI", "slug": "mistral-ai", "url": "https://mistral.ai/"}],
        "groups": [{"name": "Access", "slug": "access", "order": 1},
                   {"name": "Control", "slug": "control", "order": 2}],
        "features": [
            {"slug": "run-offline", "name": "Run offline", "group": "Access", "order": 2,
             "question": "Can it run without a network?", "help_text": "Local *inference*.",
             "term": "inference"},
            {"slug": "fine-tune", "name": "Fine-tune", "group": "Control", "order": 1},
        ],
        "models": [
            {"slug": "mistral-7b", "name": "Mistral 7B", "organization": "Mistral AI",
             "license": "Apache License 2.0", "openness": "open-weights", "family": "Mistral",
             "base_model": None, "release_date": "2023-09-27", "modalities": ["Text"],
             "parameter_count": 7300000000, "access_channels": ["Downloadable weights", "API"],
             "summary": "A small open model.", "description": "Runs on a **laptop**.",
             "homepage_url": "https://mistral.ai/", "featured": True,
             "cells": {
                 "run-offline": {"value": "yes", "note": "Runs locally.",
                                 "sources": [{"url": "https://mistral.ai/news", "title": "News"}],
                                 "verified_on": "2026-11-01"},
                 "fine-tune": {"value": "partial"},
             }},
            {"slug": "mistral-7b-instruct", "name": "Mistral 7B Instruct",
             "organization": "Mistral AI", "license": "Apache License 2.0",
             "openness": "open-weights", "base_model": "mistral-7b", "cells": {}},
        ],
    }


def history_count():
    return Assessment.history.count()


def test_minimal_product_shape_creates_everything_missing():
    report = import_matrix(MINIMAL)
    model = AIModel.objects.get(slug="llama-3-1")
    assert model.organization.name == "Meta" and model.organization.slug == "meta"
    assert model.license.name == "Llama 3.1 Community License"
    feature = Feature.objects.get(slug="download-weights")
    assert feature.group.name == "Access"
    cell = Assessment.objects.get(model=model, feature=feature)
    assert cell.value == Value.YES
    assert cell.sources == [{"url": "https://llama.meta.com/", "title": ""}]
    assert cell.verified_on == datetime.date(2026, 11, 1)
    assert report.created["cells"] == 1


def test_rich_shape_sets_licences_groups_terms_and_base_models():
    TermFactory(term="Inference", slug="inference")
    import_matrix(rich())
    lic = License.objects.get(slug="apache-2-0")
    assert lic.osi_approved and lic.spdx_id == "Apache-2.0" and "<em>almost</em>" in lic.summary_html
    assert FeatureGroup.objects.get(slug="control").order == 2
    feature = Feature.objects.get(slug="run-offline")
    assert feature.term.slug == "inference" and feature.order == 2
    model = AIModel.objects.get(slug="mistral-7b")
    assert model.parameter_count == 7300000000 and model.featured
    assert [m.name for m in model.modalities.all()] == ["Text"]
    assert set(model.access_channels.values_list("name", flat=True)) == {"Downloadable weights", "API"}
    assert AIModel.objects.get(slug="mistral-7b-instruct").base_model == model
    assert Assessment.objects.get(model=model, feature__slug="fine-tune").value == "partial"


def test_unknown_glossary_term_is_ignored():
    data = rich()
    data["features"][0]["term"] = "no-such-term"
    import_matrix(data)
    assert Feature.objects.get(slug="run-offline").term is None


def test_second_import_changes_nothing_and_adds_no_history():
    import_matrix(rich())
    before = history_count()
    stamps = list(AIModel.objects.values_list("updated_at", flat=True))
    report = import_matrix(rich())
    assert not report.changed
    assert str(report).startswith("Nothing to change")
    assert history_count() == before
    assert list(AIModel.objects.values_list("updated_at", flat=True)) == stamps


def test_changed_cell_is_updated_with_one_history_row():
    import_matrix(rich())
    before = history_count()
    data = rich()
    data["models"][0]["cells"]["fine-tune"] = {"value": "yes", "note": "Now documented."}
    report = import_matrix(data)
    assert report.updated == {"cells": 1}
    assert history_count() == before + 1
    cell = Assessment.objects.get(model__slug="mistral-7b", feature__slug="fine-tune")
    assert cell.value == "yes" and cell.note == "Now documented."


def test_absent_optional_keys_keep_what_the_database_has():
    import_matrix(rich())
    import_matrix({"models": [{"slug": "mistral-7b", "cells": {"fine-tune": {"value": "no"}}}]})
    model = AIModel.objects.get(slug="mistral-7b")
    assert model.summary == "A small open model." and model.featured
    cell = Assessment.objects.get(model=model, feature__slug="run-offline")
    assert cell.note == "Runs locally."


def test_invalid_value_changes_nothing_and_says_where_and_why():
    data = rich()
    data["models"][1]["cells"] = {"run-offline": {"value": "maybe"}}
    with pytest.raises(MatrixImportError) as exc:
        import_matrix(data)
    assert exc.value.errors == [
        "models[1].cells.run-offline.value: 'maybe' is not one of yes, partial, no, unknown, n/a"
    ]
    assert not AIModel.objects.exists()
    assert not Organization.objects.exists() and not License.objects.exists()


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda d: d["models"][0].update(openness="ajar"), "models[0].openness: 'ajar' is not one of"),
        (lambda d: d["models"][0].update(release_date="2023-13-01"), "models[0].release_date:"),
        (lambda d: d["models"][0].update(homepage_url="javascript:alert(1)"), "models[0].homepage_url:"),
        (lambda d: d["models"][0].update(base_model="ghost"), "models[0].base_model: no model"),
        (lambda d: d["models"][0].update(slug="Not A Slug"), "models[0].slug:"),
        (lambda d: d["models"][0].update(parameter_count=-5), "models[0].parameter_count:"),
        (lambda d: d["models"][0].update(modalities="Text"), "models[0].modalities: must be a list"),
        (lambda d: d["models"][0].update(featured="yes"), "models[0].featured: must be true or false"),
        (lambda d: d["models"][0].update(name="x" * 500), "models[0].name: is 500 characters"),
        (lambda d: d["models"][0].pop("organization"), "models[0].organization: is required"),
        (lambda d: d["models"][0]["cells"].update({"teleport": {"value": "yes"}}),
         "models[0].cells.teleport: no feature with slug 'teleport'"),
        (lambda d: d["models"][0]["cells"]["run-offline"].update(sources=["ftp://x"]),
         "models[0].cells.run-offline.sources:"),
        (lambda d: d["models"][0]["cells"]["run-offline"].update(verified_on=20261101),
         "models[0].cells.run-offline.verified_on:"),
        (lambda d: d["models"].append(dict(d["models"][0])), "models[2].slug: model 'mistral-7b' appears twice"),
        (lambda d: d["features"][0].pop("group"), "features[0].group: is required"),
        (lambda d: d["licenses"][0].update(osi_approved="true"), "licenses[0].osi_approved:"),
        (lambda d: d.update(models="nope"), "models: must be a list"),
        (lambda d: d["models"].append(42), "models[2]: must be an object"),
    ],
)
def test_every_kind_of_invalid_entry_is_reported_and_nothing_is_written(mutate, expected):
    data = rich()
    mutate(data)
    with pytest.raises(MatrixImportError) as exc:
        import_matrix(data)
    assert any(error.startswith(expected) for error in exc.value.errors), exc.value.errors
    assert not AIModel.objects.exists() and not Feature.objects.exists()


def test_name_taken_by_another_model_is_an_error():
    AIModelFactory(name="Mistral 7B", slug="other")
    with pytest.raises(MatrixImportError) as exc:
        import_matrix(rich())
    assert "models[0].name: 'Mistral 7B' is already the name of model 'other'" in exc.value.errors


def test_top_level_must_be_an_object():
    with pytest.raises(MatrixImportError):
        import_matrix([1, 2])


# --- round trips -----------------------------------------------------------------------------


def _catalogue():
    access = FeatureGroupFactory(name="Access", order=1)
    transparency = FeatureGroupFactory(name="Transparency", order=3)
    weights = FeatureFactory(slug="download-weights", group=access, order=1,
                             term=TermFactory(slug="model-weights"))
    card = FeatureFactory(slug="model-card", group=transparency, order=4, help_text="*Docs*.")
    FeatureFactory(slug="never-assessed", group=access, order=9)
    meta = OrganizationFactory(name="Meta", url="https://ai.meta.com/")
    base = AIModelFactory(name="Llama 2", organization=meta, parameter_count=70_000_000_000,
                          license=LicenseFactory(name="Llama 2 Community License",
                                                 osi_approved=False))
    base.modalities.add(ModalityFactory(name="Text"))
    base.access_channels.add(AccessChannelFactory(name="API"),
                             AccessChannelFactory(name="Downloadable weights"))
    child = AIModelFactory(name="Code Llama", organization=meta, base_model=base, featured=False,
                           license=base.license, family="Llama", paper_url="https://arxiv.org/abs/1")
    closed = AIModelFactory(name="Claude", openness="closed", license=None,
                            organization=OrganizationFactory(name="Anthropic"))
    AssessmentFactory(model=base, feature=weights, value="yes", note="On *request*.",
                      sources=[{"url": "https://llama.meta.com/", "title": "Llama"},
                               {"url": "https://example.org/2", "title": ""}])
    AssessmentFactory(model=base, feature=card, value="partial", verified_on=None, sources=[])
    AssessmentFactory(model=child, feature=weights, value="n/a", note="")
    AssessmentFactory(model=closed, feature=weights, value="no",
                      verified_on=datetime.date(2025, 1, 2))


def _export(client, url="/api/matrix/"):
    return client.get(url).content.decode()


def _wipe():
    Assessment.objects.all().delete()
    AIModel.objects.update(base_model=None)
    AIModel.objects.all().delete()
    Feature.objects.all().delete()
    FeatureGroup.objects.all().delete()
    for model in (License, Organization, Modality, AccessChannel):
        model.objects.all().delete()


def test_json_export_then_import_into_an_empty_database_reproduces_the_matrix():
    _catalogue()
    client = Client()
    exported = _export(client)
    _wipe()
    assert not AIModel.objects.exists()
    report = import_matrix(json.loads(exported))
    assert report.created["cells"] == 4
    assert _export(client) == exported
    assert _export(client, "/matrix/export.csv") == _export(client, "/matrix/export.csv")
    assert not import_matrix(json.loads(exported)).changed


def test_csv_export_then_import_restores_cells_and_keeps_source_titles():
    _catalogue()
    client = Client()
    exported_json = _export(client)
    exported_csv = _export(client, "/matrix/export.csv")
    Assessment.objects.filter(feature__slug="model-card").delete()
    Assessment.objects.filter(value="no").update(value="yes", note="changed")
    report = import_matrix(parse_csv(exported_csv))
    assert report.created == {"cells": 1} and report.updated == {"cells": 1}
    restored = json.loads(_export(client))
    original = json.loads(exported_json)
    # Titles of a deleted cell's sources cannot come back from a CSV; every other cell does.
    assert restored == original


def test_csv_rows_for_unknown_models_are_reported_by_line():
    FeatureFactory(slug="run-offline")
    text = "model,feature,value,note,sources,verified_on\nghost,run-offline,yes,,,\n"
    with pytest.raises(MatrixImportError) as exc:
        import_matrix(parse_csv(text))
    assert exc.value.errors[0].startswith("line 2.model: no model with slug 'ghost'")


def test_csv_with_bad_value_names_the_line():
    AIModelFactory(slug="llama")
    FeatureFactory(slug="run-offline")
    text = "model,feature,value,note,sources,verified_on\nllama,run-offline,maybe,,,\n"
    with pytest.raises(MatrixImportError) as exc:
        import_matrix(parse_csv(text))
    assert exc.value.errors == [
        "line 2.value: 'maybe' is not one of yes, partial, no, unknown, n/a"
    ]


def test_csv_without_the_required_columns_is_refused():
    with pytest.raises(MatrixImportError, match="missing column"):
        parse_csv("name,score\nx,1\n")


# --- the command ---------------------------------------------------------------------------


def test_command_imports_a_json_file_and_is_idempotent(tmp_path, capsys):
    path = tmp_path / "matrix.json"
    path.write_text(json.dumps(rich()))
    call_command("import_matrix", str(path))
    assert "created" in capsys.readouterr().out
    call_command("import_matrix", str(path))
    assert "Nothing to change" in capsys.readouterr().out
    assert AIModel.objects.count() == 2


def test_command_dry_run_writes_nothing(tmp_path, capsys):
    path = tmp_path / "matrix.json"
    path.write_text(json.dumps(rich()))
    call_command("import_matrix", str(path), "--dry-run")
    assert "Dry run" in capsys.readouterr().out
    assert not AIModel.objects.exists()


def test_command_reports_invalid_entries_as_a_command_error(tmp_path):
    data = rich()
    data["models"][0]["cells"]["run-offline"]["value"] = "maybe"
    path = tmp_path / "matrix.json"
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError) as exc:
        call_command("import_matrix", str(path))
    assert "models[0].cells.run-offline.value: 'maybe'" in str(exc.value)
    assert "nothing was changed" in str(exc.value)
    assert not AIModel.objects.exists()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("broken.json", '{"models": [', "not valid JSON"),
        ("latin1.csv", b"model,feature,value\n\xff\xfe,x,yes\n", "UTF-8"),
        ("missing.json", None, "no such file"),
    ],
)
def test_command_reports_unreadable_files_without_a_traceback(tmp_path, name, content, message):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    with pytest.raises(CommandError, match=message):
        call_command("import_matrix", str(path))


def test_load_file_reads_csv_by_extension(tmp_path):
    path = tmp_path / "cells.csv"
    path.write_text("model,feature,value\nllama,run-offline,yes\n")
    data = load_file(path)
    assert data["models"][0]["cells"]["run-offline"]["value"] == "yes"


def test_feature_slug_that_is_a_filter_name_is_refused():
    data = rich()
    data["features"][1]["slug"] = "sort"
    with pytest.raises(MatrixImportError) as exc:
        import_matrix(data)
    assert "features[1].slug: 'sort' is reserved for a matrix filter parameter" in exc.value.errors
