from html.parser import HTMLParser

from kb.rendering import render, render_markdown


class Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse(html):
    collector = Collector()
    collector.feed(html)
    return collector.tags


def test_markdown_features_render():
    rendered = render("## Part one\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode\n```\n\nx[^1]\n\n[^1]: n")
    tags = [t for t, _ in parse(rendered.html)]
    assert {"h2", "table", "pre", "code", "sup"} <= set(tags)
    assert ("h2", {"id": "part-one"}) in parse(rendered.html)
    assert 'href="#part-one"' in rendered.toc


def test_script_and_event_handlers_are_removed():
    html = render_markdown('<script>alert(1)</script><img src="x.png" onerror="alert(1)">')
    assert "alert" not in html
    for _tag, attrs in parse(html):
        assert not any(name.startswith("on") for name in attrs)


def test_javascript_and_data_urls_are_dropped():
    html = render_markdown("[a](javascript:alert(1)) ![b](data:image/png;base64,AAAA)")
    for _tag, attrs in parse(html):
        assert not str(attrs.get("href", "")).startswith("javascript:")
        assert not str(attrs.get("src", "")).startswith("data:")


def test_external_links_get_noopener_nofollow_and_internal_do_not():
    tags = parse(render_markdown("[out](https://example.org/) [in](/glossary/)"))
    links = {attrs["href"]: attrs.get("rel") for tag, attrs in tags if tag == "a"}
    assert links["https://example.org/"] == "noopener nofollow"
    assert links["/glossary/"] is None


def test_matrix_shortcode_becomes_inert_placeholder():
    html = render_markdown("[[matrix llama-3-1 claude]]")
    assert ("div", {"class": "matrix-slice", "data-matrix-models": "llama-3-1 claude"}) in parse(html)
