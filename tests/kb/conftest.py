"""One of every public page type, built from the factories, for the security tests."""

import pytest
from django.urls import reverse

from tests.factories import (
    AIModelFactory,
    ArticleFactory,
    AssessmentFactory,
    FeatureFactory,
    TermFactory,
)


def build_site():
    """Create one row of each kind and return {page type: URL} for every public page type."""
    model = AIModelFactory(name="Llama Test", slug="llama-test")
    feature = FeatureFactory(name="Download weights", slug="download-weights")
    AssessmentFactory(model=model, feature=feature)
    other = AIModelFactory(name="Claude Test", slug="claude-test")
    AssessmentFactory(model=other, feature=feature)
    article = ArticleFactory(title="Why weights matter", slug="why-weights-matter")
    term = TermFactory(term="Weights", slug="weights")
    return {
        "home": reverse("home"),
        "search": reverse("search") + "?q=weights",
        "matrix": reverse("models_catalog:matrix"),
        "model list": reverse("models_catalog:model_list"),
        "model": reverse("models_catalog:model_detail", args=[model.slug]),
        "compare": reverse("models_catalog:compare") + f"?a={model.slug}&b={other.slug}",
        "licence": reverse("models_catalog:license_detail", args=[model.license.slug]),
        "matrix csv": reverse("models_catalog:matrix_export_csv"),
        "matrix api": reverse("models_catalog:matrix_api"),
        "matrix changes": reverse("models_catalog:matrix_changes"),
        "matrix changes feed": reverse("models_catalog:matrix_changes_feed"),
        "article list": reverse("articles:article_list"),
        "article": reverse("articles:article_detail", args=[article.slug]),
        "article feed": reverse("articles:feed"),
        "glossary": reverse("glossary:term_list"),
        "glossary search": reverse("glossary:term_list") + "?q=weights",
        "term": reverse("glossary:term_detail", args=[term.slug]),
        "glossary api": reverse("glossary:api_search") + "?q=weights",
        "sitemap": "/sitemap.xml",
        "robots": reverse("robots_txt"),
        "health": reverse("healthz"),
        "not found": "/no-such-page/",
    }


PAGE_TYPES = [
    "home", "search", "matrix", "model list", "model", "compare", "licence", "matrix csv", "matrix api",
    "matrix changes", "matrix changes feed", "article list", "article", "article feed",
    "glossary", "glossary search", "term", "glossary api", "sitemap", "robots", "health",
    "not found",
]  # fmt: skip


@pytest.fixture
def site_urls(db):
    return build_site()
