"""Automatic linking of glossary terms in sanitized HTML."""

import re

import pytest
from django.template import Context, Template

from glossary.linking import link_terms_html
from kb.rendering import render_markdown
from tests.factories import ArticleFactory, TermFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def terms():
    return {
        "ft": TermFactory(term="Fine-tuning", slug="fine-tuning",
                          definition="Further training <on> your data.", aliases=["finetuning"]),
        "llm": TermFactory(term="Large language model", slug="large-language-model",
                           definition="A big text model.", aliases=["LLM"]),
        "lm": TermFactory(term="Language model", slug="language-model",
                          definition="Predicts text."),
        "token": TermFactory(term="Token", slug="token", definition="A piece of a word."),
    }


def links(html):
    return html.count('class="term-link"')


def test_first_mention_is_linked_once(terms):
    html = link_terms_html("<p>Fine-tuning helps. More fine-tuning helps more.</p>")
    assert links(html) == 1
    assert html.index('href="/glossary/fine-tuning/"') < html.index("More fine-tuning")


def test_matching_ignores_case_and_keeps_the_readers_text(terms):
    html = link_terms_html("<p>Some FINE-TUNING here.</p>")
    assert '">FINE-TUNING</a>' in html


def test_alias_links_to_its_term(terms):
    html = link_terms_html("<p>An LLM answers.</p>")
    assert 'href="/glossary/large-language-model/"' in html
    assert '">LLM</a>' in html


def test_names_with_version_numbers_link_but_sentences_do_not_join(terms):
    TermFactory(term="Apache License 2.0", slug="apache-license-2-0", definition="A licence.")
    html = link_terms_html("<p>Under the Apache License 2.0 today.</p>")
    assert re.search(r'href="/glossary/apache-license-2-0/"[^>]*>Apache License 2.0</a>', html)
    assert links(link_terms_html("<p>It was fine. Tuning came later.</p>")) == 0


def test_whole_words_only(terms):
    html = link_terms_html("<p>Tokens and tokenizers, detokenize.</p>")
    assert links(html) == 0


def test_longest_term_wins(terms):
    html = link_terms_html("<p>A large language model is a language model.</p>")
    assert re.search(r'href="/glossary/large-language-model/"[^>]*>large language model</a>', html)
    assert html.count('href="/glossary/large-language-model/"') == 1
    assert html.count('href="/glossary/language-model/"') == 1


@pytest.mark.parametrize(
    "fragment",
    [
        "<h2>Fine-tuning</h2>",
        "<h3>About fine-tuning</h3>",
        '<p><a href="https://example.org/">fine-tuning guide</a></p>',
        "<p><code>fine-tuning</code></p>",
        "<pre><code>fine-tuning = True</code></pre>",
    ],
)
def test_never_inside_headings_links_or_code(terms, fragment):
    assert links(link_terms_html(fragment)) == 0


def test_heading_mention_does_not_use_up_the_first_link(terms):
    html = link_terms_html("<h2>Fine-tuning</h2><p>Then fine-tuning again.</p>")
    assert links(html) == 1
    assert html.startswith("<h2>Fine-tuning</h2>")


def test_existing_term_links_are_not_linked_again(terms):
    once = link_terms_html("<p>Fine-tuning and a token.</p>")
    assert link_terms_html(once) == once


def test_tooltip_carries_the_escaped_definition_and_is_described_by(terms):
    html = link_terms_html("<p>Try fine-tuning.</p>")
    assert 'role="tooltip"' in html
    assert "Further training &lt;on&gt; your data." in html
    tip_id = html.split('aria-describedby="')[1].split('"')[0]
    assert f'id="{tip_id}"' in html


def test_markup_and_entities_survive(terms):
    source = render_markdown("Use **fine-tuning** & a [link](https://example.org/) <br> ok")
    html = link_terms_html(source)
    assert "<strong><span class=\"term\"><a" in html
    assert "&amp;" in html
    assert 'rel="noopener nofollow"' in html


def test_unrelated_html_is_unchanged(terms):
    source = "<p>Nothing to see &amp; nothing to link.</p><ul><li>one</li></ul>"
    assert link_terms_html(source) == source


def test_filter_is_safe_to_use_in_templates(terms):
    out = Template("{% load glossary_tags %}{{ html|link_terms }}").render(
        Context({"html": "<p>An LLM.</p>"})
    )
    assert "&lt;p&gt;" not in out
    assert 'class="term-link"' in out


def test_article_switch_turns_linking_off(terms):
    article = ArticleFactory(body="Fine-tuning matters.", link_terms=False)
    tpl = Template("{% load glossary_tags %}{{ a.body_html|link_terms_for:a }}")
    assert "term-link" not in tpl.render(Context({"a": article}))
    article.link_terms = True
    assert "term-link" in tpl.render(Context({"a": article}))


def test_linking_uses_no_queries_once_warm(terms, django_assert_num_queries):
    link_terms_html("<p>token</p>")
    with django_assert_num_queries(0):
        assert links(link_terms_html("<p>token and fine-tuning</p>")) == 2


def test_edits_to_terms_show_up_in_links(terms):
    assert links(link_terms_html("<p>quantization</p>")) == 0
    TermFactory(term="Quantization", definition="Fewer bits.")
    assert links(link_terms_html("<p>quantization</p>")) == 1


def test_linking_a_long_article_with_five_thousand_terms_links_each_once(terms):
    from glossary.models import Alias, Term
    from glossary.search import invalidate_index

    Term.objects.bulk_create(
        Term(term=f"Made up thing {n}", slug=f"made-up-{n}", key=f"madeupthing{n}",
             definition="Filler.")
        for n in range(5000)
    )
    Alias.objects.bulk_create(
        Alias(term=t, name=f"mut{t.pk}", key=f"mut{t.pk}") for t in Term.objects.all()
    )
    html = render_markdown(("An LLM needs a token and some fine-tuning, said the thing. " * 40
                            + "\n\n") * 10)  # about 4 400 words
    invalidate_index()
    cold = link_terms_html(html)
    assert link_terms_html(html) == cold  # the cached index links the same way
    assert links(cold) == 3
