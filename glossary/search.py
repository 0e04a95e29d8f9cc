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

from django.core.cache import caches
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When
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
_FOLDED_WORD = re.compile(r"[^\W_]+")


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
    return _FOLDED_WORD.findall((text or "").casefold())[:MAX_WORDS]


def name_words(text):
    return tuple(_FOLDED_WORD.findall((text or "").casefold()))


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
    words: tuple = ()


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
        term_words = cand.words or name_words(cand.term)
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


def closest_key(key, keys):
    """The key most like `key` for "Did you mean …", also matching the start of longer names
    ("larj langwij" → Large language model); None when nothing is close."""
    close = difflib.get_close_matches(key, keys, n=1, cutoff=SUGGEST_CUTOFF)
    if close:
        return close[0]
    heads = {}
    for other in sorted(keys):
        if len(other) > len(key) + 1:
            heads.setdefault(other[: len(key) + 1], other)
    close = difflib.get_close_matches(key, list(heads), n=1, cutoff=SUGGEST_CUTOFF)
    return heads[close[0]] if close else None


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
    """Every term and alias, folded, held in memory; built with exactly two queries.

    Kept deliberately lean so that a cold build for 5 000 terms stays within a few tens of
    milliseconds: folded keys (exact and prefix lookups via a sorted list and bisect), keys
    bucketed by length (a typo within difflib's 0.8 ratio cannot change the length by much, so
    only nearby buckets are compared), and the words of each name. Definitions are searched by
    the database (one query), not indexed here.
    """

    def __init__(self):
        terms = Term.objects.order_by().values_list("id", "term", "slug", "key", "definition")
        aliases = Alias.objects.order_by().values_list("term_id", "name", "key")
        candidates = {}
        by_key = {}
        by_word = {}
        split = _FOLDED_WORD.findall
        for pk, term, slug, key, definition in terms:
            words = term.casefold().split()
            if not all(map(str.isalnum, words)):  # hyphens, brackets: the careful split
                words = split(term.casefold())
            candidates[pk] = Candidate(pk, term, slug, key, definition, [], False, tuple(words))
            if key in by_key:
                by_key[key].append(pk)
            else:
                by_key[key] = [pk]
            for word in words:
                if word in by_word:
                    by_word[word].append(pk)
                else:
                    by_word[word] = [pk]
        for term_id, name, key in aliases:
            cand = candidates.get(term_id)
            if cand is not None:
                cand.aliases.append((name, key))
                if key in by_key:
                    by_key[key].append(term_id)
                else:
                    by_key[key] = [term_id]
        # Typo candidates are bucketed by first letter and length: people rarely mistype the
        # first letter, and a typo within difflib's 0.8 ratio cannot change the length by much,
        # so each lookup compares a few hundred keys rather than every key in the glossary.
        by_length = {}
        for key in by_key:
            bucket = (key[:1], len(key))
            if bucket in by_length:
                by_length[bucket].append(key)
            else:
                by_length[bucket] = [key]
        self.candidates = candidates
        self.by_key = by_key
        self.by_length = by_length
        self.sorted_keys = sorted(by_key)
        self.by_word = by_word
        self.sorted_words = sorted(by_word)

    @staticmethod
    def _prefixed(sorted_list, prefix):
        start = bisect.bisect_left(sorted_list, prefix)
        for item in sorted_list[start:]:
            if not item.startswith(prefix):
                break
            yield item

    def close_keys(self, key, cutoff, n=20):
        # ratio = 2·matches / (len(a) + len(b)) ≥ cutoff bounds how far the lengths can differ.
        size = len(key)
        low = int(size * cutoff / (2 - cutoff))
        high = int(size * (2 - cutoff) / cutoff) + 1
        pool = [
            k
            for first in {key[:1], key[1:2]}  # also a swap of the first two letters
            for length in range(low, high + 1)
            for k in self.by_length.get((first, length), ())
        ]
        return difflib.get_close_matches(key, pool, n=n, cutoff=cutoff)

    def candidate_ids(self, query):
        ids = set()
        for key in query.keys:
            ids.update(self.by_key.get(key, ()))
        if len(query.stem) >= 2:
            for key in self._prefixed(self.sorted_keys, query.stem):
                ids.update(self.by_key[key])
        if query.words and len(query.words[0]) >= 2:
            per_word = []
            for word in query.words:
                found = set()
                for w in self._prefixed(self.sorted_words, word):
                    found.update(self.by_word[w])
                per_word.append(found)
            ids |= set.intersection(*per_word)
        if len(query.key) >= 4:
            for key in self.close_keys(query.key, FUZZY_CUTOFF):
                ids.update(self.by_key[key])
        return ids

    def search(self, query, limit, definition_ids=()):
        ids = self.candidate_ids(query)
        in_definition = set(definition_ids)
        found = [
            replace(self.candidates[pk], in_definition=pk in in_definition)
            for pk in ids
            if pk in self.candidates
        ]
        results = rank(query, found, limit)
        # Terms found only through their definitions cannot match by name (every name match
        # is in `ids`), so they skip the scoring and rank last, alphabetically.
        if len(results) < limit:
            rest = sorted(
                (self.candidates[pk] for pk in in_definition - ids if pk in self.candidates),
                key=lambda c: c.term.casefold(),
            )
            results += [
                Result(c.term, c.slug, c.definition, SCORE_DEFINITION, "", "definition")
                for c in rest[: limit - len(results)]
            ]
        return results

    def suggest(self, query):
        if len(query.key) < 3:
            return None
        firsts = {query.key[:1], query.key[1:2]}
        pool = [k for (first, _length), keys in self.by_length.items() if first in firsts
                for k in keys]
        key = closest_key(query.key, pool)
        return self.candidates[min(self.by_key[key])] if key else None


def _definition_ids_portable(query):
    """Terms whose definition contains every query word as a word (or its simple plural).

    One query: a case-insensitive containment filter narrows the rows in the database, and a
    word-boundary check here drops substrings ("to" inside "token").
    """
    words = [w for w in query.words if len(w) >= 3]
    if not words:
        return set()
    condition = Q()
    for word in words:
        condition &= Q(definition__icontains=word)
    rows = Term.objects.order_by().filter(condition).values_list("id", "definition")[:500]
    checks = [
        re.compile(r"(?<![^\W_])" + re.escape(w) + r"(?:s|es)?(?![^\W_])", re.IGNORECASE)
        for w in words
    ]
    return {pk for pk, definition in rows if all(c.search(definition) for c in checks)}


_memo = {"version": None, "index": None}


def _shared_cache():
    # The version must be seen by every worker process (gunicorn runs several), so it lives in
    # the cross-process "kb-shared" cache, not the per-process default one.
    return caches["kb-shared"]


def index_version():
    return _shared_cache().get_or_set(VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None)


def invalidate_index(**kwargs):
    """Signal receiver: any change to a term or alias makes every process rebuild its index."""
    _shared_cache().set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def get_index():
    version = index_version()
    if _memo["version"] != version or _memo["index"] is None:
        _memo["index"] = GlossaryIndex()
        _memo["version"] = version
    return _memo["index"]


# --- PostgreSQL -----------------------------------------------------------------------------


PG_CANDIDATE_LIMIT = 60
PG_SUGGEST_POOL = 20


def _search_postgres(query, limit):
    """Three queries: matching aliases, then the candidate terms, then their aliases.

    Every condition can use an index, so PostgreSQL combines them with a BitmapOr instead of
    scanning every row: btree on the folded keys (equality, and prefix via Django's
    varchar_pattern_ops index), GIN trigram indexes on the keys (the `%` operator) and on the
    display name (the word-start regex), and a GIN full-text index on the definitions
    (migrations 0002 and 0003).
    """
    from django.contrib.postgres.lookups import TrigramSimilar
    from django.contrib.postgres.search import SearchQuery, SearchVector, TrigramSimilarity

    stem_q = query.stem if len(query.stem) >= 2 else None
    fuzzy = len(query.key) >= 4
    words = query.words if query.words and len(query.words[0]) >= 2 else []

    alias_condition = Q(key__in=query.keys)
    term_condition = Q(key__in=query.keys)
    if stem_q:
        alias_condition |= Q(key__startswith=stem_q)
        term_condition |= Q(key__startswith=stem_q)
    if fuzzy:
        alias_condition |= Q(TrigramSimilar(F("key"), Value(query.key)))
        term_condition |= Q(TrigramSimilar(F("key"), Value(query.key)))
    for word in words:
        # Word starts inside the display name ("language" in "Large language model"); words
        # are folded to letters and digits, so they are safe inside the regular expression.
        term_condition |= Q(term__iregex=r"(^|[^[:alnum:]])" + word)
    # Aliases first, in their own query: an IN (subquery) inside the OR below would stop
    # PostgreSQL from combining the indexes with a BitmapOr.
    alias_rows = list(
        Alias.objects.order_by().filter(alias_condition).values_list("term_id", "key")[:500]
    )
    alias_term_ids = {term_id for term_id, _key in alias_rows}
    exact_alias_ids = {term_id for term_id, key in alias_rows if key in query.keys}
    if alias_term_ids:
        term_condition |= Q(pk__in=alias_term_ids)

    qs = Term.objects.order_by().annotate(
        similarity=TrigramSimilarity("key", query.key),
        coarse=Case(
            When(key__in=query.keys, then=Value(4)),
            When(pk__in=exact_alias_ids or [0], then=Value(3)),
            When(key__startswith=stem_q or query.key, then=Value(2)),
            default=Value(0),
            output_field=IntegerField(),
        ),
    )
    if words:
        text_query = SearchQuery(" ".join(words), search_type="plain", config="english")
        qs = qs.annotate(document=SearchVector("definition", config="english"))
        term_condition |= Q(document=text_query)
        in_definition = Case(When(document=text_query, then=Value(True)), default=Value(False))
    else:
        in_definition = Value(False)
    qs = (
        qs.filter(term_condition)
        .annotate(in_definition=in_definition)
        .order_by("-coarse", "-similarity", "key")
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
    """Trigram similarity picks the likeliest few; difflib decides, exactly as on SQLite."""
    from django.contrib.postgres.search import TrigramSimilarity

    if len(query.key) < 3:
        return None
    nearest = (
        Term.objects.annotate(sim=TrigramSimilarity("key", query.key))
        .order_by("-sim", "key")
        .prefetch_related("aliases")[:PG_SUGGEST_POOL]
    )
    names = {}
    for term in nearest:
        names.setdefault(term.key, term)
        for alias in term.aliases.all():
            names.setdefault(alias.key, term)
    key = closest_key(query.key, list(names))
    return names[key] if key else None


# --- Public API -----------------------------------------------------------------------------


def search_terms(raw, limit=20):
    """Ranked glossary results for whatever a reader typed; never raises on odd input."""
    query = Query.parse(raw)
    if not query.key:
        return []
    if connection.vendor == "postgresql":
        return _search_postgres(query, limit)
    return get_index().search(query, limit, _definition_ids_portable(query))


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
