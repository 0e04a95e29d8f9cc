"""One matrix cell as HTML, built in Python: the same markup as _partials/cell.html.

A matrix of 12 models × 60 features has 720 cells; through the template engine each costs
most of a millisecond (an include, a `with`, a dozen lookups and filters), which made the
default /matrix/ take over half a second to render. This builds the identical string in a few
tens of microseconds. _partials/cell.html stays the reference: tests render both and compare.
"""

from html import escape

from django.utils.dates import MONTHS_3
from django.utils.safestring import mark_safe

STALE_FLAG = ' <span class="stale-flag">stale</span>'
NOT_ASSESSED = (
    '<span class="value value--unknown"><span aria-hidden="true">?</span> Not assessed</span>'
)


def esc(value):
    """Django's escape (the same five characters), without its lazy-string machinery."""
    return escape(str(value))


def _human_date(day):
    """The date filter's "j M Y" ("5 Mar 2026") without the filter's per-call overhead."""
    return f"{day.day} {str(MONTHS_3[day.month]).title()} {day.year}"


def _model_url(model):
    # One reverse() per model, not per cell: a column shares its model.
    url = model.__dict__.get("_cell_url")
    if url is None:
        url = model.__dict__["_cell_url"] = model.get_absolute_url()
    return url


def _cite(cell, a):
    """The "cite this cell" line: model, feature, value, first source, verified date, URL."""
    source = ""
    if a.sources:
        first = a.sources[0]
        source = f", source: {esc(first.get('title') or first.get('url', ''))}"
    verified = f", verified {esc(_human_date(a.verified_on))}" if a.verified_on else ""
    return (
        f'<p class="cell__cite"><strong>Cite:</strong> Open vs Closed AI, '
        f"“{esc(cell.model.name)} — {esc(cell.feature.name)}: {esc(cell.label)}”"
        f"{source}{verified}, {esc(_model_url(cell.model))}#cell-{esc(cell.feature.slug)}</p>"
    )


def cell_html(cell):
    """The disclosure for `cell` (models_catalog.matrix.Cell), as safe HTML."""
    if not cell.assessed:
        return mark_safe("\n" + NOT_ASSESSED + "\n")  # noqa: S308 - constant markup
    a = cell.assessment
    stale = cell.is_stale
    note = f'<div class="cell__note">{a.note_html}</div>' if a.note_html else ""
    if a.sources:
        items = "".join(
            f'<li><a href="{esc(s.get("url", ""))}" rel="noopener nofollow">'
            f'{esc(s.get("title") or s.get("url", ""))}</a></li>'
            for s in a.sources
        )
        sources = f'<ul class="cell__sources">{items}</ul>'
    else:
        sources = '<p class="muted">No source cited yet.</p>'
    if a.verified_on:
        verified = (
            f'Verified <time datetime="{a.verified_on.isoformat()}">'
            f"{esc(_human_date(a.verified_on))}</time>"
        )
    else:
        verified = "Not verified yet"
    html = (
        "\n\n"
        '<details class="cell">\n'
        f'  <summary class="cell__summary"><span class="value value--{esc(cell.css_class)}">'
        f'<span aria-hidden="true">{esc(cell.symbol)}</span> {esc(cell.label)}</span>'
        f'{STALE_FLAG if stale else ""}'
        f'<span class="visually-hidden"> ({esc(cell.model.name)}, {esc(cell.feature.name)}:'
        " evidence)</span></summary>\n"
        '  <div class="cell__evidence">\n'
        f"    {note}\n"
        f"    {sources}\n"
        f'    <p class="cell__verified">{verified}'
        f'{" — may be out of date" if stale else ""}.</p>\n'
        f'    <a class="cell__permalink" href="{esc(_model_url(cell.model))}'
        f'#cell-{esc(cell.feature.slug)}">'
        "Permalink to this cell</a>\n"
        f"    {_cite(cell, a)}\n"
        "  </div>\n"
        "</details>\n"
        "\n"
    )
    return mark_safe(html)  # noqa: S308 - every interpolated value escaped; note_html is sanitized
