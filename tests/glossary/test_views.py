"""Glossary pages and the suggestion API: content, bad input and query budgets."""

import pytest
from django.urls import reverse

from glossary.models import Alias, Term
from tests.factories import ArticleFactory, FeatureFactory, TermFactory

pytestmark = pytest.mark.django_db

LIST = reverse("glossary:term_list")
API = reverse("glossary:api_search")

BAD_INPUT = [
    "",
    "   ",
    "x" * 10_000,
    "fine\x00tuning",
    "\x00",
    "\x01\x02\x1b[0m\x7f",
    "\"quoted\" 'single'",
    'AND OR "',
    "*",
    "NEAR(",
    "--",
    "'; DROP TABLE glossary_term; --",
    "title:* OR 1=1",
    "%_%\\",
    "<script>alert(1)</script>",
]


@pytest.fixture
def glossary():
    ft = TermFactory(term="Fine-tuning", slug="fine-tuning",
                     definition="Further training a model on your own examples.",
                     aliases=["finetuning"])
    llm = TermFactory(term="Large language model", slug="large-language-model",
                      definition="A neural network trained on text.", aliases=["LLM"])
    TermFactory(term="2-bit quantization", definition="Very small weights.")
    return {"ft": ft, "llm": llm}


def make_terms(count):
    Term.objects.bulk_create(
        Term(term=f"Extra {n:04d}", slug=f"extra-{n:04d}", key=f"extra{n:04d}",
             definition=f"Extra definition {n}.")
        for n in range(count)
    )
    terms = list(Term.objects.filter(slug__startswith="extra-")[:count])
    Alias.objects.bulk_create(Alias(term=t, name=f"xa{t.pk}", key=f"xa{t.pk}") for t in terms)


def test_index_lists_terms_under_their_letters_with_navigation(client, glossary):
    response = client.get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#letter-F"' in html and 'id="letter-F"' in html
    assert 'id="letter-other"' in html  # "2-bit quantization" starts with a digit
    assert 'href="#letter-Q"' not in html  # no Q terms: shown, but not as a link
    assert html.index("Fine-tuning") < html.index("Large language model")
    assert 'href="/glossary/fine-tuning/"' in html


def test_search_shows_ranked_results(client, glossary):
    response = client.get(LIST, {"q": "fine tuning"})
    results = response.context["results"]
    assert results[0].term == "Fine-tuning"
    assert "Results for" in response.content.decode()


def test_search_with_no_results_offers_did_you_mean(client, glossary):
    response = client.get(LIST, {"q": "larj langwij modl"})
    html = response.content.decode()
    assert response.context["results"] == []
    assert "Did you mean" in html
    assert "Large language model" in html


def test_did_you_mean_also_completes_the_start_of_a_long_name(client, glossary):
    response = client.get(LIST, {"q": "larj langwij"})
    assert response.context["results"] == []
    assert response.context["suggestion"].term == "Large language model"


def test_search_with_nothing_close_says_so(client, glossary):
    html = client.get(LIST, {"q": "zzzzzzzz"}).content.decode()
    assert "No terms match" in html
    assert "Did you mean" not in html


def test_query_is_escaped_on_the_page(client, glossary):
    html = client.get(LIST, {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_detail_shows_definition_aliases_related_articles_and_features(client, glossary):
    ft, llm = glossary["ft"], glossary["llm"]
    ft.related.add(llm)
    published = ArticleFactory(title="Tuning explained")
    draft = ArticleFactory(title="Secret draft", draft=True)
    for article in (published, draft):
        article.related_terms.add(ft)
    FeatureFactory(name="Fine-tune", term=ft)
    response = client.get(ft.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Further training a model" in html
    assert "finetuning" in html
    assert 'href="/glossary/large-language-model/"' in html
    assert "Tuning explained" in html
    assert "Secret draft" not in html
    assert "Fine-tune" in html


def test_unknown_term_is_404(client):
    assert client.get(reverse("glossary:term_detail", args=["nope"])).status_code == 404


def test_api_returns_ranked_json(client, glossary):
    data = client.get(API, {"q": "LLM"}).json()
    top = data["results"][0]
    assert top["term"] == "Large language model"
    assert top["slug"] == "large-language-model"
    assert top["url"] == "/glossary/large-language-model/"
    assert top["matched_alias"] == "LLM"
    assert top["definition"] == "A neural network trained on text."
    assert top["score"] > 0


def test_api_caps_the_number_of_suggestions(client):
    make_terms(30)
    assert len(client.get(API, {"q": "extra"}).json()["results"]) == 8


@pytest.mark.parametrize("query", BAD_INPUT)
def test_bad_input_on_the_glossary_page_is_a_normal_page(client, glossary, query):
    assert client.get(LIST, {"q": query}).status_code == 200


@pytest.mark.parametrize("query", BAD_INPUT)
def test_bad_input_on_the_api_is_an_empty_or_normal_answer(client, glossary, query):
    response = client.get(API, {"q": query})
    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)


def test_api_rejects_post(client):
    assert client.post(API, {"q": "x"}).status_code == 405


@pytest.mark.parametrize("size", [5, 60])
def test_glossary_pages_use_a_fixed_number_of_queries(client, django_assert_max_num_queries, size):
    make_terms(size)
    term = Term.objects.get(slug="extra-0003")
    term.related.add(*Term.objects.filter(slug__in=["extra-0001", "extra-0002"]))
    for n in range(3):
        ArticleFactory(title=f"About {n}").related_terms.add(term)
        FeatureFactory(term=term)
    with django_assert_max_num_queries(2):
        client.get(LIST)
    with django_assert_max_num_queries(4):
        client.get(LIST, {"q": "extra 0003"})
    with django_assert_max_num_queries(4):
        client.get(LIST, {"q": "qqqqqqqq"})  # no results: one more for "did you mean"
    with django_assert_max_num_queries(3):
        client.get(API, {"q": "extr"})
    with django_assert_max_num_queries(7):
        client.get(term.get_absolute_url())


def test_sitemap_lists_every_term(client, glossary):
    xml = client.get("/sitemap.xml").content.decode()
    assert "/glossary/fine-tuning/" in xml
    assert "/glossary/large-language-model/" in xml
