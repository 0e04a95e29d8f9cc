import pytest
from django.template.loader import render_to_string

from models_catalog.matrix import build_matrix, matrix_for_slugs, parse_model_slugs
from models_catalog.models import Value
from tests.factories import (
    AIModelFactory,
    AssessmentFactory,
    FeatureFactory,
    FeatureGroupFactory,
)

pytestmark = pytest.mark.django_db


def _grid(n_models, n_features):
    access = FeatureGroupFactory(name="Access", order=1)
    control = FeatureGroupFactory(name="Control", order=2)
    models = [AIModelFactory() for _ in range(n_models)]
    features = [
        FeatureFactory(group=access if i % 2 == 0 else control) for i in range(n_features)
    ]
    for model in models:
        for feature in features[:-1]:  # the last feature is never assessed
            AssessmentFactory(model=model, feature=feature, value=Value.PARTIAL)
    return models, features


def test_build_matrix_groups_rows_by_feature_group_in_order():
    models, features = _grid(2, 4)
    matrix = build_matrix(models)
    assert [g.group.name for g in matrix.groups] == ["Access", "Control"]
    assert sum(len(g.rows) for g in matrix.groups) == 4
    assert all(len(row.cells) == 2 for row in matrix.rows)


def test_build_matrix_keeps_the_given_model_order_and_marks_missing_cells():
    models, features = _grid(3, 3)
    reordered = [models[2], models[0]]
    matrix = build_matrix(reordered)
    row = matrix.rows[0]
    assert [c.model for c in row.cells] == reordered
    missing = [c for c in matrix.cells if c.feature == features[-1]]
    assert missing and all(not c.assessed and c.label == "Not assessed" for c in missing)
    present = [c for c in matrix.cells if c.assessed]
    assert all(c.value == "partial" and c.symbol == "◐" for c in present)


@pytest.mark.parametrize("size", [2, 8])
def test_build_matrix_uses_a_fixed_number_of_queries(size, django_assert_max_num_queries):
    models, _ = _grid(size, size)
    with django_assert_max_num_queries(2):
        matrix = build_matrix(models)
        render_to_string("models_catalog/_partials/matrix_table.html", {"matrix": matrix})


def test_matrix_for_slugs_reports_unknown_slugs_and_keeps_order():
    a = AIModelFactory(slug="alpha")
    b = AIModelFactory(slug="beta")
    matrix, unknown = matrix_for_slugs("beta ghost alpha")
    assert matrix.models == [b, a]
    assert unknown == ["ghost"]


def test_parse_model_slugs_ignores_malformed_and_duplicate_slugs():
    slugs, ignored = parse_model_slugs("a,,b, A!,a,<script>,c")
    assert slugs == ["a", "b", "c"]
    assert ignored == ["A!", "<script>"]


def test_parse_model_slugs_caps_the_number_of_columns():
    slugs, ignored = parse_model_slugs(",".join(f"m{i}" for i in range(40)), limit=30)
    assert len(slugs) == 30 and len(ignored) == 10


def test_matrix_table_shows_value_text_symbol_and_evidence():
    cell = AssessmentFactory(value=Value.NO, note="Weights are **not** published.")
    html = render_to_string(
        "models_catalog/_partials/matrix_table.html", {"matrix": build_matrix([cell.model])}
    )
    assert "❌" in html and "No" in html
    assert "<strong>not</strong>" in html
    assert "https://example.org/evidence" in html
    assert f'href="/models/{cell.model.slug}/#cell-{cell.feature.slug}"' in html
    assert "Openness" in html
