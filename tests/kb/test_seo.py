import json
import re

import pytest

from tests.factories import AIModelFactory, ArticleFactory, AssessmentFactory, TermFactory

pytestmark = pytest.mark.django_db

LD_RE = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def _ld(client, url):
    html = client.get(url).content.decode()
    blocks = [json.loads(b) for b in LD_RE.findall(html)]
    assert len(blocks) == 1, url
    return blocks[0]


@pytest.fixture
def content():
    assessment = AssessmentFactory(model=AIModelFactory(slug="llama", name="Llama"))
    return {
        "article": ArticleFactory(title="What open weights mean", slug="open-weights"),
        "term": TermFactory(term="Weights", slug="weights", definition="The learned numbers."),
        "model": assessment.model,
    }


def test_article_has_article_json_ld(client, content):
    data = _ld(client, "/articles/open-weights/")
    assert data["@type"] == "Article" and data["headline"] == "What open weights mean"
    assert data["url"].endswith("/articles/open-weights/") and "datePublished" in data


def test_term_page_has_defined_term_and_index_has_defined_term_set(client, content):
    term = _ld(client, "/glossary/weights/")
    assert term["@type"] == "DefinedTerm" and term["name"] == "Weights"
    index = _ld(client, "/glossary/")
    assert index["@type"] == "DefinedTermSet"
    assert [t["name"] for t in index["hasDefinedTerm"]] == ["Weights"]


def test_matrix_is_a_dataset_with_its_licence(client, content):
    data = _ld(client, "/matrix/")
    assert data["@type"] == "Dataset"
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert "Llama" in data["about"]


def test_json_ld_cannot_be_closed_by_editor_text(client):
    ArticleFactory(title="</script><script>alert(1)</script>", slug="evil")
    html = client.get("/articles/evil/").content.decode()
    block = LD_RE.search(html).group(1)
    assert "</script" not in block and json.loads(block)["headline"].startswith("</script>")


PAGES = ["/", "/matrix/", "/models/", "/models/llama/", "/models/compare/?a=llama&b=other",
         "/articles/", "/articles/open-weights/", "/glossary/", "/glossary/weights/",
         "/matrix/changes/"]


def test_every_page_type_has_a_unique_title_canonical_and_social_tags(client, content):
    AIModelFactory(slug="other", name="Other")
    titles = set()
    for url in PAGES:
        html = client.get(url).content.decode()
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert title not in titles, url
        titles.add(title)
        assert re.search(r'<meta name="description" content="[^"]+">', html), url
        assert html.count('rel="canonical"') == 1, url
        for tag in ('property="og:title"', 'property="og:description"', 'property="og:url"',
                    'property="og:type"', 'name="twitter:card"'):
            assert tag in html, (url, tag)


def test_canonical_drops_stray_query_but_keeps_the_one_that_defines_the_page(client, content):
    html = client.get("/models/?utm_source=x").content.decode()
    assert 'rel="canonical" href="http://testserver/models/"' in html
    html = client.get("/models/compare/?a=llama&b=other&utm_source=x").content.decode()
    assert 'href="http://testserver/models/compare/?a=llama&amp;b=other"' in html


def test_sitemap_lists_every_published_page_with_its_last_change(client, content):
    ArticleFactory(slug="secret", draft=True)
    xml = client.get("/sitemap.xml").content.decode()
    for path in ["/articles/open-weights/", "/glossary/weights/", "/models/llama/", "/matrix/",
                 "/matrix/changes/", "/articles/"]:
        assert f"http://testserver{path}</loc>" in xml, path
    assert "/articles/secret/" not in xml
    entries = re.findall(r"<url>(.*?)</url>", xml, re.S)
    home = next(e for e in entries if "<loc>http://testserver/</loc>" in e)
    assert "<lastmod>" in home
    article = next(e for e in entries if "/articles/open-weights/" in e)
    assert "<lastmod>" in article


def test_footer_states_the_data_licence(client):
    assert b"CC BY 4.0" in client.get("/").content
