"""The one Markdown renderer: every piece of editor Markdown on the site goes through here.

It is called when a row is saved (the HTML is stored beside the Markdown) and by django-markdownx
for the admin's live preview, so what an editor previews is exactly what readers get.
"""

import re
from dataclasses import dataclass

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del",
    "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "nav", "ol", "p", "pre", "q", "s",
    "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "title"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
    "div": {"data-matrix-models"},
}
# No javascript:, data: or other schemes that can run code or smuggle content.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# Editors place a live slice of the matrix with [[matrix llama-3-1 claude]]; it is stored as an
# inert placeholder and filled from current data when the page is shown.
MATRIX_SHORTCODE = re.compile(r"^\[\[\s*matrix\s+([a-z0-9\-\s]+?)\s*\]\]\s*$", re.MULTILINE)

_EXTENSIONS = ["tables", "fenced_code", "footnotes", "toc", "sane_lists", "attr_list"]
_EXTENSION_CONFIGS = {"toc": {"permalink": False, "toc_depth": "2-3"}}


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: str


def sanitize(html):
    """Clean HTML down to the allowed tags; external links get rel="noopener nofollow"."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    return _EXTERNAL_LINK.sub(_add_rel, cleaned)


# Runs on nh3's output, which never contains a rel attribute (it is not allowed), so adding one
# cannot produce a duplicate. Internal links keep their ranking signal; external ones do not.
_EXTERNAL_LINK = re.compile(r'<a\b([^>]*?\bhref="https?://[^"]+"[^>]*)>')


def _add_rel(match):
    return f'<a{match.group(1)} rel="noopener nofollow">'


def _replace_shortcodes(text):
    def placeholder(match):
        slugs = " ".join(match.group(1).split())
        return f'\n<div class="matrix-slice" data-matrix-models="{slugs}"></div>\n'

    return MATRIX_SHORTCODE.sub(placeholder, text)


def render(text):
    """Render Markdown to sanitized HTML plus a sanitized table of contents."""
    md = markdown.Markdown(extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIGS)
    html = md.convert(_replace_shortcodes(text or ""))
    toc = md.toc if getattr(md, "toc_tokens", None) else ""
    return Rendered(html=sanitize(html), toc=sanitize(toc))


def render_markdown(text):
    """Markdown to sanitized HTML; also django-markdownx's MARKDOWNX_MARKDOWNIFY_FUNCTION."""
    return render(text).html
