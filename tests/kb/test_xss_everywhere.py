"""XSS everywhere: every vector of tests/xss_vectors.py, placed in every field an editor or an
import can fill, is inert wherever it appears — pages, search snippets, feeds, JSON and CSV.

Pages are judged by parsing: the page built with the vector may contain no unsafe element or
attribute that the same page built with harmless text does not already have (the site's own search
forms, stylesheets and static scripts are in both).
"""

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections import Counter
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.factories import (
    AIModelFactory,
    ArticleFactory,
    AssessmentFactory,
    FeatureFactory,
    LicenseFactory,
    OrganizationFactory,
    TagFactory,
    TermFactory,
)
from tests.xss_vectors import XSS_VECTORS, assert_safe_html, html_problems

pytestmark = pytest.mark.django_db

MARKER = "zebrafish"
STATIC = "/static/"
BENIGN = "Harmless words about weights"


def stored(text):
    # No entry path stores NUL (forms refuse it, Markdown bodies drop it, PostgreSQL rejects it).
    return text.replace("\x00", "")


def build_world(text):
    """One of everything, with `text` in every editor-written field (plus a search marker)."""
    text = stored(text)
    markdown = f"{text}\n\n{MARKER} paragraph."
    plain = f"{text} {MARKER}"
    organization = OrganizationFactory(name=f"Org {text}"[:120], slug="org")
    licence = LicenseFactory(name=f"Licence {text}"[:160], slug="licence", summary=markdown)
    model = AIModelFactory(
        name=f"Model {text}"[:120], slug="model", organization=organization, license=licence,
        summary=plain[:300], description=markdown,
    )  # fmt: skip
    AIModelFactory(  # the other side of /models/compare/
        name=f"Second {text}"[:120], slug="model-two", organization=organization, license=licence,
        summary=plain[:300], description=markdown,
    )  # fmt: skip
    term = TermFactory(
        term=f"{MARKER} {text}"[:120], slug="term", definition=plain, body=markdown,
        aliases=[f"alias {text}"[:120]],
    )  # fmt: skip
    feature = FeatureFactory(
        name=f"Feature {text}"[:120], slug="feature", question=f"{text}?"[:200],
        help_text=markdown, term=term,
    )  # fmt: skip
    cell = AssessmentFactory(
        model=model, feature=feature, note=markdown,
        sources=[{"url": "https://example.org/evidence", "title": plain}],
    )  # fmt: skip
    cell.note = f"{markdown}\n\nedited"  # a second version for the change log and its feed
    cell.save()
    article = ArticleFactory(
        title=f"Article {text}"[:200], slug="article", summary=plain[:400],
        body=f"{markdown}\n\n[[matrix model]]\n\nMentions {MARKER} and weights.",
    )  # fmt: skip
    article.tags.add(TagFactory(name=f"tag {text}"[:60], slug="tag"))
    article.related_models.add(model)
    article.related_terms.add(term)
    return {"model": model, "term": term, "article": article, "licence": licence,
            "feature": feature, "cell": cell}  # fmt: skip


HTML_PAGES = {
    "home": lambda text: reverse("home"),
    "model list": lambda text: reverse("models_catalog:model_list"),
    "model": lambda text: reverse("models_catalog:model_detail", args=["model"]),
    "matrix": lambda text: reverse("models_catalog:matrix"),
    "compare": lambda text: reverse("models_catalog:compare") + "?a=model&b=model-two",
    "matrix picked": lambda text: reverse("models_catalog:matrix") + "?models=model",
    "matrix changes": lambda text: reverse("models_catalog:matrix_changes"),
    "licence": lambda text: reverse("models_catalog:license_detail", args=["licence"]),
    "article list": lambda text: reverse("articles:article_list"),
    "article list by tag": lambda text: reverse("articles:article_list") + "?tag=tag",
    "article": lambda text: reverse("articles:article_detail", args=["article"]),
    "glossary": lambda text: reverse("glossary:term_list"),
    "term": lambda text: reverse("glossary:term_detail", args=["term"]),
    "glossary search snippet": lambda text: reverse("glossary:term_list") + f"?q={MARKER}",
    "glossary search echo": lambda text: reverse("glossary:term_list") + "?q=" + quote(text),
    "site search snippet": lambda text: reverse("search") + f"?q={MARKER}",
    "site search echo": lambda text: reverse("search") + "?q=" + quote(text),
    "not found echo": lambda text: "/articles/" + quote(text, safe="") + "/",
}
_baseline = {}


def page_problems(client, url):
    response = client.get(url)
    assert response.status_code in (200, 404), url
    return Counter(html_problems(response.content.decode(), allowed_script_prefix=STATIC))


@pytest.fixture
def benign_problems(client):
    if not _baseline:
        build_world(BENIGN)
        for name, url in HTML_PAGES.items():
            _baseline[name] = page_problems(client, url(BENIGN))
        # The hostile world is built next in this same test: start it from empty tables.
        for model in _models_to_clear():
            model.objects.all().delete()
    return _baseline


def _models_to_clear():
    from articles.models import Article, Tag
    from glossary.models import Term
    from models_catalog.models import AIModel, Assessment, Feature, License, Organization

    return [Article, Tag, Assessment, Feature, Term, AIModel, License, Organization]


@pytest.mark.parametrize("name, vector", XSS_VECTORS, ids=[name for name, _ in XSS_VECTORS])
def test_vector_is_inert_on_every_html_page(client, benign_problems, name, vector):
    build_world(vector)

    for page, url in HTML_PAGES.items():
        extra = page_problems(client, url(vector)) - benign_problems[page]
        assert not extra, f"{page}: {sorted(extra)} from {name!r}"


def admin(name, key=None):
    return lambda world: reverse(f"admin:{name}", args=[world[key].pk] if key else [])


# Where editors see each other's text: the admin must show it as text too (the pages that show
# most of it: change forms with inlines and previews, history, the cell list).
ADMIN_PAGES = {
    "article change": admin("articles_article_change", "article"),
    "model change with cells": admin("models_catalog_aimodel_change", "model"),
    "model history": admin("models_catalog_aimodel_history", "model"),
    "cell list": admin("models_catalog_assessment_changelist"),
    "licence change": admin("models_catalog_license_change", "licence"),
    "term change": admin("glossary_term_change", "term"),
}
_admin_baseline = {}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def benign_admin_problems(admin_client):
    if not _admin_baseline:
        world = build_world(BENIGN)
        for name, url in ADMIN_PAGES.items():
            _admin_baseline[name] = page_problems(admin_client, url(world))
        for model in _models_to_clear():
            model.objects.all().delete()
    return _admin_baseline


@pytest.mark.parametrize("name, vector", XSS_VECTORS, ids=[name for name, _ in XSS_VECTORS])
def test_vector_is_inert_in_the_admin(admin_client, benign_admin_problems, name, vector):
    world = build_world(vector)

    for page, url in ADMIN_PAGES.items():
        extra = page_problems(admin_client, url(world)) - benign_admin_problems[page]
        assert not extra, f"{page}: {sorted(extra)} from {name!r}"


def iter_html_fields(value, key=""):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from iter_html_fields(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from iter_html_fields(v, key)
    elif isinstance(value, str) and key.endswith("html"):
        yield value


@pytest.mark.parametrize("name, vector", XSS_VECTORS, ids=[name for name, _ in XSS_VECTORS])
def test_vector_is_plain_data_in_the_json_apis(client, name, vector):
    world = build_world(vector)

    matrix = client.get(reverse("models_catalog:matrix_api"))
    assert matrix["Content-Type"].startswith("application/json")
    assert matrix["X-Content-Type-Options"] == "nosniff"
    body = b"".join(matrix.streaming_content) if matrix.streaming else matrix.content
    data = json.loads(body)
    model = next(m for m in data["models"] if m["slug"] == "model")
    # JSON carries the editor's text as data, exactly as stored; it is never HTML to a browser.
    assert model["description"] == world["model"].description
    assert model["cells"]["feature"]["note"] == f"{stored(vector)}\n\n{MARKER} paragraph.\n\nedited"
    assert model["cells"]["feature"]["sources"][0]["title"] == f"{stored(vector)} {MARKER}"
    for html in iter_html_fields(data):
        assert_safe_html(html)

    glossary = client.get(reverse("glossary:api_search") + f"?q={MARKER}")
    assert glossary["Content-Type"].startswith("application/json")
    results = glossary.json()["results"]
    assert [r["definition"] for r in results] == [world["term"].definition]
    assert results[0]["url"] == reverse("glossary:term_detail", args=["term"])
    for html in iter_html_fields(glossary.json()):
        assert_safe_html(html)


@pytest.mark.parametrize("name, vector", XSS_VECTORS, ids=[name for name, _ in XSS_VECTORS])
def test_vector_is_plain_text_in_the_csv(client, name, vector):
    build_world(vector)

    response = client.get(reverse("models_catalog:matrix_export_csv"))
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    (row,) = csv.DictReader(io.StringIO(body.decode("utf-8-sig")))

    from models_catalog.exports import from_spreadsheet_safe

    assert from_spreadsheet_safe(row["note"]) == f"{stored(vector)}\n\n{MARKER} paragraph.\n\nedited"
    assert row["sources"] == "https://example.org/evidence"


FEEDS = {
    "article feed": lambda: reverse("articles:feed"),
    "matrix changes feed": lambda: reverse("models_catalog:matrix_changes_feed"),
}
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize("feed", FEEDS)
@pytest.mark.parametrize("name, vector", XSS_VECTORS, ids=[name for name, _ in XSS_VECTORS])
def test_vector_is_inert_in_the_feeds(client, feed, name, vector):
    build_world(vector)

    response = client.get(FEEDS[feed]())

    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own server's output
    entries = root.findall(f"{ATOM}entry")
    assert entries
    for element in root.iter():
        # type="html" content is HTML to a feed reader: it must be safe once unescaped.
        if element.get("type") == "html" and element.text:
            assert_safe_html(element.text)
    if feed == "article feed":
        # The summary is plain text: once the feed reader unescapes it, it is the text stored.
        summary = entries[0].findtext(f"{ATOM}summary")
        assert summary == escape(f"{stored(vector)} {MARKER}"[:400])
