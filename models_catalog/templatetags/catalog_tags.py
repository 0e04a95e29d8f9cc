from django import template

from models_catalog.changes import describe

register = template.Library()


@register.filter
def value_text(value):
    """A cell value as symbol and text ("✅ Yes"), never a bare colour or code."""
    return describe(value)
