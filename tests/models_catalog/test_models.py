import datetime

import pytest
from django.db import IntegrityError

from models_catalog.changes import cell_changes, describe
from models_catalog.models import Assessment, Value
from tests.factories import AIModelFactory, AssessmentFactory, FeatureFactory, LicenseFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 22)


def test_cell_older_than_the_review_interval_is_stale(settings):
    settings.KB_REVIEW_INTERVAL_DAYS = 180
    fresh = AssessmentFactory(verified_on=TODAY - datetime.timedelta(days=180))
    old = AssessmentFactory(verified_on=TODAY - datetime.timedelta(days=181))
    never = AssessmentFactory(verified_on=None)
    unknown = AssessmentFactory(value=Value.UNKNOWN, verified_on=None)
    assert not fresh.is_stale(TODAY)
    assert old.is_stale(TODAY) and never.is_stale(TODAY)
    assert not unknown.is_stale(TODAY)
    assert set(Assessment.objects.stale(TODAY)) == {old, never}


def test_one_cell_per_model_and_feature():
    cell = AssessmentFactory()
    with pytest.raises(IntegrityError):
        AssessmentFactory(model=cell.model, feature=cell.feature)


def test_cell_note_is_rendered_and_sanitized_on_save():
    cell = AssessmentFactory(note="**Yes**<script>alert(1)</script> [x](javascript:alert(1))")
    assert "<strong>Yes</strong>" in cell.note_html
    assert "<script" not in cell.note_html and "javascript:" not in cell.note_html


def test_model_description_and_licence_summary_are_rendered_on_save():
    model = AIModelFactory(description="<img src=x onerror=alert(1)> *open*",
                           license=LicenseFactory(summary="Allows **use**."))
    assert "<em>open</em>" in model.description_html and "onerror" not in model.description_html
    assert "<strong>use</strong>" in model.license.summary_html


def test_cell_permalink_points_at_the_anchor_on_the_model_page():
    cell = AssessmentFactory(model=AIModelFactory(slug="llama"), feature=FeatureFactory(slug="fine-tune"))
    assert cell.get_absolute_url() == "/models/llama/#cell-fine-tune"


def test_every_save_of_a_cell_is_kept_in_history_with_the_previous_value():
    cell = AssessmentFactory(value=Value.YES)
    cell.value = Value.PARTIAL
    cell.save()
    cell.value = Value.NO
    cell.save()
    changes = list(cell_changes())
    assert [(c.previous_value, c.value) for c in changes] == [
        ("partial", "no"), ("yes", "partial"), (None, "yes")
    ]


def test_describe_gives_symbol_and_text_for_every_value():
    assert describe("yes") == "✅ Yes"
    assert describe("n/a") == "– Not applicable"
    assert describe(None) == "—"
