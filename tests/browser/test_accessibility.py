"""axe-core (from axe-playwright-python) in the real Chromium over every public page type, at
phone and desktop widths; no horizontal page scrolling at 375 px; keyboard paths."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "home": "/",
    "matrix": "/matrix/",
    "models": "/models/",
    "model": "/models/claude/",
    "compare": "/models/compare/?a=claude&b=llama-3-1",
    "licence": None,  # the first licence a model page links to
    "articles": "/articles/",
    "article": None,  # the first explainer in the list
    "glossary": "/glossary/",
    "term": None,  # the first term in the index
    "search": "/search/?q=weights",
    "changes": "/matrix/changes/",
    "not-found": "/no-such-page/",
}


def _resolve(page, name, url):
    if url:
        return url
    source, selector = {
        "licence": ("/models/llama-3-1/", "a[href^='/licenses/']"),
        "article": ("/articles/", "main a[href^='/articles/']:not([href='/articles/'])"
                                  ":not([href*='?']):not([href$='feed/'])"),
        "term": ("/glossary/", ".term-index a"),
    }[name]
    page.goto(source)
    return page.locator(selector).first.get_attribute("href")


def _serious(results):
    return [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def test_every_public_page_type_passes_axe_and_fits_a_phone(browser, live_server, screenshot):
    call_command("load_content", verbosity=0)
    axe = Axe()
    failures = []
    for width, height in ((375, 800), (1280, 900)):
        context = browser.new_context(base_url=live_server.url,
                                      viewport={"width": width, "height": height})
        page = context.new_page()
        page.set_default_timeout(10_000)
        for name, url in PAGES.items():
            url = _resolve(page, name, url)
            response = page.goto(url)
            assert response.status == (404 if name == "not-found" else 200), url
            results = axe.run(page)
            for violation in _serious(results):
                failures.append(f"{width}px {url}: {violation['id']} ({violation['impact']}) "
                                f"{[n['target'] for n in violation['nodes']][:3]}")
            if width == 375:
                scroll = page.evaluate("document.documentElement.scrollWidth")
                if scroll > 375:
                    failures.append(f"{url} scrolls sideways at 375px ({scroll}px wide)")
            screenshot(page, f"{name}-{width}")
        context.close()
    assert not failures, "\n".join(failures)


def test_matrix_scrolls_in_its_own_frame_with_the_first_column_fixed(page):
    call_command("load_content", verbosity=0)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/matrix/?all=1")
    frame = page.locator(".matrix-frame").first
    assert frame.evaluate("el => el.scrollWidth > el.clientWidth")
    first_col = page.locator(".matrix tbody th[scope='row']").nth(1)
    before = first_col.bounding_box()["x"]
    frame.evaluate("el => el.scrollLeft = 400")
    assert abs(first_col.bounding_box()["x"] - before) < 1


def test_keyboard_opens_a_matrix_cell_and_reaches_its_evidence(page):
    call_command("load_content", verbosity=0)
    page.goto("/matrix/")
    summary = page.locator(".matrix .cell > summary").first
    summary.focus()
    outline = summary.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"  # focus is visible
    page.keyboard.press("Enter")
    cell = page.locator(".matrix .cell").first
    assert cell.evaluate("el => el.open")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('.cell__evidence') !== null")
    assert focused


def test_keyboard_reaches_a_term_tooltip_and_the_glossary_search(page):
    call_command("load_content", verbosity=0)
    page.goto("/glossary/")
    page.keyboard.press("Tab")  # skip link first
    assert page.evaluate("document.activeElement.className") == "skip-link"
    field = page.locator("main input[type='search']").first
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement") and field.evaluate(
                "el => el === document.activeElement"):
            break
    assert field.evaluate("el => el === document.activeElement")
    page.keyboard.type("weights")
    page.keyboard.press("Enter")
    page.wait_for_url("**/glossary/?q=weights*")
    assert page.locator(".term-results a").count() >= 1
    # A linked term in an explainer is reachable by Tab and names its definition.
    page.goto("/articles/")
    href = page.locator("main a[href^='/articles/']:not([href='/articles/'])"
                        ":not([href*='?']):not([href$='feed/'])").first.get_attribute("href")
    page.goto(href)
    term = page.locator("main a.term-link").first
    for _ in range(200):  # Tab, not focus(): the path a keyboard user takes
        page.keyboard.press("Tab")
        if term.evaluate("el => el === document.activeElement"):
            break
    assert term.evaluate("el => el === document.activeElement")
    tip = page.locator("#" + term.get_attribute("aria-describedby"))
    assert tip.is_visible()  # the definition shows on keyboard focus, not only on hover
    page.keyboard.press("Escape")
    assert not tip.is_visible()


def test_matrix_prints_every_column_with_evidence_and_nothing_sticky(page):
    call_command("load_content", verbosity=0)
    page.goto("/matrix/")
    page.emulate_media(media="print")
    assert page.locator(".matrix .cell__evidence").first.is_visible()
    assert page.locator(".matrix thead th").first.evaluate(
        "el => getComputedStyle(el).position") == "static"
    frame = page.locator(".matrix-frame").first
    assert frame.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    assert not page.locator(".site-header").is_visible()
