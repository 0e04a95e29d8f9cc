import pytest

from models_catalog.models import Openness, Value
from tests.factories import (
    AIModelFactory,
    AssessmentFactory,
    FeatureFactory,
    FeatureGroupFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _matrix():
    access = FeatureGroupFactory(name="Access", order=1)
    offline = FeatureFactory(name="Run offline", slug="run-offline", group=access, order=1,
                             question="Can it run with no network connection?")
    api = FeatureFactory(name="API access", slug="api-access", group=access, order=2)
    llama = AIModelFactory(name="Llama 3.1", slug="llama-3-1", featured=True)
    claude = AIModelFactory(name="Claude", slug="claude", openness=Openness.CLOSED,
                            license=None, featured=True)
    AssessmentFactory(model=llama, feature=offline, value=Value.YES,
                      note="The weights run on your own hardware.",
                      sources=[{"url": "https://example.org/llama-card", "title": "Llama model card"}])
    AssessmentFactory(model=llama, feature=api, value=Value.PARTIAL)
    AssessmentFactory(model=claude, feature=offline, value=Value.NO, note="Only through the API.")
    AssessmentFactory(model=claude, feature=api, value=Value.YES)
    return llama, claude, offline


def test_reader_filters_to_offline_models_opens_evidence_then_the_model_page(page, screenshot):
    _matrix()
    page.goto("/matrix/")
    table = page.locator("table.matrix")
    assert table.locator("thead th", has_text="Claude").count() == 1

    page.get_by_label("Run offline").check()
    page.get_by_role("button", name="Show matching models").click()
    page.wait_for_url("**/matrix/?*run-offline=yes*")
    assert table.locator("thead th", has_text="Claude").count() == 0
    assert table.locator("thead th", has_text="Llama 3.1").count() == 1
    assert page.get_by_label("Run offline").is_checked()

    cell = page.locator("td[data-model='llama-3-1'][data-feature='run-offline'] details")
    cell.locator("summary").click()
    evidence = cell.locator(".cell__evidence")
    evidence.wait_for(state="visible")
    assert "The weights run on your own hardware." in evidence.inner_text()
    assert evidence.get_by_role("link", name="Llama model card").is_visible()
    screenshot(page, "evidence")

    evidence.get_by_role("link", name="Permalink to this cell").click()
    page.wait_for_url("**/models/llama-3-1/#cell-run-offline")
    assert page.locator("h1").inner_text() == "Llama 3.1"
    assert page.locator("#cell-run-offline").is_visible()
    assert "The weights run on your own hardware." in page.locator("#cell-run-offline").inner_text()


def test_evidence_opens_on_hover_and_keyboard_focus(page):
    _matrix()
    page.goto("/matrix/")
    cell = page.locator("td[data-model='claude'][data-feature='run-offline'] details")
    cell.hover()
    cell.locator(".cell__evidence").wait_for(state="visible")
    page.mouse.move(0, 0)
    cell.locator(".cell__evidence").wait_for(state="hidden")
    cell.locator("summary").focus()
    cell.locator(".cell__evidence").wait_for(state="visible")
    assert "Only through the API." in cell.inner_text()


def test_matrix_is_usable_on_a_phone(browser, live_server, screenshot):
    _matrix()
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto("/matrix/")
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 375  # the table scrolls inside its own frame, not the page
    frame = page.locator(".matrix-frame")
    assert frame.evaluate("el => getComputedStyle(el).overflow") in ("auto", "auto auto")
    screenshot(page, "phone")
    context.close()


def test_editor_changes_a_cell_in_the_admin_and_finds_it_in_public(page, screenshot):
    llama, _, _ = _matrix()
    UserFactory(username="editor", is_staff=True, is_superuser=True)
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")

    page.goto(f"/admin/models_catalog/aimodel/{llama.pk}/change/")
    row = page.locator("tr.form-row", has=page.locator("option[selected]", has_text="Run offline"))
    row.locator("select[name$='-value']").select_option("partial")
    row.locator("textarea[name$='-note']").fill("Needs a large GPU to run offline.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/models_catalog/aimodel/")
    assert "was changed successfully" in page.locator(".messagelist").inner_text()

    page.goto("/models/llama-3-1/")
    cell = page.locator("#cell-run-offline")
    assert "Partial" in cell.inner_text()
    assert "Needs a large GPU to run offline." in cell.inner_text()
    log = page.locator("table.changes")
    assert "✅ Yes → ◐ Partial" in log.inner_text()

    page.goto("/matrix/changes/")
    first = page.locator("table.changes tbody tr").first
    assert "Llama 3.1" in first.inner_text()
    assert "Run offline" in first.inner_text()
    assert "✅ Yes → ◐ Partial" in first.inner_text()
    screenshot(page, "changes")


@pytest.mark.parametrize("javascript", [False, True])
def test_evidence_opens_with_a_tap_with_or_without_javascript(browser, live_server, javascript):
    _matrix()
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 740},
        has_touch=True, is_mobile=True, java_script_enabled=javascript,
    )
    page = context.new_page()
    page.goto("/matrix/")
    cell = page.locator("td[data-model='claude'][data-feature='run-offline'] details")
    evidence = cell.locator(".cell__evidence")
    assert not evidence.is_visible()
    cell.locator("summary").tap()
    evidence.wait_for(state="visible")
    assert "Only through the API." in evidence.inner_text()
    context.close()
