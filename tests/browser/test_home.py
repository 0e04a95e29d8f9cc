import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_shows_matrix_chart_explainers_changes_and_search(page, screenshot):
    call_command("load_content", verbosity=0)
    page.goto("/")
    assert "Open or closed?" in page.locator("h1").inner_text()
    assert page.locator("#home-matrix th.matrix__model a", has_text="Claude").count() == 1
    assert page.locator("#home-matrix th.matrix__model a", has_text="Llama 3.1").count() == 1
    assert page.locator("svg.chart a.chart__point").count() >= 10
    assert page.locator("section[aria-labelledby='latest-heading'] li").count() >= 1
    assert page.locator("section[aria-labelledby='recent-changes-heading'] li").count() >= 1
    screenshot(page, "desktop")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "phone")
    # A chart point is a link to its model page.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("svg.chart a[data-slug='llama-3-1']").click()
    page.wait_for_url("**/models/llama-3-1/")
    # The glossary search box on the home page finds a term.
    page.goto("/")
    page.fill("#home-glossary-q", "weights")
    page.press("#home-glossary-q", "Enter")
    page.wait_for_url("**/glossary/?q=weights")
    assert page.locator(".term-results a").count() >= 1


def test_compare_flow_from_a_model_page_gives_a_shareable_url(page, screenshot):
    call_command("load_content", verbosity=0)
    page.goto("/models/claude/")
    page.select_option("#compare-b", "llama-3-1")
    page.click(".compare-picker button[type=submit]")
    page.wait_for_url("**/models/compare/?a=claude&b=llama-3-1")
    assert page.locator("h1").inner_text().replace("\n", " ") == "Claude vs Llama 3.1"
    differing = page.locator("tr.compare__differs")
    assert differing.count() >= 1
    assert "differs" in differing.first.inner_text()
    screenshot(page, "desktop")
    shared = page.url
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(shared)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "phone")
    page.goto("/models/compare/?a=claude&b=does-not-exist")
    assert "No model called" in page.locator(".notice").inner_text()
