"""The editorial journey end to end: an editor writes with the live preview and submits for
review, a publisher publishes, and an anonymous reader finds the explainer and reads it."""

import base64
import io

import pytest
from django.contrib.auth.models import Group
from PIL import Image

from articles.models import Article, Status
from tests.factories import StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


def log_in(page, username):
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def test_editor_writes_publisher_publishes_reader_reads(browser, live_server, page, screenshot):
    editor = StaffFactory(username="eddie", first_name="Eddie", last_name="Editor")
    editor.groups.add(Group.objects.get(name="Editors"))
    publisher = StaffFactory(username="pat")
    publisher.groups.add(Group.objects.get(name="Publishers"))

    # 1. The editor writes, watching the live preview, and submits for review.
    log_in(page, "eddie")
    page.goto("/admin/articles/article/add/")
    page.locator("#id_title").press_sequentially("Why weights matter")
    assert page.input_value("#id_slug") == "why-weights-matter"  # prepopulated by the admin
    page.fill("#id_summary", "Downloadable weights decide what you can do with a model.")
    page.fill(
        "#id_body",
        "## What weights are\n\nThe **numbers** a model learned.\n\n"
        "<script>window.pwned = true</script>\n\n[docs](https://example.org/)",
    )
    preview = page.locator(".markdownx-preview")
    preview.locator("h2", has_text="What weights are").wait_for()
    assert preview.locator("strong", has_text="numbers").count() == 1
    assert preview.locator("script").count() == 0
    assert preview.locator("a[rel='noopener nofollow']").count() == 1
    # Editors are not offered "Published" at all.
    options = page.locator("#id_status option").all_inner_texts()
    assert options == ["Draft", "In review"]
    page.select_option("#id_status", "review")
    screenshot(page, "editor-preview")
    page.click("input[name=_save]")
    page.locator(".messagelist .success").wait_for()
    article = Article.objects.get(slug="why-weights-matter")
    assert article.status == Status.REVIEW
    assert list(article.authors.all()) == [editor]
    assert page.evaluate("() => window.pwned === undefined")

    # Not public yet.
    anonymous = browser.new_context(base_url=live_server.url)
    reader = anonymous.new_page()
    assert reader.goto("/articles/why-weights-matter/").status == 404

    # 2. The publisher publishes it with the list action.
    page.context.clear_cookies()
    log_in(page, "pat")
    page.goto("/admin/articles/article/?status__exact=review")
    page.locator("tr", has_text="Why weights matter").locator("input.action-select").check()
    page.select_option("select[name=action]", "publish")
    page.click("button[name=index]")
    page.locator(".messagelist .success", has_text="1 article(s) published").wait_for()
    article.refresh_from_db()
    assert article.is_public()

    # 3. An anonymous reader finds it in the list and reads it.
    reader.goto("/articles/")
    reader.get_by_role("link", name="Why weights matter").click()
    reader.wait_for_url("**/articles/why-weights-matter/")
    assert reader.locator("h1").inner_text() == "Why weights matter"
    assert reader.locator(".draft-banner").count() == 0
    assert reader.locator(".article-toc a", has_text="What weights are").count() == 1
    assert "Eddie Editor" in reader.locator(".article-meta").inner_text()
    assert reader.evaluate("() => window.pwned === undefined")
    screenshot(reader, "reader")
    anonymous.close()


def drop_file(page, selector, name, mime, data):
    transfer = page.evaluate_handle(
        """([name, mime, b64]) => {
            const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, {type: mime}));
            return transfer;
        }""",
        [name, mime, base64.b64encode(data).decode()],
    )
    page.dispatch_event(selector, "drop", {"dataTransfer": transfer})


def test_editor_drops_images_into_the_editor_and_hostile_files_are_refused(page, screenshot):
    editor = StaffFactory(username="eddie")
    editor.groups.add(Group.objects.get(name="Editors"))
    log_in(page, "eddie")
    page.goto("/admin/articles/article/add/")

    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'
    drop_file(page, "#id_body", "logo.png", "image/png", svg)
    error = page.get_by_role("alert")
    error.wait_for()
    assert "PNG, JPEG, WebP or GIF" in error.inner_text()
    page.wait_for_function("() => document.querySelector('#id_body').value === ''")
    screenshot(page, "refused")

    png = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 128, 0)).save(png, format="PNG")
    drop_file(page, "#id_body", "photo.png", "image/png", png.getvalue())
    page.wait_for_function(
        "() => /!\\[\\]\\(\\/media\\/uploads\\/[0-9a-f]{32}\\.png\\)/"
        ".test(document.querySelector('#id_body').value)"
    )
    assert page.locator(".markdownx-upload-error").count() == 0
