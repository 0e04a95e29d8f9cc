"""Who may do what: one table walked for anonymous visitors, editors, publishers and superusers.

Editors (staff in "Editors") write explainers and curate the catalogue, the matrix and the glossary;
publishers (staff in "Publishers") also publish and delete; only a superuser manages accounts.
"""

import io
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from PIL import Image

from articles.models import Article, Status
from tests.factories import (
    AIModelFactory,
    ArticleFactory,
    AssessmentFactory,
    StaffFactory,
    TermFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "editor", "publisher", "superuser"]
LOGIN = 302  # anonymous visitors to the admin are sent to its login page


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    model = AIModelFactory(slug="llama-test")
    cell = AssessmentFactory(model=model)
    return {
        "model": model,
        "cell": cell,
        "term": TermFactory(slug="weights"),
        "published": ArticleFactory(slug="live-one"),
        "draft": ArticleFactory(slug="secret-draft", status=Status.DRAFT, published_at=None),
        "review": ArticleFactory(slug="in-review", status=Status.REVIEW, published_at=None),
    }


def client_for(role, client):
    if role == "anonymous":
        return client
    if role == "superuser":
        user = StaffFactory(is_superuser=True)
    else:
        user = StaffFactory()
        user.groups.add(Group.objects.get(name={"editor": "Editors", "publisher": "Publishers"}[role]))
    client.force_login(user)
    return client


def admin_url(world, name, key=None):
    args = [world[key].pk] if key else []
    return reverse(f"admin:{name}", args=args)


# (what, how to build the URL, expected status for anonymous, editor, publisher, superuser)
ADMIN_PAGES = [
    ("admin index", lambda w: reverse("admin:index"), [LOGIN, 200, 200, 200]),
    ("article list", lambda w: admin_url(w, "articles_article_changelist"), [LOGIN, 200, 200, 200]),
    ("article add", lambda w: admin_url(w, "articles_article_add"), [LOGIN, 200, 200, 200]),
    ("article change", lambda w: admin_url(w, "articles_article_change", "draft"), [LOGIN, 200, 200, 200]),
    ("article delete", lambda w: admin_url(w, "articles_article_delete", "draft"), [LOGIN, 403, 403, 200]),
    ("model list", lambda w: admin_url(w, "models_catalog_aimodel_changelist"), [LOGIN, 200, 200, 200]),
    ("model add", lambda w: admin_url(w, "models_catalog_aimodel_add"), [LOGIN, 200, 200, 200]),
    ("model change", lambda w: admin_url(w, "models_catalog_aimodel_change", "model"), [LOGIN, 200, 200, 200]),
    ("model delete", lambda w: admin_url(w, "models_catalog_aimodel_delete", "model"), [LOGIN, 403, 200, 200]),
    ("cell list", lambda w: admin_url(w, "models_catalog_assessment_changelist"), [LOGIN, 200, 200, 200]),
    ("cell change", lambda w: admin_url(w, "models_catalog_assessment_change", "cell"), [LOGIN, 200, 200, 200]),
    ("cell delete", lambda w: admin_url(w, "models_catalog_assessment_delete", "cell"), [LOGIN, 403, 200, 200]),
    ("feature add", lambda w: admin_url(w, "models_catalog_feature_add"), [LOGIN, 200, 200, 200]),
    ("licence add", lambda w: admin_url(w, "models_catalog_license_add"), [LOGIN, 200, 200, 200]),
    ("term list", lambda w: admin_url(w, "glossary_term_changelist"), [LOGIN, 200, 200, 200]),
    ("term add", lambda w: admin_url(w, "glossary_term_add"), [LOGIN, 200, 200, 200]),
    ("term change", lambda w: admin_url(w, "glossary_term_change", "term"), [LOGIN, 200, 200, 200]),
    ("term delete", lambda w: admin_url(w, "glossary_term_delete", "term"), [LOGIN, 403, 200, 200]),
    ("user accounts", lambda w: admin_url(w, "auth_user_changelist"), [LOGIN, 403, 403, 200]),
    ("groups", lambda w: admin_url(w, "auth_group_changelist"), [LOGIN, 403, 403, 200]),
    ("login lockouts", lambda w: admin_url(w, "axes_accessattempt_changelist"), [LOGIN, 403, 403, 200]),
]  # fmt: skip

PUBLIC_PAGES = [
    ("home", lambda w: reverse("home")),
    ("matrix", lambda w: reverse("models_catalog:matrix")),
    ("model page", lambda w: reverse("models_catalog:model_detail", args=["llama-test"])),
    ("published article", lambda w: reverse("articles:article_detail", args=["live-one"])),
    ("term page", lambda w: reverse("glossary:term_detail", args=["weights"])),
    ("glossary api", lambda w: reverse("glossary:api_search") + "?q=weights"),
]


@pytest.mark.parametrize("role_index, role", list(enumerate(ROLES)))
@pytest.mark.parametrize("what, url, expected", ADMIN_PAGES, ids=[row[0] for row in ADMIN_PAGES])
def test_admin_permissions_table(client, world, role_index, role, what, url, expected):
    response = client_for(role, client).get(url(world))

    assert response.status_code == expected[role_index], f"{role} on {what}"
    if response.status_code == LOGIN:
        assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    "role, can_publish",
    [("anonymous", False), ("editor", False), ("publisher", True), ("superuser", True)],
)
def test_only_publishers_can_publish_with_the_list_action(client, world, role, can_publish):
    article = world["review"]

    response = client_for(role, client).post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [article.pk], "index": 0},
    )

    article.refresh_from_db()
    assert (article.status == Status.PUBLISHED) is can_publish
    assert response.status_code in (200, 302)
    if role == "anonymous":
        assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    "role, expected", [("anonymous", 404), ("editor", 200), ("publisher", 200), ("superuser", 200)]
)
def test_draft_preview_at_the_public_url_is_for_staff_only(client, world, role, expected):
    response = client_for(role, client).get(reverse("articles:article_detail", args=["secret-draft"]))

    assert response.status_code == expected


def test_a_signed_in_non_staff_account_sees_no_draft_and_no_admin(client, world):
    client.force_login(UserFactory())

    assert client.get(reverse("articles:article_detail", args=["secret-draft"])).status_code == 404
    assert client.get(reverse("admin:index")).status_code == LOGIN


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "dot.png"
    return buffer


@pytest.mark.parametrize(
    "role, expected", [("anonymous", 403), ("editor", 200), ("publisher", 200), ("superuser", 200)]
)
def test_markdownx_preview_endpoint_is_staff_only(client, world, role, expected):
    response = client_for(role, client).post(
        reverse("markdownx_markdownify"), {"content": "**bold** <script>x</script>"}
    )

    assert response.status_code == expected
    if expected == 200:
        assert "<strong>bold</strong>" in response.content.decode()
        assert "<script" not in response.content.decode()


@pytest.mark.parametrize(
    "role, expected", [("anonymous", 403), ("editor", 200), ("publisher", 200), ("superuser", 200)]
)
def test_markdownx_upload_endpoint_is_staff_only(client, world, role, expected):
    response = client_for(role, client).post(reverse("markdownx_upload"), {"image": png_bytes()})

    assert response.status_code == expected
    assert ("image_code" in response.json()) is (expected == 200)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("what, url", PUBLIC_PAGES, ids=[row[0] for row in PUBLIC_PAGES])
def test_public_pages_are_open_to_everyone(client, world, role, what, url):
    assert client_for(role, client).get(url(world)).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_markdownx_endpoints_refuse_get(client, world, role):
    client = client_for(role, client)

    assert client.get(reverse("markdownx_markdownify")).status_code in (403, 405)
    assert client.get(reverse("markdownx_upload")).status_code in (403, 405)


def test_editor_can_curate_a_cell_through_the_admin(client, world):
    client = client_for("editor", client)
    model = world["model"]

    response = client.get(reverse("admin:models_catalog_aimodel_change", args=[model.pk]))

    # The cells inline is editable, not read-only, for an editor.
    assert response.status_code == 200
    assert re.search(r'<select name="[a-z_]+-0-value"', response.content.decode())


def test_editor_groups_are_restored_after_a_flush():
    from articles.workflow import GROUP_PERMISSIONS, ensure_groups

    Group.objects.all().delete()
    ensure_groups()

    for name, pairs in GROUP_PERMISSIONS.items():
        granted = {
            (p.content_type.app_label, p.codename)
            for p in Group.objects.get(name=name).permissions.select_related("content_type")
        }
        assert granted == set(pairs)


def test_review_article_survives_an_editor_publish_attempt_unchanged(client, world):
    client_for("editor", client).post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [world["review"].pk], "index": 0},
    )

    assert Article.objects.get(pk=world["review"].pk).status == Status.REVIEW
