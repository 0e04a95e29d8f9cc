"""Public pages are cached for anonymous readers and fresh on the next request after any change.

Every test runs twice: on the local-memory cache and on a real redis-server (KB_TEST_REDIS_URL,
started by .ci/run). In CI a missing Redis fails loudly; on a developer's machine without it
the Redis half is skipped with the reason.
"""

import datetime
import os
import time
import uuid

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from articles.models import Status
from kb import caching
from models_catalog.models import Value
from tests.factories import (
    AIModelFactory,
    ArticleFactory,
    AssessmentFactory,
    FeatureFactory,
    StaffFactory,
    TermFactory,
)

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("KB_TEST_REDIS_URL", "")


@pytest.fixture(params=["locmem", "redis"], autouse=True)
def cache_backend(request, settings):
    if request.param == "redis":
        if not REDIS_URL:
            if os.environ.get("CI"):
                pytest.fail("CI must run the cache tests against Redis: set KB_TEST_REDIS_URL")
            pytest.skip("KB_TEST_REDIS_URL is not set (CI sets it; start redis-server locally)")
        prefix = f"kb-test-{uuid.uuid4().hex[:8]}"
        redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                 "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}
        settings.CACHES = {"default": redis, "kb-shared": {**redis}}
    for cache in caches.all():
        cache.clear()
    yield request.param
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def cell():
    feature = FeatureFactory(name="Run offline", slug="run-offline")
    model = AIModelFactory(name="Llama", slug="llama", featured=True)
    return AssessmentFactory(model=model, feature=feature, value=Value.YES, note="Weights ship.")


def cell_value(response, model_slug, feature_slug):
    for row in response.context["matrix"].rows:
        for c in row.cells:
            if c.model.slug == model_slug and c.feature.slug == feature_slug:
                return c.value
    raise AssertionError("cell not shown")


# --- Cached, and fresh after every change --------------------------------------------------


def test_second_anonymous_request_is_served_from_the_cache(client, cell, django_assert_num_queries):
    first = client.get("/matrix/")
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get("/matrix/")
    assert second.content == first.content
    assert "public" in second["Cache-Control"]
    assert "max-age=" in second["Cache-Control"]


def test_changing_a_cell_shows_on_the_matrix_and_model_page_at_once(client, cell):
    model_url = cell.model.get_absolute_url()
    assert 'Weights ship.' in client.get(model_url).content.decode()
    assert cell_value(client.get("/matrix/"), "llama", "run-offline") == Value.YES

    cell.value = Value.NO
    cell.note = "Weights withdrawn."
    cell.save()

    assert cell_value(client.get("/matrix/"), "llama", "run-offline") == Value.NO
    html = client.get(model_url).content.decode()
    assert "Weights withdrawn." in html


def test_publishing_an_article_shows_on_the_home_page_and_list(client):
    ArticleFactory(title="Already out")
    draft = ArticleFactory(title="Fresh explainer", draft=True)
    list_before = client.get("/articles/")
    home_before = client.get("/")
    assert "Fresh explainer" not in list_before.content.decode()

    draft.status = Status.PUBLISHED
    draft.save()

    assert "Fresh explainer" in client.get("/articles/").content.decode()
    home_after = client.get("/")
    # The home page is built anew under a new generation (it lists the latest explainers).
    assert home_after["ETag"] != home_before["ETag"]
    if "Already out" in home_before.content.decode():
        assert "Fresh explainer" in home_after.content.decode()


def test_many_to_many_changes_invalidate_too(client):
    article = ArticleFactory(title="Weights explained")
    term = TermFactory(term="Open weights", slug="open-weights")
    before = client.get(term.get_absolute_url()).content.decode()
    assert "Weights explained" not in before
    article.related_terms.add(term)
    assert "Weights explained" in client.get(term.get_absolute_url()).content.decode()


def test_deleting_content_invalidates(client, cell):
    assert "Llama" in client.get("/models/").content.decode()
    cell.model.delete()
    assert "Llama" not in client.get("/models/").content.decode()


def test_glossary_search_sees_a_new_term_at_once(client):
    TermFactory(term="Tokenizer", slug="tokenizer")
    assert client.get("/api/glossary/", {"q": "quantization"}).json()["results"] == []
    TermFactory(term="Quantization", slug="quantization")
    results = client.get("/api/glossary/", {"q": "quantization"}).json()["results"]
    assert [r["slug"] for r in results] == ["quantization"]


# --- Never cached ---------------------------------------------------------------------------


def test_staff_draft_preview_is_never_cached(client, django_assert_max_num_queries):
    draft = ArticleFactory(title="Secret draft", slug="secret-draft", draft=True)
    url = reverse("articles:article_detail", args=[draft.slug])
    client.force_login(StaffFactory())
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert "Secret draft" in response.content.decode()
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
        assert not response.has_header("ETag")
    client.logout()
    assert client.get(url).status_code == 404


def test_staff_view_of_a_public_page_does_not_fill_the_cache(client, django_assert_max_num_queries):
    article = ArticleFactory(title="Public one")
    staff_client = client.__class__()
    staff_client.force_login(StaffFactory())
    assert "no-store" in staff_client.get(article.get_absolute_url())["Cache-Control"]
    # The anonymous reader still pays for a full render: nothing was stored for them.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(article.get_absolute_url())
    assert len(queries) > 0


def test_post_is_never_answered_from_the_cache(client, cell):
    client.get("/matrix/")
    assert client.post("/matrix/").status_code == 405


def test_not_found_is_not_cached(client):
    assert client.get("/articles/later/").status_code == 404
    ArticleFactory(title="Later", slug="later")
    assert client.get("/articles/later/").status_code == 200


def test_responses_setting_a_cookie_are_not_stored(rf):
    from django.http import HttpResponse

    calls = []

    def view(request):
        calls.append(1)
        response = HttpResponse("hello")
        response.set_cookie("seen", "1")
        return response

    page = caching.public_page(view)
    page(rf.get("/x/"))
    page(rf.get("/x/"))
    assert len(calls) == 2


def test_admin_is_not_cached(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert "public" not in response.get("Cache-Control", "")


# --- Scheduled articles ---------------------------------------------------------------------


def test_a_page_is_never_kept_past_the_next_scheduled_publication(client):
    ArticleFactory(title="Out now")
    soon = timezone.now() + datetime.timedelta(seconds=40)
    ArticleFactory(title="Scheduled", published_at=soon)
    response = client.get("/articles/")
    state = caching.current_state()
    assert state["next_publication"] == soon
    assert caching.server_timeout(state) <= 40
    max_age = int(response["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert max_age <= 40


def test_a_scheduled_article_appears_when_its_time_comes_without_a_save(client):
    ArticleFactory(title="Out now")
    ArticleFactory(title="Right on time", published_at=timezone.now() + datetime.timedelta(seconds=1.5))
    before = client.get("/articles/")
    assert "Right on time" not in before.content.decode()
    time.sleep(1.6)
    after = client.get("/articles/")
    assert "Right on time" in after.content.decode()
    assert after["ETag"] != before["ETag"]


# --- Conditional requests -------------------------------------------------------------------


CONDITIONAL_URLS = ["/matrix/", "/matrix/export.csv", "/api/matrix/", "/articles/feed/",
                    "/matrix/changes/feed/"]


@pytest.mark.parametrize("url", CONDITIONAL_URLS)
def test_etag_and_last_modified_answer_304_until_something_changes(client, cell, url):
    first = client.get(url)
    assert first.status_code == 200
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304

    cell.value = Value.PARTIAL
    cell.save()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_a_304_carries_the_caching_headers(client, cell):
    etag = client.get("/matrix/")["ETag"]
    response = client.get("/matrix/", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert "public" in response["Cache-Control"]


def test_different_query_strings_have_different_etags(client, cell):
    assert client.get("/matrix/")["ETag"] != client.get("/matrix/?all=1")["ETag"]


def test_a_page_from_the_cache_carries_every_header_of_a_fresh_one(client, cell):
    fresh = client.get("/matrix/")
    cached = client.get("/matrix/")
    volatile = {"Expires", "Cache-Control"}
    assert {k for k in fresh.headers} - volatile == {k for k in cached.headers} - volatile
    for name in ("X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy", "ETag"):
        if name in fresh.headers:
            assert cached[name] == fresh[name]


def test_a_reader_with_an_anonymous_session_cookie_is_served_and_cached_too(client, cell,
                                                                            settings):
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    first = client.get("/matrix/")
    assert first.status_code == 200
    assert "public" in first["Cache-Control"]
    assert client.get("/matrix/").content == first.content
