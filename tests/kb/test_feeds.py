"""Both Atom feeds stay well-formed XML whatever control characters the stored text contains."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from kb.feeds import xml_text
from tests.factories import AIModelFactory, ArticleFactory, AssessmentFactory

pytestmark = pytest.mark.django_db


def test_xml_text_drops_only_what_xml_forbids():
    assert xml_text("a\x00b\x01c\x1fd\ufffe") == "abcd"
    assert xml_text("tab\tnewline\ncr\r é 😀") == "tab\tnewline\ncr\r é 😀"


def test_a_control_character_in_an_article_title_does_not_break_the_feed(client):
    ArticleFactory(title="Bell\x07 and form feed\x0c", summary="Back\x08space")

    response = client.get(reverse("articles:feed"))

    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own server's output
    titles = [e.text for e in root.iter("{http://www.w3.org/2005/Atom}title")]
    assert "Bell and form feed" in titles


def test_a_control_character_in_a_cell_does_not_break_the_changes_feed(client):
    cell = AssessmentFactory(model=AIModelFactory(name="Model\x01"), note="Note\x02")
    cell.note = "Changed\x03"
    cell.save()

    response = client.get(reverse("models_catalog:matrix_changes_feed"))

    assert response.status_code == 200
    ET.fromstring(response.content)  # noqa: S314 - our own server's output


def test_the_article_summary_reaches_feed_readers_as_text_not_html(client):
    ArticleFactory(summary="Use <b>bold</b> & <script>x</script>")

    root = ET.fromstring(client.get(reverse("articles:feed")).content)  # noqa: S314 - our own server's output

    summary = root.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}summary")
    assert summary.get("type") == "html"
    assert summary.text == "Use &lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;x&lt;/script&gt;"
