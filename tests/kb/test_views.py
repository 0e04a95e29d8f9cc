import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def test_home_page_renders_with_navigation(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for name in ["models_catalog:matrix", "models_catalog:model_list", "articles:article_list",
                 "glossary:term_list"]:
        assert f'href="{reverse(name)}"' in html
    assert 'class="skip-link"' in html


def test_healthz_reports_ok_when_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_database_is_unreachable(tmp_path):
    # A real unreachable server: PostgreSQL on a port nobody listens on, in a fresh process.
    code = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(r.status_code, json.dumps(r.json()))"
    )
    env = {**os.environ, "DATABASE_URL": "postgres://kb:kb@127.0.0.1:9/kb",
           "DJANGO_SETTINGS_MODULE": "kb.settings", "DJANGO_ALLOWED_HOSTS": "testserver",
           "DJANGO_SECURE_SSL_REDIRECT": "0",
           # An empty shared cache: the page-cache layer has no state and must not need the
           # database to step aside.
           "DJANGO_SHARED_CACHE_DIR": str(tmp_path / "shared-cache")}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503", result.stderr
    assert json.loads(body)["database"] == "unavailable"


def test_robots_txt_points_at_sitemap_and_hides_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_sitemap_lists_site_pages(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert "<loc>http://testserver/matrix/</loc>" in response.content.decode()


def test_unknown_url_gets_site_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_search_page_accepts_odd_input(client):
    response = client.get("/search/", {"q": "\x00<script>" * 50})
    assert response.status_code == 200


def _home_content(n):
    from tests.factories import AIModelFactory, ArticleFactory, AssessmentFactory, FeatureFactory

    features = FeatureFactory.create_batch(3)
    for _ in range(n):
        model = AIModelFactory(featured=True)
        for feature in features:
            AssessmentFactory(model=model, feature=feature)
        ArticleFactory()
    AIModelFactory(featured=False, name="Hidden Model")


@pytest.mark.parametrize("n", [2, 12])
def test_home_page_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, n):
    _home_content(n)
    with django_assert_max_num_queries(8):
        response = client.get("/")
    assert response.status_code == 200


def test_home_page_tells_the_story_with_matrix_chart_articles_changes_and_search(client):
    from tests.factories import AIModelFactory, ArticleFactory, AssessmentFactory, FeatureFactory

    feature = FeatureFactory(name="Download weights")
    model = AIModelFactory(name="Llama Test", featured=True)
    AssessmentFactory(model=model, feature=feature)
    AIModelFactory(name="Hidden Model", featured=False)
    ArticleFactory(title="Published explainer")
    ArticleFactory(title="Secret draft", draft=True)
    html = client.get("/").content.decode()
    assert "Open or closed?" in html
    assert 'class="matrix"' in html and "Llama Test" in html
    assert 'aria-label="Featured models compared"' in html
    assert 'scope="col" class="matrix__model"><a href="/models/hidden-model/"' not in html
    assert 'class="chart"' in html and 'data-slug="hidden-model"' in html
    assert "Published explainer" in html and "Secret draft" not in html
    assert f"{model.get_absolute_url()}#cell-{feature.slug}" in html  # recently changed cell
    assert 'id="home-glossary-q"' in html and 'action="/glossary/"' in html
