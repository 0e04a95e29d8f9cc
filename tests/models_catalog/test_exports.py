"""Large exports stream, byte for byte the same as the small ones built in memory."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from models_catalog import exports
from models_catalog.models import Value
from tests.factories import (
    AIModelFactory,
    AssessmentFactory,
    FeatureFactory,
    FeatureGroupFactory,
    OrganizationFactory,
)

pytestmark = pytest.mark.django_db

URLS = ["/matrix/export.csv", "/api/matrix/", "/api/matrix/?openness=bogus",
        "/matrix/export.csv?openness=open-weights"]


@pytest.fixture
def matrix():
    groups = [FeatureGroupFactory(name="Access", order=1), FeatureGroupFactory(name="Control",
                                                                               order=2)]
    features = [FeatureFactory(name=f"Feature {n}", slug=f"feature-{n}", group=groups[n % 2])
                for n in range(5)]
    org = OrganizationFactory(name="Zürich Lab")
    models = [AIModelFactory(name=f"Modèle {n}", slug=f"model-{n}", organization=org)
              for n in range(7)]
    values = list(Value)
    for i, model in enumerate(models):
        for j, feature in enumerate(features):
            if (i + j) % 4:
                AssessmentFactory(model=model, feature=feature, value=values[(i + j) % 5],
                                  note=f"Note “{i},{j}”, with a comma\nand a line.")
    return models, features


def forget_pages():
    """The page cache would answer the second request with the first response."""
    caches["default"].clear()


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize("url", URLS)
def test_a_large_export_streams_the_same_bytes_as_a_small_one(client, matrix, monkeypatch, url):
    whole = client.get(url)
    assert not whole.streaming
    forget_pages()
    monkeypatch.setattr(exports, "STREAM_ABOVE_CELLS", 0)
    monkeypatch.setattr(exports, "CSV_CHUNK_FEATURES", 2)
    monkeypatch.setattr(exports, "JSON_CHUNK_MODELS", 3)
    streamed = client.get(url)
    assert streamed.status_code == 200
    assert streamed.streaming
    assert streamed["Content-Type"] == whole["Content-Type"]
    assert body(streamed) == whole.content


def test_streamed_json_of_an_empty_catalogue_is_the_same_as_whole(client, monkeypatch):
    whole = client.get("/api/matrix/").content
    forget_pages()
    monkeypatch.setattr(exports, "STREAM_ABOVE_CELLS", -1)
    streamed = client.get("/api/matrix/")
    assert streamed.streaming
    assert body(streamed) == whole


def test_the_exports_stream_by_default_above_the_threshold(client, matrix, monkeypatch):
    monkeypatch.setattr(exports, "STREAM_ABOVE_CELLS", 7 * 5 - 1)
    assert client.get("/matrix/export.csv").streaming
    assert client.get("/api/matrix/").streaming


@pytest.mark.parametrize("url, chunk_setting", [("/matrix/export.csv", "CSV_CHUNK_FEATURES"),
                                                 ("/api/matrix/", "JSON_CHUNK_MODELS")])
def test_a_streamed_export_costs_one_query_per_chunk(client, matrix, monkeypatch, url,
                                                     chunk_setting):
    monkeypatch.setattr(exports, "STREAM_ABOVE_CELLS", 0)
    counts = []
    for chunk in (100, 1):
        monkeypatch.setattr(exports, chunk_setting, chunk)
        with CaptureQueriesContext(connection) as queries:
            body(client.get(url, {"all": chunk}))  # a distinct URL: never from the page cache
        counts.append(len(queries))
    chunks = 5 if chunk_setting == "CSV_CHUNK_FEATURES" else 7
    assert counts[1] - counts[0] == chunks - 1


@pytest.mark.parametrize("url", ["/matrix/export.csv", "/api/matrix/"])
def test_a_streamed_export_is_replayed_from_the_page_cache_chunk_by_chunk(
    client, matrix, monkeypatch, url, django_assert_num_queries
):
    monkeypatch.setattr(exports, "STREAM_ABOVE_CELLS", 0)
    monkeypatch.setattr(exports, "CSV_CHUNK_FEATURES", 2)
    monkeypatch.setattr(exports, "JSON_CHUNK_MODELS", 3)
    first = client.get(url)
    first_body = body(first)
    with django_assert_num_queries(0):
        again = client.get(url)
        assert again.streaming
        assert body(again) == first_body
    assert again["Content-Type"] == first["Content-Type"]


def test_a_streamed_export_left_unfinished_is_not_replayed(client, matrix, monkeypatch):
    monkeypatch.setattr(exports, "STREAM_ABOVE_CELLS", 0)
    monkeypatch.setattr(exports, "CSV_CHUNK_FEATURES", 1)
    partial = client.get("/matrix/export.csv")
    next(iter(partial.streaming_content))  # the reader hung up after one chunk
    del partial
    whole = body(client.get("/matrix/export.csv"))
    forget_pages()
    assert whole == body(client.get("/matrix/export.csv"))
