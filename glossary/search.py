"""Glossary search: find the term people mean from what they type.

What counts as a match, best first (the same rules on every database):

    100  the term itself            "Fine-Tuning", "fine tuning", "tokens" (simple plural)
     90  one of its aliases         "LLM", "RLHF", "weights"
     70  the start of the term      "large lang", "fine-tune" (stem "finetun")
     65  the start of an alias
     60  the start of a word        "language" → Large language model
     40+ a small typo (difflib ratio ≥ 0.8 against the term or an alias): "wieghts", "finetunning"
     30  every word in the definition

How candidates are found depends on the database, so each stays fast and uses a fixed number of
queries; the scoring below is shared, so both give the same order:

* PostgreSQL: one query does the work in the database — folded-key equality and prefixes,
  trigram similarity (pg_trgm, enabled by migration 0002 with GIN indexes) against the term and
  its aliases for typos, and full-text search over the definitions (stemmed, so "tokens" finds
  "token"). A second query prefetches the candidates' aliases for scoring.
* SQLite: FTS5 is not always compiled in, knows nothing of typos, and would need triggers kept in
  step by hand. The glossary is small (thousands of rows, a few hundred kilobytes), so instead we
  keep an in-process index of folded keys, words and definition words, built with two queries
  and reused until a Term or Alias changes (signals bump a version number in the cache, so every
  process rebuilds on its next search). Typos use difflib's bounded ratio, which with its quick
  filters stays well under a millisecond per thousand keys.
"""

import bisect
import difflib
import re
import unicodedata
import uuid
from dataclasses import dataclass, field, replace

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Exists, F, FloatField, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Greatest
from django.urls import reverse

from glossary.models import Alias, Term, search_key

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
FUZZY_CUTOFF = 0.8
SUGGEST_CUTOFF = 0.6
VERSION_KEY = "glossary:index-version"

SCORE_TERM = 100
SCORE_ALIAS = 90
SCORE_TERM_PREFIX = 70
SCORE_ALIAS_PREFIX = 65
SCORE_WORD = 60
SCORE_FUZZY = 40
SCORE_DEFINITION = 30

_WORD = re.compile(r"\w+")


# --- Query cleaning -------------------------------------------------------------------------


def clean_query(raw):
    """Make any user input safe to search with: no control characters or NUL, bounded length.

    Operators (`AND`, `*`, `NEAR(`, quotes, `--`) need no special care: we never hand the text to
    a query parser — keys are folded to letters and digits, and PostgreSQL gets plainto_tsquery.
    """
    head = (raw or "")[: MAX_QUERY_LENGTH * 4]
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in head)
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def query_words(text):
    return [w for w in (search_key(w) for w in _WORD.findall(text)) if w][:MAX_WORDS]


def singulars(word):
    """The word plus simple singular and plural forms: tokens→token, licences→licence."""
    forms = {word, word + "s"}
    if len(word) > 3 and word.endswith("ies"):
        forms.add(word[:-3] + "y")
    if len(word) > 3 and word.endswith("es"):
        forms.add(word[:-2])
    if len(word) > 2 and word.endswith("s"):
        forms.add(word[:-1])
    return forms


def stem(key):
    """A crude stem for prefix matching, so "fine-tune" reaches "fine-tuning"."""
    for suffix in ("ing", "ed", "es", "e", "s"):
        if len(key) - len(suffix) >= 4 and key.endswith(suffix):
            return key[: -len(suffix)]
    return key


@dataclass
class Query:
    text: str
    key: str
    keys: set
    stem: str
    words: list

    @classmethod
    def parse(cls, raw):
        text = clean_query(raw)
        key = search_key(text)[:MAX_QUERY_LENGTH]
        return cls(text=text, key=key, keys=singulars(key) if key else set(), stem=stem(key),
                   words=query_words(text))


# --- Results and shared scoring -------------------------------------------------------------


@dataclass
class Result:
    term: str
    slug: str
    definition: str
    score: float
    matched_alias: str = ""
    match: str = ""

    @property
    def url(self):
        return reverse("glossary:term_detail", args=[self.slug])

    def as_json(self):
        return {
            "term": self.term,
            "slug": self.slug,
            "url": self.url,
            "definition": self.definition,
            "matched_alias": self.matched_alias,
            "match": self.match,
            "score": round(self.score, 3),
        }


@dataclass
class Candidate:
    id: int
    term: str
    slug: str
    key: str
    definition: str
    aliases: list = field(default_factory=list)  # [(name, key)]
    in_definition: bool = False


def fuzzy_ratio(a, b):
    matcher = difflib.SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() < FUZZY_CUTOFF or matcher.quick_ratio() < FUZZY_CUTOFF:
        return 0.0
    return matcher.ratio()


def score(query, cand):
    """(score, match kind, matched alias) for one candidate, or None when it does not match."""
    q = query
    if cand.key in q.keys:
        return SCORE_TERM, "term", ""
    for name, key in cand.aliases:
        if key in q.keys:
            return SCORE_ALIAS, "alias", name
    if len(q.stem) >= 2 and cand.key.startswith(q.stem):
        # Shorter terms first among prefix matches: "token" before "tokenizer".
        return SCORE_TERM_PREFIX + len(q.stem) / len(cand.key), "prefix", ""
    if len(q.stem) >= 2:
        for name, key in cand.aliases:
            if key.startswith(q.stem):
                return SCORE_ALIAS_PREFIX, "alias", name
    if q.words and len(q.words[0]) >= 2:
        term_words = query_words(cand.term)
        if all(any(tw.startswith(qw) for tw in term_words) for qw in q.words):
            return SCORE_WORD, "word", ""
    if len(q.key) >= 4:
        best, alias = fuzzy_ratio(q.key, cand.key), ""
        for name, key in cand.aliases:
            ratio = fuzzy_ratio(q.key, key)
            if ratio > best:
                best, alias = ratio, name
        if best >= FUZZY_CUTOFF:
            return SCORE_FUZZY + 10 * best, "typo", alias
    if cand.in_definition:
        return SCORE_DEFINITION, "definition", ""
    return None


def rank(query, candidates, limit):
    results = []
    for cand in candidates:
        scored = score(query, cand)
        if scored:
            value, kind, alias = scored
            results.append(
                Result(cand.term, cand.slug, cand.definition, value, alias, kind)
            )
    results.sort(key=lambda r: (-r.score, r.term.casefold()))
    return results[:limit]


# --- In-process index (SQLite, and the linker on every database) ----------------------------


class GlossaryIndex:
    """Every term and alias, folded, held in memory; built with exactly two queries."""

    def __init__(self):
        terms = list(Term.objects.order_by().values_list("id", "term", "slug", "key", "definition"))
        aliases = list(Alias.objects.order_by().values_list("term_id", "name", "key"))
        self.candidates = {
            pk: Candidate(pk, term, slug, key, definition)
            for pk, term, slug, key, definition in terms
        }
        for term_id, name, key in aliases:
            if term_id in self.candidates:
                self.candidates[term_id].aliases.append((name, key))
        self.by_key = {}
        for cand in self.candidates.values():
            self.by_key.setdefault(cand.key, set()).add(cand.id)
            for _name, key in cand.aliases:
                self.by_key.setdefault(key, set()).add(cand.id)
        self.sorted_keys = sorted(self.by_key)
        self.by_word = {}
        self.definition_words = {}
        for cand in self.candidates.values():
            for word in query_words(cand.term):
                self.by_word.setdefault(word, set()).add(cand.id)
            for word in set(query_words(cand.definition)):
                for form in singulars(word):
                    self.definition_words.setdefault(form, set()).add(cand.id)
        self.sorted_words = sorted(self.by_word)

    @staticmethod
    def _prefixed(sorted_list, prefix):
        start = bisect.bisect_left(sorted_list, prefix)
        for item in sorted_list[start:]:
            if not item.startswith(prefix):
                break
            yield item

    def candidate_ids(self, query):
        ids = set()
        for key in query.keys:
            ids |= self.by_key.get(key, set())
        if len(query.stem) >= 2:
            for key in self._prefixed(self.sorted_keys, query.stem):
                ids |= self.by_key[key]
        if query.words and len(query.words[0]) >= 2:
            per_word = []
            for word in query.words:
                found = set()
                for w in self._prefixed(self.sorted_words, word):
                    found |= self.by_word[w]
                per_word.append(found)
            ids |= set.intersection(*per_word)
        if len(query.key) >= 4:
            for key in difflib.get_close_matches(query.key, self.sorted_keys, n=20,
                                                 cutoff=FUZZY_CUTOFF):
                ids |= self.by_key[key]
        return ids

    def definition_ids(self, query):
        if not query.words:
            return set()
        sets = [self.definition_words.get(w, set()) for w in query.words]
        return set.intersection(*sets)

    def search(self, query, limit):
        ids = self.candidate_ids(query)
        in_definition = self.definition_ids(query)
        found = []
        for pk in ids | in_definition:
            found.append(replace(self.candidates[pk], in_definition=pk in in_definition))
        return rank(query, found, limit)

    def suggest(self, query):
        if len(query.key) < 3:
            return None
        names = {}
        for cand in self.candidates.values():
            names.setdefault(cand.key, cand)
            for _name, key in cand.aliases:
                names.setdefault(key, cand)
        close = difflib.get_close_matches(query.key, list(names), n=1, cutoff=SUGGEST_CUTOFF)
        return names[close[0]] if close else None


_memo = {"version": None, "index": None}


def index_version():
    return cache.get_or_set(VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None)


def invalidate_index(**kwargs):
    """Signal receiver: any change to a term or alias makes every process rebuild its index."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def get_index():
    version = index_version()
    if _memo["version"] != version or _memo["index"] is None:
        _memo["index"] = GlossaryIndex()
        _memo["version"] = version
    return _memo["index"]


# --- PostgreSQL -----------------------------------------------------------------------------


TRIGRAM_CANDIDATE_THRESHOLD = 0.2
PG_CANDIDATE_LIMIT = 60


def _search_postgres(query, limit):
    from django.contrib.postgres.search import SearchQuery, SearchVector, TrigramSimilarity

    stem_q = query.stem if len(query.stem) >= 2 else None
    alias_exact = Exists(Alias.objects.filter(term=OuterRef("pk"), key__in=query.keys))
    alias_prefix = Exists(
        Alias.objects.filter(term=OuterRef("pk"), key__startswith=stem_q or query.key)
    )
    alias_similar = Exists(
        Alias.objects.annotate(sim=TrigramSimilarity("key", query.key)).filter(
            term=OuterRef("pk"), sim__gte=TRIGRAM_CANDIDATE_THRESHOLD
        )
    )
    words = query.words if query.words and len(query.words[0]) >= 2 else []
    text_query = SearchQuery(" ".join(words) or query.key, search_type="plain", config="english")
    qs = Term.objects.order_by().annotate(
        alias_exact=alias_exact,
        alias_prefix=alias_prefix,
        alias_similar=alias_similar,
        similarity=TrigramSimilarity("key", query.key),
        document=SearchVector("definition", config="english"),
        coarse=Case(
            When(key__in=query.keys, then=Value(4)),
            When(alias_exact=True, then=Value(3)),
            When(key__startswith=stem_q or query.key, then=Value(2)),
            When(alias_prefix=True, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
    )
    condition = Q(key__in=query.keys) | Q(alias_exact=True)
    if stem_q:
        condition |= Q(key__startswith=stem_q) | Q(alias_prefix=True)
    for word in words:
        # Word starts inside the display name ("language" in "Large language model"); words
        # are folded to letters and digits, so they are safe inside the regular expression.
        condition |= Q(term__iregex=r"(^|[^[:alnum:]])" + word)
    if len(query.key) >= 4:
        condition |= Q(similarity__gte=TRIGRAM_CANDIDATE_THRESHOLD) | Q(alias_similar=True)
    if words:
        condition |= Q(document=text_query)
    qs = (
        qs.filter(condition)
        .annotate(
            in_definition=Case(
                When(document=text_query, then=Value(True)), default=Value(False)
            ) if words else Value(False),
            best=Greatest(F("similarity"), Value(0.0), output_field=FloatField()),
        )
        .order_by("-coarse", "-best", "key")
        .prefetch_related("aliases")[:PG_CANDIDATE_LIMIT]
    )
    candidates = []
    for term in qs:
        cand = Candidate(term.pk, term.term, term.slug, term.key, term.definition,
                         [(a.name, a.key) for a in term.aliases.all()])
        cand.in_definition = bool(term.in_definition)
        candidates.append(cand)
    return rank(query, candidates, limit)


def _suggest_postgres(query):
    from django.contrib.postgres.search import TrigramSimilarity

    if len(query.key) < 3:
        return None
    term = (
        Term.objects.annotate(sim=TrigramSimilarity("key", query.key))
        .filter(sim__gte=0.25)
        .order_by("-sim", "key")
        .first()
    )
    return term


# --- Public API -----------------------------------------------------------------------------


def search_terms(raw, limit=20):
    """Ranked glossary results for whatever a reader typed; never raises on odd input."""
    query = Query.parse(raw)
    if not query.key:
        return []
    if connection.vendor == "postgresql":
        return _search_postgres(query, limit)
    return get_index().search(query, limit)


def did_you_mean(raw):
    """The closest term when a search finds nothing, or None."""
    query = Query.parse(raw)
    if not query.key:
        return None
    if connection.vendor == "postgresql":
        return _suggest_postgres(query)
    cand = get_index().suggest(query)
    if cand is None:
        return None
    return Term(pk=cand.id, term=cand.term, slug=cand.slug, definition=cand.definition)
