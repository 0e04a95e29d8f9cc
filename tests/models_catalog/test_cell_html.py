"""The Python cell renderer produces exactly what _partials/cell.html produces."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from models_catalog.cell_html import cell_html
from models_catalog.matrix import build_matrix
from models_catalog.models import Value
from tests.factories import AIModelFactory, AssessmentFactory, FeatureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cells():
    today = timezone.localdate()
    models = [AIModelFactory(name='Model <b>"&\'', slug="tricky"), AIModelFactory(name="Plain")]
    features = [FeatureFactory(name=f"Feature {i} <i>&") for i in range(7)]
    variants = [
        {"value": Value.YES, "note": "Weights **ship** <script>x</script>", "verified_on": today},
        {"value": Value.PARTIAL, "note": "", "sources": [], "verified_on": None},
        {"value": Value.NO, "verified_on": today - datetime.timedelta(days=400)},
        {"value": Value.UNKNOWN, "verified_on": None, "sources": []},
        {"value": Value.NOT_APPLICABLE,
         "sources": [{"url": "https://example.org/?a=1&b=<2>", "title": ""},
                     {"url": "https://example.org/x", "title": 'Vendor "card" & <notes>'}]},
        {"value": Value.YES, "verified_on": datetime.date(2026, 3, 5)},
    ]  # fmt: skip
    for model in models:
        for feature, variant in zip(features, variants, strict=False):
            AssessmentFactory(model=model, feature=feature, **variant)
    return build_matrix(models, features).cells  # the last feature stays unassessed


def test_python_cell_html_is_identical_to_the_template(cells):
    assert any(not c.assessed for c in cells)
    assert any(c.is_stale for c in cells)
    for cell in cells:
        expected = render_to_string("models_catalog/_partials/cell.html", {"cell": cell})
        assert str(cell_html(cell)) == expected, (cell.model.name, cell.feature.name)


def test_cell_html_escapes_names_and_sources(cells):
    html = "".join(str(cell_html(c)) for c in cells)
    assert "<b>" not in html and "<i>" not in html and "<notes>" not in html
    assert "<script>" not in html
