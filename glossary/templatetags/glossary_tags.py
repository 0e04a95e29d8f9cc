from django import template
from django.utils.safestring import mark_safe

from glossary.linking import link_terms_html

register = template.Library()


@register.filter
def link_terms(html):
    """Link the first mention of each glossary term in already-sanitized HTML.

    Input must be the renderer's sanitized output (body_html, description_html, help_html);
    the definitions added for tooltips are escaped by glossary.linking.
    """
    return mark_safe(link_terms_html(html))  # noqa: S308 - sanitized input, escaped additions


@register.filter
def link_terms_for(html, article):
    """Like link_terms, but honours an article's "link glossary terms" switch."""
    if article is not None and not getattr(article, "link_terms", True):
        return mark_safe(html)  # noqa: S308 - the renderer's sanitized output
    return link_terms(html)


@register.filter
def link_terms_except(html, slug):
    """Like link_terms, but never links the given term (a term's own page)."""
    return mark_safe(link_terms_html(html, exclude_slug=slug))  # noqa: S308 - as link_terms
