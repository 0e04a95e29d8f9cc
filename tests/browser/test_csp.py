"""Under the strict Content-Security-Policy, no page — public or the admin editor — reports a
violation: every script and style the site relies on is a static file from our own origin."""

import pytest
from django.contrib.auth.models import Group

from tests.factories import ArticleFactory, StaffFactory
from tests.kb.conftest import build_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
# A securitypolicyviolation listener installed before any page script runs; Playwright's init
# scripts are injected by the browser itself and are not subject to the page's policy.
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def watch(page):
    console = []
    page.on(
        "console",
        lambda message: console.append(message.text)
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text
        else None,
    )
    page.add_init_script(COLLECT_VIOLATIONS)
    return console


def violations(page, console):
    return console + page.evaluate("() => window.__cspViolations || []")


HTML_PAGES = [
    "home", "search", "matrix", "model list", "model", "compare", "licence", "matrix changes",
    "article list", "article", "glossary", "glossary search", "term", "not found",
]  # fmt: skip


def test_public_pages_raise_no_csp_violation(page):
    urls = build_site()
    console = watch(page)

    for page_type in HTML_PAGES:
        page.goto(urls[page_type])
        page.wait_for_load_state("networkidle")
        assert page.locator("link[rel=stylesheet]").count() >= 1
        assert violations(page, console) == [], page_type

    # The scripted parts still work under the policy: type-ahead glossary search answers.
    page.goto(urls["glossary"])
    page.fill("input[name=q]", "weig")
    page.wait_for_load_state("networkidle")
    assert violations(page, console) == []


def test_admin_editor_with_markdownx_preview_raises_no_csp_violation(page):
    urls = build_site()
    editor = StaffFactory(username="eddie")
    editor.groups.add(Group.objects.get(name="Editors"))
    console = watch(page)

    page.goto("/admin/login/")
    page.fill("#id_username", "eddie")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    assert violations(page, console) == []

    # A draft: published articles are read-only for editors, so there is no editor to load.
    ArticleFactory(title="Draft on weights", draft=True)
    page.goto("/admin/articles/article/")
    page.get_by_role("link", name="Draft on weights").click()
    page.wait_for_url("**/change/")
    page.fill("#id_body", "## Live preview\n\nSome **bold** text.")
    page.locator(".markdownx-preview h2", has_text="Live preview").wait_for()
    page.wait_for_load_state("networkidle")
    assert violations(page, console) == []

    page.goto("/admin/articles/article/add/")
    page.wait_for_load_state("networkidle")
    assert violations(page, console) == []
    assert urls  # the public pages exist alongside the admin session
