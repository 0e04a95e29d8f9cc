"""A reader looks up a word in the glossary, then meets it inside an explainer."""

import pytest

from tests.factories import ArticleFactory, TermFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_finds_a_term_by_typing_then_reads_its_definition_in_an_article(
    page, screenshot
):
    TermFactory(term="Fine-tuning", slug="fine-tuning",
                definition="Further training a model on your own examples.",
                aliases=["fine-tune"])
    TermFactory(term="Inference", slug="inference", definition="Running a trained model.")
    article = ArticleFactory(
        title="Tuning a model at home",
        body="## Getting started\n\nMost people begin with fine-tuning a small model.",
    )

    page.goto("/glossary/")
    box = page.get_by_role("combobox", name="Look up a term")
    box.press_sequentially("finetuning", delay=20)
    suggestion = page.get_by_role("option", name="Fine-tuning")
    suggestion.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    screenshot(page, "suggestions")
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == suggestion.get_attribute("id")
    box.press("Enter")
    page.wait_for_url("**/glossary/fine-tuning/")
    assert page.locator("h1").inner_text() == "Fine-tuning"

    page.goto(article.get_absolute_url())
    link = page.locator("a.term-link", has_text="fine-tuning")
    tip = page.get_by_role("tooltip")
    assert not tip.is_visible()
    for _ in range(40):  # Tab through the page until the term link has focus.
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the term link never received keyboard focus")
    assert tip.is_visible()
    assert "Further training a model on your own examples." in tip.inner_text()
    assert link.get_attribute("aria-describedby") == tip.get_attribute("id")
    screenshot(page, "tooltip")
    page.keyboard.press("Escape")
    assert not tip.is_visible()
