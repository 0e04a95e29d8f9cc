"""Live matrix slices inside articles.

The renderer stores `[[matrix a b]]` as an inert placeholder
(`<div class="matrix-slice" data-matrix-models="a b"></div>`); the table is filled in from current
data each time the article is shown, so an explainer never quotes a stale cell. Every slice on
the page is cut from one matrix of all the models named anywhere, so the cost is three queries
(models, features, cells) however many slices there are.
"""

import re

from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join

from models_catalog.matrix import (
    Group,
    Matrix,
    Row,
    all_features,
    build_matrix,
    models_by_slugs,
    parse_model_slugs,
)

# Matches the renderer's own (sanitized) output only; editors cannot type raw attributes here.
PLACEHOLDER = re.compile(
    r'<div class="matrix-slice" data-matrix-models="(?P<slugs>[^"<>]*)"></div>'
)


def find_placeholders(html):
    """[(placeholder_html, [slug, ...]), ...] in order of appearance, each placeholder once."""
    seen = {}
    for match in PLACEHOLDER.finditer(html or ""):
        if match.group(0) not in seen:
            seen[match.group(0)] = parse_model_slugs(match.group("slugs"))[0]
    return list(seen.items())


def _cut(matrix, models):
    """The columns of `matrix` for `models`, in that order (no queries)."""
    wanted = [m.pk for m in models]
    groups = []
    for group in matrix.groups:
        rows = []
        for row in group.rows:
            by_model = {cell.model.pk: cell for cell in row.cells}
            rows.append(Row(feature=row.feature, cells=[by_model[pk] for pk in wanted]))
        groups.append(Group(group=group.group, rows=rows))
    return Matrix(models=list(models), groups=groups)


def render_slices(html, show_warnings=False):
    """Map each placeholder in `html` to the HTML of its table (see fill_slices).

    Unknown model slugs are dropped; with `show_warnings` (staff) a visible note names them, so an
    editor can fix the short code. Readers just see the models that exist.
    """
    placeholders = find_placeholders(html)
    if not placeholders:
        return {}
    all_slugs = list(dict.fromkeys(slug for _, slugs in placeholders for slug in slugs))
    models, _unknown = models_by_slugs(all_slugs)
    by_slug = {m.slug: m for m in models}
    whole = build_matrix(models, all_features()) if models else Matrix(models=[], groups=[])
    rendered = {}
    for placeholder, slugs in placeholders:
        picked = [by_slug[s] for s in slugs if s in by_slug]
        unknown = [s for s in slugs if s not in by_slug]
        parts = []
        if show_warnings and (unknown or not slugs):
            parts.append(_warning(unknown))
        if picked:
            caption = "Comparison of " + ", ".join(m.name for m in picked)
            parts.append(
                render_to_string(
                    "articles/_partials/matrix_slice.html",
                    {"matrix": _cut(whole, picked), "caption": caption},
                )
            )
        rendered[placeholder] = "".join(parts)
    return rendered


def _warning(unknown):
    if not unknown:
        return format_html(
            '<p class="slice-warning" role="note"><strong>Editor note:</strong> this matrix short'
            " code names no models. Readers see nothing here.</p>"
        )
    names = format_html_join(", ", "<code>{}</code>", ((slug,) for slug in unknown))
    return format_html(
        '<p class="slice-warning" role="note"><strong>Editor note:</strong> no model with the'
        " slug {} — readers see only the models that exist. Only staff see this note.</p>",
        names,
    )


def fill_slices(html, slices):
    """Put each rendered slice in place of its placeholder; unknown placeholders become empty."""
    html = html or ""
    for placeholder, table in slices.items():
        html = html.replace(placeholder, table)
    return PLACEHOLDER.sub("", html)
