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


def test_healthz_is_503_when_database_is_unreachable():
    # A real unreachable server: PostgreSQL on a port nobody listens on, in a fresh process.
    code = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(r.status_code, json.dumps(r.json()))"
    )
    env = {**os.environ, "DATABASE_URL": "postgres://kb:kb@127.0.0.1:9/kb",
           "DJANGO_SETTINGS_MODULE": "kb.settings", "DJANGO_ALLOWED_HOSTS": "testserver",
           "DJANGO_SECURE_SSL_REDIRECT": "0"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
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
