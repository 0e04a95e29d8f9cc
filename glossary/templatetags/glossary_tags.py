from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def link_terms(html):
    """Link the first mention of each glossary term in already-sanitized HTML.

    Placeholder until automatic linking lands: returns the sanitized HTML unchanged.
    """
    return mark_safe(html)  # noqa: S308 - input is the renderer's sanitized output
