import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, SlugRedirect, Status
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_saving_renders_body_html_and_toc():
    article = ArticleFactory(body="## First\n\nHello **there**.\n\n### Deeper\n\nx")
    assert '<h2 id="first">First</h2>' in article.body_html
    assert "<strong>there</strong>" in article.body_html
    assert 'href="#first"' in article.toc_html
    assert 'href="#deeper"' in article.toc_html


def test_an_article_without_headings_has_no_toc():
    assert ArticleFactory(body="Just a paragraph.").toc_html == ""


def test_reading_time_is_at_least_one_minute_and_grows_with_length():
    assert ArticleFactory(body="short").reading_minutes == 1
    assert ArticleFactory(body="word " * 1000).reading_minutes == 5


def test_publishing_without_a_date_stamps_now():
    before = timezone.now()
    article = ArticleFactory(status=Status.PUBLISHED, published_at=None)
    assert before <= article.published_at <= timezone.now()


def test_published_requires_a_date_at_database_level():
    article = ArticleFactory(draft=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(status=Status.PUBLISHED)


def test_published_excludes_drafts_reviews_and_scheduled():
    live = ArticleFactory()
    ArticleFactory(draft=True)
    ArticleFactory(status=Status.REVIEW, published_at=None)
    later = ArticleFactory(published_at=timezone.now() + datetime.timedelta(minutes=5))
    assert list(Article.objects.published()) == [live]
    assert live.is_public() and not later.is_public()
    # A scheduled article becomes public once its time has come.
    in_an_hour = timezone.now() + datetime.timedelta(hours=1)
    assert later in Article.objects.published(now=in_an_hour)


def test_slug_change_of_a_published_article_records_a_redirect():
    article = ArticleFactory(slug="first-name")
    article.title = "Renamed"
    article.save()
    assert not SlugRedirect.objects.exists()  # no slug change, no redirect
    article.slug = "second-name"
    article.save()
    assert list(SlugRedirect.objects.values_list("old_slug", flat=True)) == ["first-name"]


def test_an_old_slug_reused_elsewhere_moves_to_the_latest_owner():
    first = ArticleFactory(slug="shared")
    first.slug = "first-moved"
    first.save()
    second = ArticleFactory(slug="second")
    second.slug = "shared"
    second.save()
    # "shared" is now a live slug again, so it must not redirect anywhere.
    assert not SlugRedirect.objects.filter(old_slug="shared").exists()
    assert SlugRedirect.objects.get(old_slug="second").article == second


def test_history_is_recorded_without_rendered_fields():
    article = ArticleFactory(draft=True)
    article.status = Status.REVIEW
    article.save()
    assert [h.status for h in article.history.order_by("history_date")] == ["draft", "review"]
    assert not hasattr(article.history.first(), "body_html")


def test_a_new_article_taking_an_old_slug_removes_the_redirect():
    first = ArticleFactory(slug="taken")
    first.slug = "moved"
    first.save()
    ArticleFactory(slug="taken")
    assert not SlugRedirect.objects.filter(old_slug="taken").exists()
