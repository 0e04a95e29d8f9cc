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


def test_on_a_touch_screen_the_first_tap_shows_the_definition_and_the_second_follows(
    browser, live_server
):
    TermFactory(term="Inference", slug="inference", definition="Running a trained model.")
    article = ArticleFactory(body="Cheap inference matters.")
    context = browser.new_context(base_url=live_server.url, has_touch=True, is_mobile=True,
                                  viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(article.get_absolute_url())
        link = page.locator("a.term-link", has_text="inference")
        tip = page.get_by_role("tooltip")
        link.tap()
        tip.wait_for(state="visible")
        assert "Running a trained model." in tip.inner_text()
        assert page.url.endswith(article.get_absolute_url())
        page.keyboard.press("Escape")
        assert not tip.is_visible()
        link.tap()
        link.tap()
        page.wait_for_url("**/glossary/inference/")
    finally:
        context.close()


def test_without_javascript_the_glossary_search_still_finds_the_term(browser, live_server):
    TermFactory(term="Large language model", slug="large-language-model",
                definition="A big text model.", aliases=["LLM"])
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto("/glossary/")
        box = page.get_by_label("Look up a term")
        assert box.get_attribute("role") is None  # the combobox is added by the script only
        box.fill("llm")
        box.press("Enter")
        page.wait_for_url("**/glossary/?q=llm")
        page.get_by_role("link", name="Large language model").first.click()
        page.wait_for_url("**/glossary/large-language-model/")
    finally:
        context.close()
