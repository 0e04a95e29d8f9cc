"""The sanitizer against a corpus of XSS vectors, through every way editor Markdown reaches a
browser here: the article save (body_html, toc_html), the public page, and the admin's live
preview endpoint. Output is judged by parsing it (tests/xss_vectors.py), not by substring."""

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, StaffFactory
from tests.xss_vectors import XSS_VECTORS, assert_safe_html, html_problems

pytestmark = pytest.mark.django_db

IDS = [name for name, _ in XSS_VECTORS]
# The page around the article body legitimately has these (the document and the search form).
PAGE_SKELETON = {"<html> tag", "<head> tag", "<body> tag", "<title> tag", "<meta> tag",
                 "<link> tag", "<form> tag", "<input> tag", "<button> tag"}  # fmt: skip


def body_region(page_html):
    start = page_html.index('class="article__body prose">')
    end = page_html.index('<footer class="article__footer">')
    return page_html[start + len('class="article__body prose">') : end]


def test_the_checker_catches_what_it_should():
    # Guard against a checker that passes everything.
    assert html_problems("<script>alert(1)</script>")
    assert html_problems('<a href="jav&#x61;script:alert(1)">x</a>')
    assert html_problems('<a href=" java\tscript:x">x</a>')
    assert html_problems('<img src="x" onerror="alert(1)">')
    assert html_problems("<!-- hi -->")
    assert html_problems('<img src="data:image/png;base64,AAAA">')
    assert html_problems("<svg></svg>")
    assert not html_problems('<p><a href="https://example.org/" rel="noopener">ok</a></p>')


@pytest.mark.parametrize("vector", [v for _, v in XSS_VECTORS], ids=IDS)
def test_article_save_sanitizes_body_and_toc(vector):
    article = ArticleFactory(body=f"## Heading {vector}\n\n{vector}\n\nText after.")
    assert_safe_html(article.body_html)
    assert_safe_html(article.toc_html)


@pytest.mark.parametrize("vector", [v for _, v in XSS_VECTORS], ids=IDS)
def test_article_page_shows_vectors_inertly(client, vector):
    article = ArticleFactory(body=f"Intro\n\n{vector}\n\n[[matrix ghost]]\n\nOutro")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert_safe_html(body_region(page))
    page_problems = set(html_problems(page, allowed_script_prefix="/static/")) - PAGE_SKELETON
    assert not page_problems


@pytest.mark.parametrize("vector", [v for _, v in XSS_VECTORS], ids=IDS)
def test_live_preview_endpoint_sanitizes(client, vector):
    client.force_login(StaffFactory())
    response = client.post(reverse("markdownx_markdownify"), {"content": vector})
    assert response.status_code == 200
    assert_safe_html(response.content.decode())


def test_text_of_a_code_span_survives_as_text():
    article = ArticleFactory(body="`<script>alert(1)</script>`")
    assert "&lt;script&gt;" in article.body_html


def test_title_and_summary_are_escaped_on_the_page(client):
    article = ArticleFactory(
        title='<img src=x onerror="alert(1)">', summary="<script>alert(2)</script>"
    )
    page = client.get(article.get_absolute_url()).content.decode()
    problems = set(html_problems(page, allowed_script_prefix="/static/")) - PAGE_SKELETON
    assert not problems
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page


def test_external_links_in_articles_get_noopener_nofollow():
    article = ArticleFactory(body="[out](https://example.org/) and [in](/glossary/)")
    assert 'href="https://example.org/" rel="noopener nofollow"' in article.body_html
    assert 'href="/glossary/">' in article.body_html
