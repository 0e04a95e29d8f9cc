"""Public explainer pages: what readers see, what only staff see, and what stays hidden."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, SlugRedirect, Status
from tests.factories import (
    AIModelFactory,
    ArticleFactory,
    AssessmentFactory,
    FeatureFactory,
    StaffFactory,
    TagFactory,
    TermFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("articles:article_list")


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def scheduled():
    later = timezone.now() + datetime.timedelta(days=2)
    return ArticleFactory(title="Coming soon", published_at=later)


def hidden_articles():
    return [
        ArticleFactory(title="A draft", draft=True),
        ArticleFactory(title="Under review", status=Status.REVIEW, published_at=None),
        scheduled(),
    ]


# --- List ------------------------------------------------------------------------------------


def test_list_shows_published_articles_newest_first(client):
    ArticleFactory(title="Older", published_at=days_ago(5))
    ArticleFactory(title="Newer", published_at=days_ago(1))
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert [a.title for a in response.context["articles"]] == ["Newer", "Older"]
    html = response.content.decode()
    assert html.index("Newer") < html.index("Older")


def test_list_hides_drafts_reviews_and_scheduled_articles(client):
    ArticleFactory(title="Live")
    hidden_articles()
    html = client.get(LIST_URL).content.decode()
    assert "Live" in html
    for title in ("A draft", "Under review", "Coming soon"):
        assert title not in html


def test_list_hides_unpublished_articles_from_staff_too(client):
    hidden_articles()
    client.force_login(StaffFactory())
    assert list(client.get(LIST_URL).context["articles"]) == []


def test_list_filters_by_tag(client):
    licences = TagFactory(name="Licences")
    tagged = ArticleFactory(title="About licences")
    tagged.tags.add(licences)
    ArticleFactory(title="Something else")
    response = client.get(LIST_URL, {"tag": "licences"})
    assert response.status_code == 200
    assert [a.title for a in response.context["articles"]] == ["About licences"]
    assert "Explainers tagged “Licences”" in response.content.decode()


def test_tags_of_unpublished_articles_are_not_offered(client):
    secret = TagFactory(name="Secret plans")
    draft = ArticleFactory(draft=True)
    draft.tags.add(secret)
    assert "Secret plans" not in client.get(LIST_URL).content.decode()


def test_unknown_tag_is_a_normal_page_saying_so(client):
    ArticleFactory(title="Live")
    response = client.get(LIST_URL, {"tag": "no-such-tag"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is no tag called “no-such-tag”" in html
    assert "Live" in html


@pytest.mark.parametrize("tag", ["\x00", "<script>alert(1)</script>", "a b", "x" * 500])
def test_malformed_tags_are_a_normal_page(client, tag):
    ArticleFactory(title="Live")
    response = client.get(LIST_URL, {"tag": tag})
    assert response.status_code == 200
    assert "There is no tag called" in response.content.decode()
    assert "<script>alert(1)" not in response.content.decode()


@pytest.mark.parametrize("page", ["abc", "-1", "0", "999", "1.5", "", "%00", "\x00"])
def test_bad_page_numbers_are_not_errors(client, page):
    ArticleFactory()
    assert client.get(LIST_URL, {"page": page}).status_code == 200


def test_list_is_paginated(client):
    for n in range(12):
        ArticleFactory(title=f"Number {n:02}", published_at=days_ago(n + 1))
    first = client.get(LIST_URL)
    second = client.get(LIST_URL, {"page": 2})
    assert len(first.context["articles"]) == 10
    assert [a.title for a in second.context["articles"]] == ["Number 10", "Number 11"]
    assert 'rel="next"' in first.content.decode()


@pytest.mark.parametrize("count", [2, 12])
def test_list_query_count_does_not_grow(client, django_assert_max_num_queries, count):
    tag = TagFactory()
    author = UserFactory()
    for _ in range(count):
        article = ArticleFactory()
        article.tags.add(tag)
        article.authors.add(author)
    with django_assert_max_num_queries(5):
        assert client.get(LIST_URL).status_code == 200


# --- Detail ----------------------------------------------------------------------------------


def test_detail_shows_everything_a_reader_needs(client):
    author = UserFactory(first_name="Ada", last_name="Lovelace")
    model = AIModelFactory(name="Llama Test")
    term = TermFactory(term="Weights")
    tag = TagFactory(name="Basics")
    article = ArticleFactory(
        title="What are weights?",
        summary="The numbers a model learned.",
        body="## First part\n\nText.\n\n## Second part\n\nMore.",
        sources=[{"url": "https://example.org/paper", "title": "The paper"}],
        last_reviewed_on=datetime.date(2026, 3, 4),
    )
    article.authors.add(author)
    article.related_models.add(model)
    article.related_terms.add(term)
    article.tags.add(tag)
    html = client.get(article.get_absolute_url()).content.decode()
    for expected in (
        "<h1>What are weights?</h1>",
        "The numbers a model learned.",
        "Ada Lovelace",
        "4 March 2026",
        "1 min",
        '<a href="#first-part">First part</a>',
        '<h2 id="second-part">Second part</h2>',
        'href="https://example.org/paper"',
        "The paper",
        model.get_absolute_url(),
        term.get_absolute_url(),
        "Basics",
    ):
        assert expected in html, expected


def test_detail_links_to_previous_and_next_articles(client):
    first = ArticleFactory(title="First one", published_at=days_ago(3))
    middle = ArticleFactory(title="Middle one", published_at=days_ago(2))
    last = ArticleFactory(title="Last one", published_at=days_ago(1))
    ArticleFactory(title="Draft between", draft=True)
    response = client.get(middle.get_absolute_url())
    assert response.context["previous_article"] == first
    assert response.context["next_article"] == last
    html = response.content.decode()
    assert first.get_absolute_url() in html and last.get_absolute_url() in html
    assert client.get(last.get_absolute_url()).context["next_article"] is None


@pytest.mark.parametrize("kind", ["draft", "review", "scheduled"])
def test_unpublished_article_is_404_for_anonymous(client, kind):
    article = {
        "draft": lambda: ArticleFactory(draft=True),
        "review": lambda: ArticleFactory(status=Status.REVIEW, published_at=None),
        "scheduled": scheduled,
    }[kind]()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_unpublished_article_is_404_for_logged_in_non_staff(client):
    article = ArticleFactory(draft=True)
    client.force_login(UserFactory())
    assert client.get(article.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("kind", ["draft", "scheduled"])
def test_staff_can_preview_a_draft_with_a_banner_and_no_cache(client, kind):
    article = ArticleFactory(draft=True) if kind == "draft" else scheduled()
    client.force_login(StaffFactory())
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="draft-banner"' in html
    assert "not public" in html.lower()
    assert '<meta name="robots" content="noindex, nofollow">' in html
    cache_control = response["Cache-Control"]
    for directive in ("private", "no-cache", "no-store"):
        assert directive in cache_control


def test_head_requests_are_answered(client):
    article = ArticleFactory()
    assert client.head(article.get_absolute_url()).status_code == 200
    assert client.head(LIST_URL).status_code == 200


def test_published_article_has_no_draft_banner(client):
    article = ArticleFactory()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "draft-banner" not in html


def test_missing_article_is_404(client):
    assert client.get(reverse("articles:article_detail", args=["nope"])).status_code == 404


def test_renaming_a_published_article_keeps_the_old_url_working(client):
    article = ArticleFactory(slug="old-name")
    article.slug = "new-name"
    article.save()
    assert SlugRedirect.objects.filter(old_slug="old-name", article=article).exists()
    response = client.get("/articles/old-name/")
    assert response.status_code == 301
    assert response["Location"] == "/articles/new-name/"


def test_renaming_twice_redirects_every_old_url_to_the_current_one(client):
    article = ArticleFactory(slug="one")
    for slug in ("two", "three"):
        article.slug = slug
        article.save()
    assert client.get("/articles/one/")["Location"] == "/articles/three/"
    assert client.get("/articles/two/")["Location"] == "/articles/three/"


def test_renaming_back_removes_the_redirect_loop(client):
    article = ArticleFactory(slug="alpha")
    article.slug = "beta"
    article.save()
    article.slug = "alpha"
    article.save()
    assert client.get("/articles/alpha/").status_code == 200
    assert client.get("/articles/beta/")["Location"] == "/articles/alpha/"


def test_renaming_a_draft_records_no_redirect():
    article = ArticleFactory(slug="draft-slug", draft=True)
    article.slug = "better-slug"
    article.save()
    assert not SlugRedirect.objects.exists()


def test_old_slug_of_an_unpublished_article_is_404_for_anonymous(client):
    article = ArticleFactory(slug="was-live")
    article.slug = "now-draft"
    article.status = Status.DRAFT
    article.save()
    assert client.get("/articles/was-live/").status_code == 404


def test_link_terms_off_still_shows_the_body(client):
    article = ArticleFactory(body="Plain **words**.", link_terms=False)
    assert "<strong>words</strong>" in client.get(article.get_absolute_url()).content.decode()


def _article_with_everything(n_related):
    article = ArticleFactory(
        body="## A\n\n[[matrix m-0 m-1]]\n\ntext\n\n[[matrix m-1 nope]]\n",
        sources=[{"url": "https://example.org/", "title": "x"}],
    )
    article.authors.add(*[UserFactory() for _ in range(n_related)])
    article.tags.add(*[TagFactory(name=f"Tag {i}") for i in range(n_related)])
    article.related_terms.add(*[TermFactory() for _ in range(n_related)])
    models = [AIModelFactory(slug=f"m-{i}", name=f"M {i}") for i in range(n_related)]
    article.related_models.add(*models)
    features = [FeatureFactory() for _ in range(n_related)]
    for model in models:
        for feature in features:
            AssessmentFactory(model=model, feature=feature)
    ArticleFactory(published_at=days_ago(10))
    ArticleFactory(published_at=timezone.now() - datetime.timedelta(hours=1))
    return article


@pytest.mark.parametrize("size", [2, 6])
def test_detail_query_count_does_not_grow(client, django_assert_max_num_queries, size):
    article = _article_with_everything(size)
    with django_assert_max_num_queries(12):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 6])
def test_staff_preview_query_count_does_not_grow(client, django_assert_max_num_queries, size):
    article = _article_with_everything(size)
    client.force_login(StaffFactory())
    with django_assert_max_num_queries(14):
        assert client.get(article.get_absolute_url()).status_code == 200


# --- Live matrix slices --------------------------------------------------------------------


def test_matrix_slice_renders_current_data(client):
    llama = AIModelFactory(name="Llama X", slug="llama-x")
    claude = AIModelFactory(name="Claude X", slug="claude-x")
    feature = FeatureFactory(name="Download weights")
    AssessmentFactory(model=llama, feature=feature, value="yes")
    cell = AssessmentFactory(model=claude, feature=feature, value="yes")
    article = ArticleFactory(body="Intro\n\n[[matrix llama-x claude-x]]\n")
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<table class="matrix">' in html
    assert html.index("Llama X") < html.index("Claude X")
    assert 'data-matrix-models' not in html
    # Change the data: the article shows the new value without being saved again.
    cell.value = "no"
    cell.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "value--no" in html


def test_unknown_model_in_a_slice_warns_staff_and_is_invisible_to_readers(client):
    AIModelFactory(name="Known Model", slug="known")
    FeatureFactory()
    article = ArticleFactory(body="[[matrix known not-a-model]]\n")
    public = client.get(article.get_absolute_url())
    assert public.status_code == 200
    public_html = public.content.decode()
    assert "Known Model" in public_html
    assert "not-a-model" not in public_html
    assert "slice-warning" not in public_html
    client.force_login(StaffFactory())
    staff_html = client.get(article.get_absolute_url()).content.decode()
    assert "slice-warning" in staff_html
    assert "<code>not-a-model</code>" in staff_html
    assert "Known Model" in staff_html


def test_slice_with_only_unknown_models_is_empty_for_readers(client):
    article = ArticleFactory(body="Before\n\n[[matrix ghost]]\n\nAfter")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Before" in html and "After" in html
    assert "<table" not in html


def test_live_preview_fills_slices_and_warns(client):
    AIModelFactory(name="Known Model", slug="known")
    FeatureFactory()
    client.force_login(StaffFactory())
    response = client.post(
        reverse("markdownx_markdownify"), {"content": "[[matrix known ghost]]"}
    )
    html = response.content.decode()
    assert "Known Model" in html
    assert "<code>ghost</code>" in html


# --- Sitemap ---------------------------------------------------------------------------------


def test_sitemap_lists_published_articles_only_with_lastmod(client):
    live = ArticleFactory(slug="live-one")
    for article in hidden_articles():
        assert article.slug != live.slug
    response = client.get(reverse("django.contrib.sitemaps.views.sitemap"))
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own server's output
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = {
        u.find("s:loc", ns).text: u.find("s:lastmod", ns) for u in root.findall("s:url", ns)
    }
    article_urls = [loc for loc in urls if "/articles/" in loc and not loc.endswith("/articles/")]
    assert article_urls == ["http://testserver/articles/live-one/"]
    assert urls["http://testserver/articles/live-one/"] is not None


def test_published_queryset_is_the_public_definition():
    live = ArticleFactory()
    hidden_articles()
    assert list(Article.objects.published()) == [live]
