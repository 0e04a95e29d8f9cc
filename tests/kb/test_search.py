"""Site-wide search over published explainers, models and glossary terms."""

import pytest
from django.urls import reverse

from kb.search import highlight
from tests.factories import AIModelFactory, ArticleFactory, OrganizationFactory, TermFactory

pytestmark = pytest.mark.django_db

URL = reverse("search")

BAD_INPUT = [
    "", "   ", "x" * 10_000, "open\x00source", "\x00", "\x01\x02\x1b[0m\x7f",
    "\"quoted\" 'single'", 'AND OR "', "*", "NEAR(", "--", "'; DROP TABLE articles_article; --",
    "%_%\\", "<script>alert(1)</script>", "a", "NEAR(open source, 2)",
]


@pytest.fixture
def content():
    org = OrganizationFactory(name="Meta")
    return {
        "article": ArticleFactory(title="What open weights mean",
                                  summary="Weights you can download.",
                                  body="You can **download** the weights and run them offline."),
        "draft": ArticleFactory(title="Unpublished open weights scoop", draft=True,
                                body="Secret weights plans."),
        "scheduled": ArticleFactory(title="Future weights piece",
                                    published_at="2999-01-01T00:00:00Z"),
        "model": AIModelFactory(name="Llama 3.1", organization=org,
                                summary="Open weights model from Meta.",
                                description="Weights are downloadable under a community licence."),
        "term": TermFactory(term="Open weights", definition="Weights anyone may download.",
                            aliases=["open-weight"]),
    }


def test_results_are_grouped_by_kind(client, content):
    response = client.get(URL, {"q": "weights"})
    html = response.content.decode()
    results = response.context["results"]
    assert [h.title for h in results.articles] == ["What open weights mean"]
    assert [h.title for h in results.models] == ["Llama 3.1"]
    assert results.terms[0].title == "Open weights"
    assert html.index('id="results-articles"') < html.index('id="results-models"') < html.index(
        'id="results-terms"')
    assert "3 results" in html


def test_drafts_and_scheduled_articles_are_never_found(client, content):
    html = client.get(URL, {"q": "weights"}).content.decode()
    assert "Unpublished open weights scoop" not in html
    assert "Future weights piece" not in html
    assert "Secret weights" not in client.get(URL, {"q": "secret"}).content.decode()


def test_snippets_highlight_the_matched_words(client, content):
    html = client.get(URL, {"q": "download"}).content.decode()
    assert "<mark>download</mark>" in html


def test_snippets_escape_editor_text(client):
    ArticleFactory(title="Escaping", summary="Text with <script>alert(1)</script> inside.",
                   body="Body with <script>alert(2)</script> too.")
    html = client.get(URL, {"q": "inside"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>inside</mark>" in html
    body_hit = client.get(URL, {"q": "body"}).content.decode()
    assert "<script>alert(2)" not in body_hit


def test_snippet_markup_from_a_query_is_escaped_too():
    snippet = highlight("Use <b>bold</b> & script", ["script", "<b>"])
    assert "<b>" not in snippet.replace("<mark>", "").replace("</mark>", "")
    assert "&lt;" in snippet and "<mark>script</mark>" in snippet


def test_long_text_is_cut_around_the_first_match():
    text = "filler " * 100 + "needle here " + "tail " * 100
    snippet = highlight(text, ["needle"])
    assert "<mark>needle</mark>" in snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert len(snippet) < 300


def test_every_word_must_match_an_article(client, content):
    results = client.get(URL, {"q": "weights banana"}).context["results"]
    assert results.articles == [] and results.models == []


def test_typo_still_finds_the_glossary_term(client, content):
    results = client.get(URL, {"q": "open wieghts"}).context["results"]
    assert results.terms and results.terms[0].title == "Open weights"


def test_nothing_found_says_so(client, content):
    html = client.get(URL, {"q": "zzzzqqqq"}).content.decode()
    assert "Nothing matches" in html


@pytest.mark.parametrize("query", BAD_INPUT)
def test_bad_input_is_a_normal_page(client, content, query):
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.parametrize("size", [2, 25])
def test_search_page_uses_a_fixed_number_of_queries(client, django_assert_max_num_queries, size):
    org = OrganizationFactory(name="Lab")
    for n in range(size):
        ArticleFactory(title=f"Open piece {n}", body="open " * 50)
        AIModelFactory(name=f"Open model {n}", organization=org)
        TermFactory(term=f"Open thing {n}", aliases=[f"ot{n}"])
    with django_assert_max_num_queries(5):
        response = client.get(URL, {"q": "open"})
    assert response.context["results"].total > size
