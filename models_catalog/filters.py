"""The catalogue filters (django-filter) and the choice of matrix columns from a query string.

/models/, /matrix/, /matrix/export.csv and /api/matrix/ read the same query string through
`select_models`, so a URL copied from one of them means the same selection in the others. Nothing
a reader types raises: what cannot be used is dropped and reported in `Selection.ignored`.
"""

from dataclasses import dataclass, field

import django_filters
from django import forms
from django.db.models import Q

from models_catalog.matrix import all_features, models_by_slugs, parse_model_slugs
from models_catalog.models import AIModel, Assessment, Modality, Openness, Organization, Value

YES_NO = [("yes", "Yes"), ("no", "No")]
# Parameters /matrix/ understands besides the filters and the feature slugs.
MATRIX_PARAMS = {"models", "partial", "all", "page"}


class OrderingWithTieBreak(django_filters.OrderingFilter):
    """Sort as asked, then by name, so rows that tie (same organization) keep one order on
    every database instead of whatever order PostgreSQL happens to return."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, "name") if value else qs


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class AIModelFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search", max_length=100)
    openness = django_filters.ChoiceFilter(
        choices=Openness.choices, empty_label="Any", label="Openness"
    )
    organization = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.all(), to_field_name="slug", empty_label="Any"
    )
    modality = django_filters.ModelChoiceFilter(
        field_name="modalities",
        label="Modality",
        queryset=Modality.objects.all(),
        to_field_name="slug",
        empty_label="Any",
        distinct=True,
    )
    osi = django_filters.ChoiceFilter(
        choices=YES_NO, method="licence_flag", label="OSI-approved licence", empty_label="Any"
    )
    commercial = django_filters.ChoiceFilter(
        choices=YES_NO, method="licence_flag", label="Commercial use allowed", empty_label="Any"
    )
    year = YearFilter(
        field_name="release_date", lookup_expr="year", label="Release year",
        min_value=1900, max_value=2100,
    )  # fmt: skip
    sort = OrderingWithTieBreak(
        fields=(
            ("name", "name"),
            ("release_date", "released"),
            ("organization__name", "organization"),
            ("openness", "openness"),
            ("parameter_count", "parameters"),
        ),
        field_labels={
            "name": "Name",
            "release_date": "Release date",
            "organization__name": "Organization",
            "openness": "Openness",
            "parameter_count": "Parameters",
        },
        label="Sort by",
        empty_label="Name",
    )

    class Meta:
        model = AIModel
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(summary__icontains=value)
            | Q(family__icontains=value)
            | Q(organization__name__icontains=value)
        )

    def licence_flag(self, queryset, name, value):
        # A model without a licence allows nothing: it never matches "yes", always matches "no".
        lookup = {"osi": "license__osi_approved", "commercial": "license__allows_commercial_use"}
        flag = Q(**{lookup[name]: True})
        return queryset.filter(flag) if value == "yes" else queryset.exclude(flag)

    def ignored(self):
        """Human-readable notes for each filter value that was dropped."""
        notes = []
        for name, errors in self.form.errors.items():
            raw = str(self.data.get(name, ""))[:60]
            notes.append(f"{self.form.fields[name].label or name} “{raw}”: {' '.join(errors)}")
        return notes

    def is_active(self):
        data = getattr(self.form, "cleaned_data", {})
        return any(value not in (None, "", []) for key, value in data.items() if key != "sort")


def reserved_parameters():
    """Query-string names a feature slug must not take: ?<feature-slug>=yes would be misread."""
    return set(AIModelFilter.base_filters) | MATRIX_PARAMS | {"format"}


@dataclass
class Selection:
    filterset: AIModelFilter
    models: list
    features: list
    required: list = field(default_factory=list)
    partial_counts: bool = False
    picked: bool = False
    featured_only: bool = False
    ignored: list = field(default_factory=list)

    @property
    def required_slugs(self):
        return {f.slug for f in self.required}


def _flag(params, name):
    return params.get(name, "").lower() in {"1", "on", "yes", "true"}


def select_models(params, *, queryset=None, default="all", extra_params=()):
    """Resolve a query string into the models to show, in order.

    `default="featured"` shows the featured models when the reader asked for nothing in
    particular (the /matrix/ landing view); `"all"` shows every model (the exports).
    """
    if queryset is None:
        queryset = AIModel.objects.select_related("organization", "license")
    features = all_features()
    by_slug = {f.slug: f for f in features}
    filterset = AIModelFilter(params, queryset=queryset)
    ignored = filterset.ignored()
    known = set(filterset.filters) | MATRIX_PARAMS | set(extra_params)

    required, partial_counts = [], _flag(params, "partial")
    for key in list(params.keys())[:200]:
        if key in known:
            continue
        value = params.get(key, "")
        if key in by_slug:
            if value == Value.YES:
                required.append(by_slug[key])
            elif value not in ("", "any"):
                ignored.append(f"Requirement “{key}={value[:20]}”: only “yes” can be required.")
        else:
            ignored.append(f"Unknown parameter “{key[:40]}”.")

    qs = filterset.qs
    accepted = [Value.YES, Value.PARTIAL] if partial_counts else [Value.YES]
    for feature in required:
        qs = qs.filter(
            pk__in=Assessment.objects.filter(feature=feature, value__in=accepted).values("model_id")
        )

    # ?models=a,b and the catalogue's compare checkboxes (?models=a&models=b) mean the same.
    picked = params.getlist("models") if hasattr(params, "getlist") else [params.get("models")]
    slugs, malformed = parse_model_slugs(",".join(p for p in picked[:50] if p))
    ignored += [f"Model “{slug}” in ?models= is not a model slug." for slug in malformed]
    featured_only = False
    if slugs:
        models, missing = models_by_slugs(slugs, qs)
        ignored += [f"Model “{slug}” was not found or is filtered out." for slug in missing]
    else:
        if (
            default == "featured"
            and not filterset.is_active()
            and not required
            and not _flag(params, "all")
        ):
            qs = qs.filter(featured=True)
            featured_only = True
        models = list(qs)
    return Selection(
        filterset=filterset,
        models=models,
        features=features,
        required=required,
        partial_counts=partial_counts,
        picked=bool(slugs),
        featured_only=featured_only,
        ignored=ignored,
    )
