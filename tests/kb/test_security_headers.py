"""Every public page type carries the security headers, and the policy forbids inline script."""

import pytest
from django.test import override_settings

from tests.kb.conftest import PAGE_TYPES

pytestmark = pytest.mark.django_db


def csp_directives(response):
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_every_public_page_type_sends_the_security_headers(client, site_urls, page_type):
    response = client.get(site_urls[page_type])

    assert response.status_code == (404 if page_type == "not found" else 200)
    csp = csp_directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_no_public_policy_allows_inline_or_eval_script(client, site_urls):
    for url in site_urls.values():
        header = client.get(url)["Content-Security-Policy"]
        assert "unsafe-inline" not in header and "unsafe-eval" not in header, url


def test_admin_gets_the_same_strict_policy(admin_client):
    # Django's admin and the markdownx editor work without inline styles or scripts
    # (tests/browser/test_csp.py watches them for violations), so nothing is relaxed there.
    csp = csp_directives(admin_client.get("/admin/articles/article/add/"))

    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]


@override_settings(SECURE_SSL_REDIRECT=False)
def test_hsts_is_sent_over_https_in_production(client, site_urls, settings):
    # The production default (DEBUG off) is one year, subdomains included; SecurityMiddleware
    # only sends it on secure requests, as the standard requires.
    assert settings.SECURE_HSTS_SECONDS == 31536000
    response = client.get(site_urls["home"], secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "Strict-Transport-Security" not in client.get(site_urls["home"])


def test_session_and_csrf_cookies_are_httponly_samesite_and_secure_in_production():
    from kb import settings as production

    assert production.SESSION_COOKIE_HTTPONLY is True
    assert production.SESSION_COOKIE_SAMESITE == "Lax"
    assert production.CSRF_COOKIE_SAMESITE == "Lax"
    assert production.SESSION_COOKIE_SECURE is True
    assert production.CSRF_COOKIE_SECURE is True


def test_admin_login_session_cookie_is_httponly_and_samesite(client, django_user_model):
    django_user_model.objects.create_user("ed", password="correct horse battery", is_staff=True)

    response = client.post(
        "/admin/login/?next=/admin/", {"username": "ed", "password": "correct horse battery"}
    )

    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
