"""Site-wide search: published explainers, AI models and glossary terms, grouped by kind.

Articles and models are few (dozens to hundreds), so a portable case-insensitive containment
filter per word (LIKE / ILIKE; Django escapes % and _) is enough on both databases and keeps the
results identical; ranking happens in Python on the rows found. Terms reuse the glossary's own
search, so typos, aliases and plurals work here too. Each kind costs one or two queries, whatever
the data size.

Snippets are built from plain text and escaped piece by piece; the only HTML in them is our own
<mark> around the matched words.
"""

import re
from dataclasses import dataclass, field
from html import unescape

from django.db.models import Q
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from articles.models import Article
from glossary.search import clean_query, search_terms
from models_catalog.models import AIModel

PER_KIND = 20
SNIPPET_CHARS = 200
MAX_WORDS = 6
MIN_WORD = 2
_WORD = re.compile(r"\w+")


@dataclass
class Hit:
    title: str
    url: str
    snippet: str
    meta: str = ""
    score: float = 0.0


@dataclass
class SiteResults:
    query: str
    words: list = field(default_factory=list)
    articles: list = field(default_factory=list)
    models: list = field(default_factory=list)
    terms: list = field(default_factory=list)

    @property
    def total(self):
        return len(self.articles) + len(self.models) + len(self.terms)

    @property
    def groups(self):
        return [
            ("articles", "Explainers", self.articles),
            ("models", "Models", self.models),
            ("terms", "Glossary terms", self.terms),
        ]


def search_words(query):
    words = []
    for word in _WORD.findall(query):
        folded = word.casefold()
        if len(folded) >= MIN_WORD and folded not in words:
            words.append(folded)
    return words[:MAX_WORDS]


def plain_text(html):
    return " ".join(unescape(strip_tags(html or "")).split())


def highlight(text, words, length=SNIPPET_CHARS):
    """An escaped excerpt of `text` around the first matched word, with matches in <mark>."""
    text = " ".join((text or "").split())
    if not text:
        return ""
    pattern = _pattern(words)
    first = pattern.search(text) if pattern else None
    start = 0
    if first and first.start() > length // 3:
        start = text.rfind(" ", 0, first.start() - length // 3) + 1
    excerpt = text[start : start + length]
    if start + length < len(text):
        cut = excerpt.rfind(" ")
        excerpt = (excerpt[:cut] if cut > length // 2 else excerpt) + " …"
    if start:
        excerpt = "… " + excerpt
    if not pattern:
        return escape(excerpt)
    pieces, pos = [], 0
    for match in pattern.finditer(excerpt):
        pieces.append(escape(excerpt[pos : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        pos = match.end()
    pieces.append(escape(excerpt[pos:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece escaped above


def _pattern(words):
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)),
                      re.IGNORECASE)


def _all_words_in(fields, words):
    condition = Q()
    for word in words:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
        condition &= any_field
    return condition


def _weight(words, *weighted_texts):
    """Where the words appear: title hits count most, then summaries, then bodies."""
    total = 0.0
    for weight, text in weighted_texts:
        folded = (text or "").casefold()
        total += weight * sum(1 for w in words if w in folded)
    return total


def search_articles(words):
    rows = (
        Article.objects.published()
        .filter(_all_words_in(["title", "summary", "body"], words))
        .only("title", "slug", "summary", "body_html", "published_at")
    )
    hits = []
    for article in rows:
        body = plain_text(article.body_html)
        score = _weight(words, (10, article.title), (4, article.summary), (1, body))
        source = article.summary if _pattern(words).search(article.summary or "") else body
        published = article.published_at.date().isoformat() if article.published_at else ""
        hits.append(Hit(article.title, article.get_absolute_url(),
                        highlight(source or article.summary, words), meta=published, score=score))
    hits.sort(key=lambda h: (-h.score, h.title.casefold()))
    return hits[:PER_KIND]


def search_models(words):
    rows = (
        AIModel.objects.filter(
            _all_words_in(["name", "family", "summary", "description", "organization__name"],
                          words)
        )
        .select_related("organization")
        .only("name", "slug", "summary", "description_html", "openness", "organization__name")
    )
    hits = []
    for model in rows:
        description = plain_text(model.description_html)
        score = _weight(words, (10, model.name), (5, model.organization.name),
                        (4, model.summary), (1, description))
        source = model.summary if _pattern(words).search(model.summary or "") else description
        hits.append(Hit(model.name, model.get_absolute_url(),
                        highlight(source or model.summary, words),
                        meta=f"{model.organization.name} · {model.get_openness_display()}",
                        score=score))
    hits.sort(key=lambda h: (-h.score, h.title.casefold()))
    return hits[:PER_KIND]


def search_glossary(query, words):
    hits = []
    for result in search_terms(query, limit=PER_KIND):
        meta = f"Also called {result.matched_alias}" if result.matched_alias else ""
        hits.append(Hit(result.term, result.url, highlight(result.definition, words), meta=meta,
                        score=result.score))
    return hits


def search_site(raw):
    query = clean_query(raw)
    results = SiteResults(query=query, words=search_words(query))
    if not results.words:
        return results
    results.articles = search_articles(results.words)
    results.models = search_models(results.words)
    results.terms = search_glossary(query, results.words)
    return results
