"""Automatic linking: the first mention of each glossary term in sanitized HTML links to it.

Rules: whole words, any case; longest names first ("large language model" wins over
"language model"); each term once per piece of HTML; never inside headings, links, code, pre or
an existing term link. Each link carries the short definition in a `role="tooltip"` span that
the link names with aria-describedby, so screen readers announce it and CSS shows it on hover
AND keyboard focus (static/js/terms.js adds tap-to-toggle and Escape).

Matching walks the text word by word and looks the next few words up in a dict of folded
phrases, so the cost grows with the length of the text, not with the size of the glossary (a
5 000-term regular expression would be slow to compile and to run). The phrase table is built
from the same cached index as search, so linking costs no queries once it is warm.
"""

import hashlib
import re
from html import escape
from html.parser import HTMLParser

from django.urls import reverse

from glossary.search import get_index

SKIP_TAGS = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style", "kbd",
             "button", "textarea"}  # fmt: skip
# Words inside one mention may be joined by spaces or hyphens ("fine-tuning", "fine tuning").
_WORD = re.compile(r"\w+")
# A lone dot joins too, for version numbers ("Apache License 2.0"), but not ". " between sentences.
_JOINER = re.compile(r"[\s\-\u00a0\u2010\u2011]{1,3}|\.")


def _phrase(text):
    return tuple(_WORD.findall((text or "").casefold()))


class PhraseTable:
    """Folded phrase (tuple of words) → (slug, term, definition); built once per index."""

    def __init__(self, index):
        self.phrases = {}
        for cand in index.candidates.values():
            entry = (cand.slug, cand.term, cand.definition)
            names = [cand.term] + [name for name, _key in cand.aliases]
            for name in names:
                phrase = _phrase(name)
                if phrase:
                    self.phrases.setdefault(phrase, entry)
        self.longest = max((len(p) for p in self.phrases), default=0)
        self.first_words = {p[0] for p in self.phrases}


_table_memo = {"index": None, "table": None}


def phrase_table():
    index = get_index()
    if _table_memo["index"] is not index:
        _table_memo["table"] = PhraseTable(index)
        _table_memo["index"] = index
    return _table_memo["table"]


class _Linker(HTMLParser):
    def __init__(self, table, uid):
        super().__init__(convert_charrefs=False)
        self.table = table
        self.uid = uid
        self.out = []
        self.skip_depth = 0
        self.linked = set()
        self.count = 0
        self.spans = []  # for each open <span>: does it hold a tooltip (already linked text)?

    def handle_starttag(self, tag, attrs):
        if tag in SKIP_TAGS:
            self.skip_depth += 1
        elif tag == "span":
            is_tip = ("role", "tooltip") in attrs
            self.spans.append(is_tip)
            self.skip_depth += is_tip
        self.out.append(self.get_starttag_text())

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        closes_skip = tag in SKIP_TAGS or (tag == "span" and self.spans and self.spans.pop())
        if closes_skip and self.skip_depth:
            self.skip_depth -= 1
        self.out.append(f"</{tag}>")

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def handle_comment(self, data):
        pass  # the sanitizer already strips comments

    def handle_decl(self, decl):
        self.out.append(f"<!{decl}>")

    def handle_data(self, data):
        if self.skip_depth or not self.table.phrases:
            self.out.append(data)
        else:
            self.out.append(self._link(data))

    def _link(self, text):
        words = list(_WORD.finditer(text))
        folded = [w.group().casefold() for w in words]
        pieces, pos, i = [], 0, 0
        while i < len(words):
            match = self._longest_at(text, words, folded, i)
            if match is None:
                i += 1
                continue
            end_i, entry = match
            start, end = words[i].start(), words[end_i].end()
            pieces.append(text[pos:start])
            pieces.append(self._anchor(text[start:end], entry))
            pos, i = end, end_i + 1
        pieces.append(text[pos:])
        return "".join(pieces)

    def _longest_at(self, text, words, folded, i):
        if folded[i] not in self.table.first_words:
            return None
        # Grow the phrase while the words are joined only by spaces or hyphens.
        span = [i]
        for j in range(i + 1, min(len(words), i + self.table.longest)):
            gap = text[words[j - 1].end() : words[j].start()]
            if not _JOINER.fullmatch(gap):
                break
            span.append(j)
        for end_i in reversed(span):
            phrase = tuple(folded[i : end_i + 1])
            entry = self.table.phrases.get(phrase)
            if entry and entry[0] not in self.linked:
                return end_i, entry
        return None

    def _anchor(self, mention, entry):
        slug, term, definition = entry
        self.linked.add(slug)
        self.count += 1
        tip_id = f"term-tip-{self.uid}-{self.count}"
        url = reverse("glossary:term_detail", args=[slug])
        # `mention` is already-escaped text from the sanitized HTML; the definition is plain
        # text from the database, so it is escaped here.
        return (
            f'<span class="term"><a class="term-link" href="{escape(url)}" '
            f'aria-describedby="{tip_id}">{mention}</a>'
            f'<span class="term-tip" role="tooltip" id="{tip_id}">'
            f"<strong>{escape(term)}:</strong> {escape(definition)}</span></span>"
        )


def link_terms_html(html, exclude_slug=None):
    """Return `html` with the first mention of each glossary term linked to its page."""
    if not html:
        return html or ""
    table = phrase_table()
    if not table.phrases:
        return html
    # IDs must be unique on a page that links several pieces of HTML (a model description and
    # each feature's help text), and stable for the same input so cached pages do not churn.
    uid = hashlib.blake2s(html.encode(), digest_size=4).hexdigest()
    linker = _Linker(table, uid)
    if exclude_slug:
        linker.linked.add(exclude_slug)
    linker.feed(html)
    linker.close()
    return "".join(linker.out)
