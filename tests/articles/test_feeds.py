import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Status
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

FEED_URL = reverse("articles:feed")
ATOM = {"a": "http://www.w3.org/2005/Atom"}


def entries(client):
    response = client.get(FEED_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own server's output
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    return root.findall("a:entry", ATOM)


def test_feed_url_is_articles_feed():
    assert FEED_URL == "/articles/feed/"


def test_feed_lists_published_articles_newest_first(client):
    now = timezone.now()
    ArticleFactory(title="Older", published_at=now - datetime.timedelta(days=3))
    ArticleFactory(title="Newer", published_at=now - datetime.timedelta(days=1))
    titles = [e.find("a:title", ATOM).text for e in entries(client)]
    assert titles == ["Newer", "Older"]


def test_feed_excludes_drafts_reviews_and_scheduled(client):
    ArticleFactory(title="Live")
    ArticleFactory(title="Draft", draft=True)
    ArticleFactory(title="Review", status=Status.REVIEW, published_at=None)
    ArticleFactory(title="Later", published_at=timezone.now() + datetime.timedelta(hours=1))
    assert [e.find("a:title", ATOM).text for e in entries(client)] == ["Live"]


def test_feed_entry_has_link_summary_dates_and_author(client):
    article = ArticleFactory(title="Weights", summary="What weights are.", slug="weights")
    article.authors.add(UserFactory(first_name="Ada", last_name="Lovelace"))
    (entry,) = entries(client)
    assert entry.find("a:link", ATOM).get("href") == "http://testserver/articles/weights/"
    assert entry.find("a:summary", ATOM).text == "What weights are."
    assert entry.find("a:published", ATOM) is not None
    assert entry.find("a:updated", ATOM) is not None
    assert entry.find("a:author/a:name", ATOM).text == "Ada Lovelace"


def test_feed_escapes_titles(client):
    ArticleFactory(title="<script>alert(1)</script> & more")
    response = client.get(FEED_URL)
    assert b"<script>" not in response.content
    (entry,) = entries(client)
    assert entry.find("a:title", ATOM).text == "<script>alert(1)</script> & more"


@pytest.mark.parametrize("count", [2, 15])
def test_feed_query_count_does_not_grow(client, django_assert_max_num_queries, count):
    author = UserFactory()
    for _ in range(count):
        ArticleFactory().authors.add(author)
    with django_assert_max_num_queries(3):
        assert client.get(FEED_URL).status_code == 200
