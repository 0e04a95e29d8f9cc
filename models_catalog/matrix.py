"""Build the comparison matrix (features as rows, models as columns) in a fixed number of queries.

Shared by /matrix/, the model page, the exports and the `[[matrix a b]]` slices in articles, so
every place that shows cells shows the same thing. Given an already evaluated list of models, it
costs two queries whatever the size: one for the features (skipped when the caller passes them)
and one for the cells.
"""

import re
from dataclasses import dataclass, field

from models_catalog.models import AIModel, Assessment, Feature, Value

# What a value looks like: a symbol beside its text, so colour is never the only signal.
SYMBOLS = {
    Value.YES: "✅",
    Value.PARTIAL: "◐",
    Value.NO: "❌",
    Value.UNKNOWN: "?",
    Value.NOT_APPLICABLE: "–",
}
LABELS = dict(Value.choices)
CSS_CLASSES = {value: value.replace("/", "") for value in Value.values}  # "n/a" -> "na"

# At most this many columns from ?models= or a slice; more is not a comparison anyone can read.
MAX_PICKED_MODELS = 30
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass
class Cell:
    model: AIModel
    feature: Feature
    assessment: Assessment | None = None

    @property
    def value(self):
        return self.assessment.value if self.assessment else Value.UNKNOWN

    @property
    def assessed(self):
        return self.assessment is not None

    @property
    def label(self):
        return LABELS[self.value] if self.assessment else "Not assessed"

    @property
    def symbol(self):
        return SYMBOLS[self.value]

    @property
    def css_class(self):
        return CSS_CLASSES[self.value]

    @property
    def is_stale(self):
        return bool(self.assessment and self.assessment.is_stale())


@dataclass
class Row:
    feature: Feature
    cells: list[Cell]


@dataclass
class Group:
    group: object
    rows: list[Row] = field(default_factory=list)


@dataclass
class Matrix:
    models: list[AIModel]
    groups: list[Group]

    @property
    def rows(self):
        return [row for group in self.groups for row in group.rows]

    @property
    def cells(self):
        return [cell for row in self.rows for cell in row.cells]

    def __bool__(self):
        return bool(self.models) and bool(self.groups)


def all_features():
    """Every feature in matrix order, with what the matrix shows beside it."""
    return list(Feature.objects.select_related("group", "term"))


def build_matrix(models, features=None):
    """Return a Matrix of `models` (kept in the given order) by `features` (default: all).

    Cells nobody has assessed yet are present, with `assessment=None`, so every row has one
    cell per model.
    """
    models = list(models)
    features = all_features() if features is None else list(features)
    assessments = {}
    if models and features:
        cells = Assessment.objects.filter(
            model__in=[m.pk for m in models], feature__in=[f.pk for f in features]
        ).select_related("verified_by")
        assessments = {(a.model_id, a.feature_id): a for a in cells}
    groups = []
    by_group = {}
    for feature in features:
        group = by_group.get(feature.group_id)
        if group is None:
            group = by_group[feature.group_id] = Group(group=feature.group)
            groups.append(group)
        cells = []
        for model in models:
            assessment = assessments.get((model.pk, feature.pk))
            if assessment is not None:
                # Spare the template a query per cell when it links the cell to its model.
                assessment.model = model
                assessment.feature = feature
            cells.append(Cell(model=model, feature=feature, assessment=assessment))
        group.rows.append(Row(feature=feature, cells=cells))
    return Matrix(models=models, groups=groups)


def parse_model_slugs(raw, limit=MAX_PICKED_MODELS):
    """Split "a,b c" into unique slugs in order; return (slugs, ignored) where ignored are the
    malformed ones and any beyond `limit`."""
    slugs, ignored = [], []
    for part in re.split(r"[,\s]+", (raw or "")[:2000]):
        if not part:
            continue
        if not SLUG_RE.match(part) or len(part) > 140:
            ignored.append(part[:40])
        elif part not in slugs:
            if len(slugs) >= limit:
                ignored.append(part)
            else:
                slugs.append(part)
    return slugs, ignored


def models_by_slugs(slugs, queryset=None):
    """Fetch the models named by `slugs` in that order; return (models, unknown_slugs)."""
    if queryset is None:
        queryset = AIModel.objects.select_related("organization", "license")
    found = {m.slug: m for m in queryset.filter(slug__in=slugs)}
    return [found[s] for s in slugs if s in found], [s for s in slugs if s not in found]


def matrix_for_slugs(slugs, features=None):
    """The matrix slice for `[[matrix a b]]`: (Matrix, unknown_slugs). At most three queries."""
    if isinstance(slugs, str):
        slugs, _ = parse_model_slugs(slugs)
    models, unknown = models_by_slugs(list(slugs)[:MAX_PICKED_MODELS])
    return build_matrix(models, features), unknown
