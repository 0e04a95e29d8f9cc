"""The editorial workflow, through the admin's real views: editors write and submit for review,
publishers publish and unpublish, and the server refuses anything else whatever is posted."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Status
from tests.factories import ArticleFactory, StaffFactory, TagFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
LIST_URL = reverse("admin:articles_article_changelist")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def form_data(**overrides):
    data = {
        "title": "How licences work",
        "slug": "how-licences-work",
        "summary": "A short explainer.",
        "body": "## Licences\n\nSome text.",
        "status": Status.DRAFT,
        "published_at_0": "",
        "published_at_1": "",
        "last_reviewed_on": "",
        "sources": "https://example.org/licence Licence text",
        "link_terms": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def data_for(article, **overrides):
    published = article.published_at
    current = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body,
        "status": article.status,
        "published_at_0": published.strftime("%Y-%m-%d") if published else "",
        "published_at_1": published.strftime("%H:%M:%S.%f") if published else "",
    }
    return form_data(**{**current, **overrides})


def test_groups_are_created_by_migration_with_their_permissions():
    editors = Group.objects.get(name="Editors")
    publishers = Group.objects.get(name="Publishers")
    editor_perms = set(editors.permissions.values_list("codename", flat=True))
    publisher_perms = set(publishers.permissions.values_list("codename", flat=True))
    assert {"add_article", "change_article", "view_article"} <= editor_perms
    assert "publish_article" not in editor_perms
    assert "publish_article" in publisher_perms
    assert editor_perms <= publisher_perms


def test_editor_can_write_a_draft_and_is_listed_as_author(client, editor):
    client.force_login(editor)
    response = client.post(ADD_URL, form_data())
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(slug="how-licences-work")
    assert article.status == Status.DRAFT
    assert "<h2" in article.body_html
    assert article.sources == [{"url": "https://example.org/licence", "title": "Licence text"}]


def test_add_form_suggests_the_current_user_as_author(client, editor):
    client.force_login(editor)
    response = client.get(ADD_URL)
    assert response.status_code == 200
    assert response.context["adminform"].form.initial["authors"] == [editor.pk]


def test_editor_can_submit_a_draft_for_review_in_the_form(client, editor):
    article = ArticleFactory(draft=True)
    client.force_login(editor)
    response = client.post(change_url(article), data_for(article, status=Status.REVIEW))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.REVIEW


def test_editor_cannot_publish_by_posting_status_published(client, editor):
    client.force_login(editor)
    response = client.post(ADD_URL, form_data(status=Status.PUBLISHED))
    assert response.status_code == 200  # the form comes back with an error
    assert not Article.objects.filter(slug="how-licences-work").exists()
    assert "status" in response.context["adminform"].form.errors


def test_editor_cannot_publish_an_existing_draft_by_posting(client, editor):
    article = ArticleFactory(draft=True)
    client.force_login(editor)
    response = client.post(change_url(article), data_for(article, status=Status.PUBLISHED))
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_editor_is_not_offered_published_status(client, editor):
    client.force_login(editor)
    response = client.get(ADD_URL)
    choices = [value for value, _ in response.context["adminform"].form.fields["status"].choices]
    assert choices == [Status.DRAFT, Status.REVIEW]


def test_editor_cannot_change_a_published_article(client, editor):
    article = ArticleFactory(title="Live one", summary="As published.")
    client.force_login(editor)
    response = client.post(
        change_url(article), data_for(article, status=Status.DRAFT, summary="Edited summary")
    )
    assert response.status_code == 403
    article.refresh_from_db()
    # What is live stays as the publisher left it: neither the text nor the status moved.
    assert article.summary == "As published."
    assert article.status == Status.PUBLISHED


def test_editor_sees_a_published_article_read_only(client, editor):
    article = ArticleFactory(title="Live one")
    client.force_login(editor)
    response = client.get(change_url(article))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert 'name="_save"' not in response.content.decode()


def test_publisher_can_edit_a_published_article(client, publisher):
    article = ArticleFactory(title="Live one", summary="As published.")
    client.force_login(publisher)
    response = client.post(change_url(article), data_for(article, summary="Corrected."))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.summary == "Corrected."
    assert article.status == Status.PUBLISHED


def test_editor_cannot_reschedule_a_published_article(client, editor):
    article = ArticleFactory()
    original = article.published_at
    client.force_login(editor)
    later = timezone.now() + datetime.timedelta(days=30)
    client.post(
        change_url(article),
        data_for(article, published_at_0=later.strftime("%Y-%m-%d"), published_at_1="10:00:00"),
    )
    article.refresh_from_db()
    assert article.published_at == original
    assert article.is_public()


def test_editor_cannot_run_the_publish_action(client, editor):
    article = ArticleFactory(draft=True)
    client.force_login(editor)
    response = client.post(
        LIST_URL, {"action": "publish", "_selected_action": [article.pk]}, follow=True
    )
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_editor_cannot_run_the_unpublish_action(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    client.post(LIST_URL, {"action": "unpublish", "_selected_action": [article.pk]}, follow=True)
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED


def test_editor_does_not_see_publish_actions(client, editor):
    ArticleFactory()
    client.force_login(editor)
    response = client.get(LIST_URL)
    actions = [name for name, _ in response.context["action_form"].fields["action"].choices]
    assert "submit_for_review" in actions
    assert "publish" not in actions
    assert "unpublish" not in actions


def test_editor_can_submit_drafts_for_review_with_the_action(client, editor):
    draft = ArticleFactory(draft=True)
    live = ArticleFactory()
    client.force_login(editor)
    client.post(
        LIST_URL, {"action": "submit_for_review", "_selected_action": [draft.pk, live.pk]}
    )
    draft.refresh_from_db()
    live.refresh_from_db()
    assert draft.status == Status.REVIEW
    assert live.status == Status.PUBLISHED


def test_publisher_can_publish_with_the_action(client, publisher):
    article = ArticleFactory(draft=True)
    client.force_login(publisher)
    client.post(LIST_URL, {"action": "publish", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.published_at is not None
    assert article.is_public()


def test_publisher_can_unpublish_with_the_action(client, publisher):
    article = ArticleFactory()
    client.force_login(publisher)
    client.post(LIST_URL, {"action": "unpublish", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert not Article.objects.published().filter(pk=article.pk).exists()


def test_publisher_can_publish_in_the_form(client, publisher):
    article = ArticleFactory(status=Status.REVIEW, published_at=None)
    client.force_login(publisher)
    response = client.post(change_url(article), data_for(article, status=Status.PUBLISHED))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.published_at is not None


def test_publisher_can_schedule_for_later(client, publisher):
    article = ArticleFactory(draft=True)
    later = timezone.now() + datetime.timedelta(days=3)
    client.force_login(publisher)
    client.post(
        change_url(article),
        data_for(
            article,
            status=Status.PUBLISHED,
            published_at_0=later.strftime("%Y-%m-%d"),
            published_at_1="09:00:00",
        ),
    )
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert not article.is_public()


def test_staff_without_a_group_cannot_open_the_article_admin(client):
    client.force_login(StaffFactory())
    assert client.get(ADD_URL).status_code == 403


def test_anonymous_is_sent_to_login_and_cannot_post(client):
    response = client.post(ADD_URL, form_data(status=Status.PUBLISHED))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert not Article.objects.exists()


def test_editor_cannot_publish_by_reverting_to_a_published_version(client, editor):
    article = ArticleFactory()
    version = article.history.latest()
    client.force_login(StaffFactory(is_superuser=True))
    client.post(LIST_URL, {"action": "unpublish", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    client.force_login(editor)
    url = reverse("admin:articles_article_simple_history", args=[article.pk, version.pk])
    client.post(url, data_for(article, status=Status.PUBLISHED))
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_list_filters_by_status_author_and_tag(client, publisher):
    tag = TagFactory(name="Licences")
    mine = ArticleFactory(title="Mine", status=Status.REVIEW, published_at=None)
    mine.authors.add(publisher)
    mine.tags.add(tag)
    ArticleFactory(title="Other")
    client.force_login(publisher)
    for query in (
        {"status__exact": "review"},
        {"authors__id__exact": publisher.pk},
        {"tags__id__exact": tag.pk},
    ):
        response = client.get(LIST_URL, query)
        assert response.status_code == 200
        titles = [a.title for a in response.context["cl"].result_list]
        assert titles == ["Mine"], query


def test_list_search_finds_by_title(client, publisher):
    ArticleFactory(title="Weights explained")
    ArticleFactory(title="Something else")
    client.force_login(publisher)
    response = client.get(LIST_URL, {"q": "weights"})
    assert [a.title for a in response.context["cl"].result_list] == ["Weights explained"]


def test_changes_are_recorded_in_history(client, publisher):
    article = ArticleFactory(draft=True)
    client.force_login(publisher)
    client.post(change_url(article), data_for(article, status=Status.PUBLISHED))
    history = list(article.history.order_by("history_date"))
    assert [h.status for h in history] == [Status.DRAFT, Status.PUBLISHED]
    assert history[-1].history_user == publisher
    response = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert response.status_code == 200


def test_the_change_form_uses_the_markdownx_editor(client, editor):
    client.force_login(editor)
    html = client.get(ADD_URL).content.decode()
    assert 'class="markdownx"' in html or "markdownx-editor" in html
    assert 'data-markdownx-urls-path="/markdownx/markdownify/"' in html


def test_a_nul_character_in_the_form_is_a_clear_error_not_a_500(client, editor):
    client.force_login(editor)
    response = client.post(ADD_URL, form_data(title="Bad\x00title"))
    assert response.status_code == 200
    assert "title" in response.context["adminform"].form.errors


def test_editor_cannot_unpublish_by_reverting_to_a_draft_version(client, editor):
    article = ArticleFactory(draft=True)
    draft_version = article.history.latest()
    article.status = Status.PUBLISHED
    article.save()
    client.force_login(editor)
    url = reverse("admin:articles_article_simple_history", args=[article.pk, draft_version.pk])
    response = client.post(url, data_for(article, status=Status.DRAFT))
    # The revert form passes validation (the old version was a draft), so the save refuses it.
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED


def test_an_editors_stale_form_cannot_undo_what_a_publisher_saved_meanwhile(
    client, editor, publisher
):
    article = ArticleFactory(status=Status.REVIEW, published_at=None, summary="First words.")
    opened = data_for(article, summary="The editor's rewrite.", version=str(article.version))
    client.force_login(publisher)
    edited = data_for(article, summary="The publisher's edit.", version=str(article.version))
    assert client.post(change_url(article), edited).status_code == 302

    client.force_login(editor)
    response = client.post(change_url(article), opened)
    assert response.status_code == 200
    assert "Your changes were not saved" in response.content.decode()
    article.refresh_from_db()
    assert (article.status, article.summary) == (Status.REVIEW, "The publisher's edit.")


def test_an_editors_form_for_an_article_published_meanwhile_is_refused(
    client, editor, publisher
):
    article = ArticleFactory(status=Status.REVIEW, published_at=None, summary="First words.")
    opened = data_for(article, summary="The editor's rewrite.", version=str(article.version))
    client.force_login(publisher)
    published = data_for(article, status=Status.PUBLISHED, version=str(article.version))
    assert client.post(change_url(article), published).status_code == 302

    client.force_login(editor)
    assert client.post(change_url(article), opened).status_code == 403
    article.refresh_from_db()
    assert (article.status, article.summary) == (Status.PUBLISHED, "First words.")
