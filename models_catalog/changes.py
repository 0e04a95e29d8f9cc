"""The public log of cell changes, read from the cells' history (django-simple-history).

Each history row is one saved version of a cell; the value it replaced is fetched in the same
query with a correlated subquery, so a page of changes costs one query whatever its length.
"""

from django.db.models import OuterRef, Subquery

from models_catalog.matrix import LABELS, SYMBOLS
from models_catalog.models import Assessment

HistoricalAssessment = Assessment.history.model


def cell_changes():
    """Every recorded version of every cell, newest first, with `previous_value` annotated."""
    previous = HistoricalAssessment.objects.filter(
        id=OuterRef("id"), history_date__lt=OuterRef("history_date")
    ).order_by("-history_date", "-history_id")
    return (
        HistoricalAssessment.objects.select_related("model", "feature")
        .annotate(previous_value=Subquery(previous.values("value")[:1]))
        .order_by("-history_date", "-history_id")
    )


def describe(value):
    """"✅ Yes" for a value, "—" for none (a cell's first version has no previous value)."""
    if not value:
        return "—"
    return f"{SYMBOLS.get(value, '')} {LABELS.get(value, value)}".strip()
