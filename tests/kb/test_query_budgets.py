"""Every public page type in one table: a fixed query budget, the same at two data sizes.

The page cache is empty for each request measured here (a cold render), so the budgets are
what a reader pays on a miss; a hit costs no query at all (tests/kb/test_caching.py).
"""

import datetime

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from models_catalog.models import Value
from tests.factories import (
    AccessChannelFactory,
    AIModelFactory,
    ArticleFactory,
    AssessmentFactory,
    FeatureFactory,
    FeatureGroupFactory,
    LicenseFactory,
    ModalityFactory,
    OrganizationFactory,
    TagFactory,
    TermFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SIZES = {"small": 2, "large": 12}

# (name, url, budget): the budget is the most a cold render may cost, at any data size.
PAGES = [
    ("home", "/", 6),
    ("matrix", "/matrix/", 6),
    ("matrix-picked", "/matrix/?models={picked}", 6),
    ("matrix-filtered", "/matrix/?feature-1=yes&openness=open-weights", 6),
    ("model-list", "/models/", 7),  # + the openness chart
    ("model-detail", "/models/model-1/", 10),
    ("license", "/licenses/licence-1/", 3),
    ("matrix-changes", "/matrix/changes/", 3),
    ("matrix-changes-feed", "/matrix/changes/feed/", 2),
    ("matrix-export-csv", "/matrix/export.csv", 6),
    ("matrix-api", "/api/matrix/", 6),
    ("article-list", "/articles/", 5),
    ("article-detail", "/articles/explainer-1/", 12),
    ("article-feed", "/articles/feed/", 3),
    ("glossary", "/glossary/", 2),
    ("glossary-search", "/glossary/?q=term", 4),
    ("glossary-search-none", "/glossary/?q=zzzzqqq", 4),
    ("term-detail", "/glossary/term-1/", 7),
    ("glossary-api", "/api/glossary/?q=term", 3),
    ("site-search", "/search/?q=model", 6),
    ("sitemap", "/sitemap.xml", 16),  # per section: a count, items, lastmod aggregates
]


def build_site(n):
    """n of everything, and n × n cells, all cross-linked, with history and scheduled posts."""
    text, image = ModalityFactory(name="Text"), ModalityFactory(name="Image")
    api = AccessChannelFactory(name="API")
    groups = [FeatureGroupFactory(name=f"Group {g}", order=g) for g in range(2)]
    terms = [TermFactory(term=f"Term {i}", slug=f"term-{i}", aliases=[f"T{i}x"])
             for i in range(n)]
    features = [FeatureFactory(name=f"Feature {i}", slug=f"feature-{i}", group=groups[i % 2],
                               term=terms[i]) for i in range(n)]
    models = []
    for i in range(n):
        model = AIModelFactory(name=f"Model {i}", slug=f"model-{i}",
                               organization=OrganizationFactory(name=f"Org {i % 3}"),
                               license=LicenseFactory(name=f"Licence {i % 3}"))
        model.modalities.add(text, image)
        model.access_channels.add(api)
        models.append(model)
    today = timezone.localdate()
    for i, model in enumerate(models):
        for j, feature in enumerate(features):
            cell = AssessmentFactory(model=model, feature=feature, value=list(Value)[(i + j) % 5],
                                     verified_on=today - datetime.timedelta(days=200 * (j % 2)))
            cell.value = Value.YES
            cell.save()  # a second version, for the changes page
    tags = [TagFactory(name=f"Tag {i}") for i in range(n)]
    author = UserFactory()
    for i in range(n):
        article = ArticleFactory(
            title=f"Explainer {i}", slug=f"explainer-{i}",
            body=f"## Part\n\nA model and a term.\n\n[[matrix model-0 model-{i}]]\n\nTerm {i}.",
            published_at=timezone.now() - datetime.timedelta(days=i + 1),
        )
        article.tags.add(*tags)
        article.authors.add(author)
        article.related_models.add(*models)
        article.related_terms.add(*terms)
        ArticleFactory(title=f"Draft {i}", draft=True)
        ArticleFactory(title=f"Later {i}", published_at=timezone.now() + datetime.timedelta(days=1))
    for i in range(n):
        terms[i].related.add(*terms[:i])
    return {"picked": ",".join(m.slug for m in models[:10])}


def count_queries(client, url):
    caches["default"].clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name, url, budget", PAGES, ids=[p[0] for p in PAGES])
def test_public_page_stays_within_its_query_budget(client, django_assert_max_num_queries, size,
                                                   name, url, budget):
    params = build_site(SIZES[size])
    caches["default"].clear()
    with django_assert_max_num_queries(budget):
        response = client.get(url.format(**params))
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200


def test_no_public_page_costs_more_queries_with_more_data(client):
    small = {}
    params = build_site(SIZES["small"])
    for name, url, _budget in PAGES:
        small[name] = count_queries(client, url.format(**params))
    more = build_site_more(SIZES["large"])
    grown = {name: count_queries(client, url.format(**more)) for name, url, _budget in PAGES}
    assert grown == small


def build_site_more(n):
    """Grow the small site to n models, features, terms and articles (names continue)."""
    from articles.models import Article
    from glossary.models import Term
    from models_catalog.models import AIModel, Feature

    group = FeatureGroupFactory(name="Group 0")
    start = Term.objects.count()
    terms = [TermFactory(term=f"Term {i}", slug=f"term-{i}") for i in range(start, n)]
    for i, term in zip(range(start, n), terms, strict=True):
        FeatureFactory(name=f"Feature {i}", slug=f"feature-{i}", group=group, term=term)
    models = [AIModelFactory(name=f"Model {i}", slug=f"model-{i}") for i in range(start, n)]
    for model in AIModel.objects.all():
        for feature in Feature.objects.all():
            if not model.assessments.filter(feature=feature).exists():
                AssessmentFactory(model=model, feature=feature)
    for i in range(start, n):
        article = ArticleFactory(title=f"Explainer {i}", slug=f"explainer-{i}")
        article.related_models.add(*models)
        article.related_terms.add(*terms)
    assert Article.objects.published().count() >= n
    return {"picked": ",".join(AIModel.objects.values_list("slug", flat=True)[:10])}
