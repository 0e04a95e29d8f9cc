from django import template
from django.utils.safestring import mark_safe

from articles.slices import fill_slices as _fill_slices

register = template.Library()


@register.filter
def fill_slices(html, slices):
    """Replace matrix placeholders in an article's sanitized body_html with their live tables."""
    # body_html is the renderer's sanitized output and the tables are our own templates.
    return mark_safe(_fill_slices(str(html), slices or {}))  # noqa: S308
