from django import template

from models_catalog.cell_html import cell_html as render_cell
from models_catalog.changes import describe

register = template.Library()


@register.filter
def value_text(value):
    """A cell value as symbol and text ("✅ Yes"), never a bare colour or code."""
    return describe(value)


@register.filter
def cell_html(cell):
    """A matrix cell's disclosure; the same markup as _partials/cell.html, built in Python."""
    return render_cell(cell)
