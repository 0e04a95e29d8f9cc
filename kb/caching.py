"""Whole-page caching for anonymous readers, invalidated exactly when the content changes.

One *generation* stands for "the public content as it is now". It is folded into every page's
cache key (as Django's `key_prefix`) and into every ETag, so:

* an editor's save, delete or many-to-many change of anything a public page shows (signals
  below) mints a new generation: every page is fresh on its next request, in every process;
* a scheduled article needs no save to appear: the state also records the next scheduled
  publication time, pages are never kept past it, and the first request after it mints a new
  generation (so ETags change too).

The state lives in the "kb-shared" cache (Redis when REDIS_URL is set, else a small file-based
cache all gunicorn workers on the machine read), the pages themselves in "default". Reading the
state is one cache read and no database query; the database is asked for the next publication
time only when an article changes or the state has been lost.

Never cached: anything but an anonymous GET/HEAD, responses other than 200, responses that set
a cookie or carry a CSRF token, and responses the view marked private. Staff
and signed-in users always get `private, no-store`.
"""

import hashlib
import uuid
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, transaction
from django.db.models import Min
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import (
    add_never_cache_headers,
    get_cache_key,
    get_conditional_response,
    learn_cache_key,
    patch_cache_control,
)
from django.utils.http import http_date, quote_etag

STATE_KEY = "kb:pages:state"
# How long a page may sit in the server cache (it is invalidated exactly, this only bounds
# memory), and how long browsers and shared proxies may reuse it without asking again.
SERVER_SECONDS = getattr(settings, "KB_PAGE_CACHE_SECONDS", 600)
BROWSER_SECONDS = getattr(settings, "KB_PAGE_BROWSER_MAX_AGE", 60)
# A query string longer than this is not a page anyone links to: serve it, do not keep it.
MAX_CACHED_QUERY = 512


def _shared():
    return caches["kb-shared"] if "kb-shared" in settings.CACHES else caches["default"]


def _pages():
    return caches["default"]


# --- The generation -------------------------------------------------------------------------


def _next_publication(now):
    from articles.models import Article, Status

    return Article.objects.filter(status=Status.PUBLISHED, published_at__gt=now).aggregate(
        next=Min("published_at")
    )["next"]


def _new_state(now, next_publication):
    return {"generation": uuid.uuid4().hex, "since": now, "next_publication": next_publication}


def current_state(now=None):
    """{"generation", "since", "next_publication"}; one cache read on the usual path."""
    now = now or timezone.now()
    state = _shared().get(STATE_KEY)
    due = state and state["next_publication"] and state["next_publication"] <= now
    if state is None or due:
        state = _new_state(now, _next_publication(now))
        _shared().set(STATE_KEY, state, None)
    return state


def bump(articles_changed=True):
    """Mint a new generation. Only article changes can move the next scheduled publication."""
    now = timezone.now()
    old = _shared().get(STATE_KEY)
    if articles_changed or old is None:
        next_publication = _next_publication(now)
    else:
        next_publication = old["next_publication"]
    _shared().set(STATE_KEY, _new_state(now, next_publication), None)


def _content_changed(sender, **kwargs):
    from articles.models import Article

    articles_changed = sender is Article
    bump(articles_changed)
    # A reader may have filled the cache from the old rows between this save and its commit:
    # mint again once the change is visible to everyone.
    if transaction.get_connection(kwargs.get("using") or "default").in_atomic_block:
        transaction.on_commit(lambda: bump(articles_changed), using=kwargs.get("using"))


def content_models():
    """Every model whose rows appear on a public page."""
    from articles.models import Article, Tag
    from glossary.models import Alias, Term
    from models_catalog.models import (
        AccessChannel,
        AIModel,
        Assessment,
        Feature,
        FeatureGroup,
        License,
        Modality,
        Organization,
    )

    return [Article, Tag, AIModel, Assessment, Feature, FeatureGroup, License, Organization,
            Modality, AccessChannel, Term, Alias]  # fmt: skip


def connect_signals():
    for model in content_models():
        for signal in (post_save, post_delete):
            signal.connect(_content_changed, sender=model,
                           dispatch_uid=f"kb-pages-{signal_name(signal)}-{model.__name__}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(_m2m_changed, sender=through,
                                dispatch_uid=f"kb-pages-m2m-{through.__name__}")


def signal_name(signal):
    return "save" if signal is post_save else "delete"


def _m2m_changed(sender, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"}:
        # Tags, authors, related models and terms, modalities, channels: none moves a schedule.
        _content_changed(sender=None, **kwargs)


# --- Streamed pages (the large exports) ------------------------------------------------------
# A streamed response is kept chunk by chunk as it is sent, and replayed chunk by chunk, so no
# process ever holds the whole export in memory; the page key only says how many chunks there
# are. A page whose chunks were evicted is a miss (checked before the replay starts).


@dataclass
class StreamedPage:
    chunks: int
    headers: list

    def replay(self, key):
        keys = [f"{key}.{n}" for n in range(self.chunks)]
        if not all(_pages().has_key(k) for k in keys):
            return None
        response = StreamingHttpResponse(_pages().get(k, b"") for k in keys)
        for name, value in self.headers:
            response[name] = value
        return response


def _record(chunks, key, timeout, headers):
    count = 0
    for chunk in chunks:
        _pages().set(f"{key}.{count}", chunk, timeout)
        count += 1
        yield chunk
    _pages().set(key, StreamedPage(count, headers), timeout)


# --- The decorator --------------------------------------------------------------------------


def is_anonymous(request):
    """True for a reader without a signed-in session; never touches the session otherwise."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _browser_seconds(state, now):
    seconds = BROWSER_SECONDS
    if state["next_publication"]:
        seconds = min(seconds, (state["next_publication"] - now).total_seconds())
    return max(0, int(seconds))


def server_timeout(state, now=None):
    """Seconds a page may stay in the server cache: never past the next scheduled article."""
    now = now or timezone.now()
    seconds = SERVER_SECONDS
    if state["next_publication"]:
        seconds = min(seconds, (state["next_publication"] - now).total_seconds())
    return max(1, int(seconds))


def page_etag(request, state):
    digest = hashlib.blake2b(request.get_full_path().encode(), digest_size=8).hexdigest()
    return quote_etag(f"{state['generation'][:16]}-{digest}")


def _patch_public(response, state, now, etag):
    max_age = _browser_seconds(state, now)
    patch_cache_control(response, public=True, max_age=max_age)
    response["Expires"] = http_date(now.timestamp() + max_age)
    if etag and not response.has_header("ETag"):
        response["ETag"] = etag
    # Always ours (a feed sets its newest item's date): If-Modified-Since is checked against it.
    response["Last-Modified"] = http_date(state["since"].timestamp())


def _storable(request, response):
    cache_control = response.get("Cache-Control", "")
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def _cacheable_url(request):
    return len(request.META.get("QUERY_STRING", "")) <= MAX_CACHED_QUERY


def _lookup(request, state, now, prefix):
    """The stored response (or its 304) for this anonymous GET/HEAD, or None on a miss."""
    if not _cacheable_url(request):
        return None
    key = get_cache_key(request, prefix, "GET", cache=_pages())
    if key is None:
        return None
    response = _pages().get(key)
    if isinstance(response, StreamedPage):
        response = response.replay(key)
    if response is None:
        return None
    response = get_conditional_response(
        request, etag=response.get("ETag"), last_modified=int(state["since"].timestamp()),
        response=response,
    )  # fmt: skip
    _patch_public(response, state, now, None)
    return response


def _store(request, response, state, now, prefix):
    if not (_cacheable_url(request) and _storable(request, response)):
        return
    timeout = server_timeout(state, now)
    key = learn_cache_key(request, response, timeout, prefix, cache=_pages())
    if response.streaming:
        headers = list(response.items())
        response.streaming_content = _record(response.streaming_content, key, timeout, headers)
    elif hasattr(response, "render") and callable(response.render):
        response.add_post_render_callback(lambda r: _pages().set(key, r, timeout))
    else:
        # A feed writes itself in hundreds of small pieces: keep one, so a hit unpickles one.
        response.content = response.content
        _pages().set(key, response, timeout)


# Two kinds of entries. The middleware keeps responses as they leave the whole stack (security
# and CSP headers included) and answers them before the session, CSRF and auth layers run; the
# decorator alone (a reader with a stale session cookie, or no middleware) keeps the view's
# response, which the middleware below it completes on every answer. Separate prefixes keep the
# middleware from ever serving an incomplete one.
OUTER, INNER = "kb.o", "kb.v"


def public_page(view=None, *, conditional=True):
    """Cache `view` for anonymous GET/HEAD under the current generation; answer ETag and
    If-Modified-Since with 304. Everyone else gets the view, uncached and `private, no-store`.
    """

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            if not is_anonymous(request):
                response = view(request, *args, **kwargs)
                add_never_cache_headers(response)
                return response
            now = timezone.now()
            state = current_state(now)
            etag = page_etag(request, state) if conditional else None
            if conditional:
                not_modified = get_conditional_response(
                    request, etag=etag, last_modified=int(state["since"].timestamp())
                )
                if not_modified is not None:
                    _patch_public(not_modified, state, now, etag)
                    return not_modified
            outer = getattr(request, "_kb_pages_outer", False)
            prefix = f"{INNER}.{state['generation']}"
            if not outer:
                hit = _lookup(request, state, now, prefix)
                if hit is not None:
                    return hit
            response = view(request, *args, **kwargs)
            if response.status_code >= 400 or "private" in response.get("Cache-Control", ""):
                return response
            _patch_public(response, state, now, etag)
            if outer:
                request._kb_pages_store = (state, now)  # PageCacheMiddleware keeps it
            else:
                _store(request, response, state, now, prefix)
            return response

        wrapped.public_page = True
        return wrapped

    return decorate(view) if view is not None else decorate


class PageCacheMiddleware:
    """Serve stored public pages to readers without a session, straight after WhiteNoise.

    Only responses that a `public_page` view produced for an anonymous reader are ever stored,
    with every header the rest of the stack added; everything else passes through untouched.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and (
            settings.SESSION_COOKIE_NAME not in request.COOKIES
        ):
            now = timezone.now()
            try:
                state = current_state(now)
            except DatabaseError:
                # Without the database there is no trustworthy state: step aside, so /healthz
                # can answer 503 and nothing is stored from a half-working stack.
                return self.get_response(request)
            request._kb_pages_outer = True
            hit = _lookup(request, state, now, f"{OUTER}.{state['generation']}")
            if hit is not None:
                return hit
        response = self.get_response(request)
        plan = getattr(request, "_kb_pages_store", None)
        if plan is not None:
            state, now = plan
            _store(request, response, state, now, f"{OUTER}.{state['generation']}")
        return response
