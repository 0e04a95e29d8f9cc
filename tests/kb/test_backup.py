"""Backup and restore: a restore into an empty database reproduces every public page.

These tests commit for real (transaction=True) because restoring flushes and reloads the database
the way it would on a fresh machine; they run on SQLite and on PostgreSQL like the rest.
"""

import io
import json
import re
import tarfile

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.models import Article
from glossary.models import Term
from kb.backups import _sha256
from kb.models import ContentRecord
from models_catalog.models import AIModel, Assessment, License
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

MAIN = re.compile(r'<main id="main"[^>]*>(.*)</main>', re.DOTALL)
IMAGE = b"\x89PNG\r\n\x1a\n" + b"not really an image, but bytes to carry" * 10


def public_urls():
    """One page of every public kind, built from whatever the database holds."""
    article = Article.objects.published().order_by("slug").first()
    model = AIModel.objects.order_by("slug").first()
    term = Term.objects.order_by("slug").first()
    licence = License.objects.order_by("slug").first()
    return [
        reverse("home"),
        reverse("search") + "?q=weights",
        reverse("articles:article_list"),
        reverse("articles:article_detail", args=[article.slug]),
        reverse("articles:feed"),
        reverse("models_catalog:model_list"),
        reverse("models_catalog:model_detail", args=[model.slug]),
        reverse("models_catalog:matrix"),
        reverse("models_catalog:matrix_export_csv"),
        reverse("models_catalog:matrix_api"),
        reverse("models_catalog:matrix_changes"),
        reverse("models_catalog:matrix_changes_feed"),
        reverse("models_catalog:license_detail", args=[licence.slug]),
        reverse("glossary:term_list"),
        reverse("glossary:term_detail", args=[term.slug]),
        reverse("glossary:api_search") + "?q=weights",
        "/sitemap.xml",
        "/robots.txt",
    ]


def render(client, urls):
    cache.clear()  # what the database says, never what an earlier request cached
    pages = {}
    for url in urls:
        response = client.get(url)
        body = b"".join(response) if response.streaming else response.content
        text = body.decode()
        match = MAIN.search(text)
        pages[url] = (response.status_code, match.group(1) if match else text)
    return pages


def snapshot():
    """What a restore must bring back besides the pages: people, rights, history, records."""
    return {
        "users": sorted(User.objects.values_list("username", "password", "is_staff")),
        "groups": sorted(
            (g.name, sorted(g.permissions.values_list("codename", flat=True)))
            for g in Group.objects.all()
        ),
        "memberships": sorted(User.groups.through.objects.values_list("user__username",
                                                                      "group__name")),
        "article history": Article.history.count(),
        "cell history": sorted(Assessment.history.values_list("id", "note", "history_user__username")),
        "versions": sorted(Assessment.objects.values_list("id", "version")),
        "records": ContentRecord.objects.count(),
    }


@pytest.fixture
def site(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "uploads").mkdir(parents=True)
    (settings.MEDIA_ROOT / "uploads" / "diagram.png").write_bytes(IMAGE)
    call_command("load_content", stdout=io.StringIO())
    editor = UserFactory(username="ada", is_staff=True)
    editor.set_password("a long passphrase")
    editor.save()
    editor.groups.add(Group.objects.get(name="Editors"))
    cell = Assessment.objects.order_by("pk").first()
    cell.note = "Checked again by Ada."
    cell.save()
    return settings


def test_restore_into_an_empty_database_reproduces_every_public_page(site, client, tmp_path):
    urls = public_urls()
    before, state = render(client, urls), snapshot()
    assert {status for status, _ in before.values()} == {200}
    backup = tmp_path / "site.tar.gz"
    call_command("backup", output=str(backup), stdout=io.StringIO())

    # A new machine: an empty, migrated database and no media files.
    call_command("flush", interactive=False, verbosity=0)
    site.MEDIA_ROOT = tmp_path / "new-media"
    assert Article.objects.count() == 0 and User.objects.count() == 0
    call_command("restore", str(backup), stdout=io.StringIO())

    assert render(client, urls) == before
    assert snapshot() == state
    assert (site.MEDIA_ROOT / "uploads" / "diagram.png").read_bytes() == IMAGE
    assert User.objects.get(username="ada").check_password("a long passphrase")
    # New rows get fresh ids after a restore (PostgreSQL's sequences were moved past the data).
    term = Term.objects.create(term="After restore", slug="after-restore", definition="New.")
    assert term.history.count() == 1


def test_restore_refuses_a_database_that_is_not_empty_unless_forced(site, client, tmp_path):
    backup = tmp_path / "site.tar.gz"
    call_command("backup", output=str(backup), stdout=io.StringIO())
    urls = public_urls()
    before = render(client, urls)
    Term.objects.create(term="Added later", slug="added-later", definition="Not in the backup.")

    with pytest.raises(CommandError, match="database is not empty"):
        call_command("restore", str(backup), stdout=io.StringIO())
    assert Term.objects.filter(slug="added-later").exists()

    call_command("restore", str(backup), force=True, stdout=io.StringIO())
    assert not Term.objects.filter(slug="added-later").exists()
    assert render(client, urls) == before


def _rewrite(source, target, change):
    """Copy a backup, passing each member's bytes through change(name, data)."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for member in old:
            data = change(member.name, old.extractfile(member).read())
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))


@pytest.fixture
def backup_and_empty_db(site, tmp_path):
    backup = tmp_path / "site.tar.gz"
    call_command("backup", output=str(backup), stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    return backup


def assert_nothing_written():
    assert (User.objects.count(), Article.objects.count(), Assessment.objects.count()) == (0, 0, 0)


def test_a_truncated_backup_is_refused_and_writes_nothing(backup_and_empty_db, tmp_path):
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(backup_and_empty_db.read_bytes()[:-2000])
    with pytest.raises(CommandError, match="corrupted or truncated"):
        call_command("restore", str(truncated), stdout=io.StringIO())
    assert_nothing_written()


def test_a_backup_altered_after_writing_is_refused_and_writes_nothing(
    backup_and_empty_db, tmp_path
):
    altered = tmp_path / "altered.tar.gz"
    _rewrite(
        backup_and_empty_db, altered,
        lambda name, data: data.replace(b"Ada", b"Eve") if name == "data.json" else data,
    )  # fmt: skip
    with pytest.raises(CommandError, match="data.json is corrupted"):
        call_command("restore", str(altered), stdout=io.StringIO())
    assert_nothing_written()


def test_a_backup_that_fails_half_way_through_loading_writes_nothing(
    backup_and_empty_db, tmp_path
):
    """Checksums match, but one row points at a user that does not exist: all or nothing."""
    broken = tmp_path / "broken.tar.gz"
    replaced = {}

    def break_last_row(name, data):
        if name == "data.json":
            rows = json.loads(data)
            cell = next(r for r in reversed(rows) if r["model"] == "models_catalog.assessment")
            cell["fields"]["verified_by"] = ["nobody-by-this-name"]
            data = json.dumps(rows).encode()
            replaced["sha"] = _sha256(data)
        elif name == "manifest.json":
            manifest = json.loads(data)
            manifest["files"]["data.json"] = replaced["sha"]
            data = json.dumps(manifest).encode()
        return data

    _rewrite(backup_and_empty_db, broken, break_last_row)
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("restore", str(broken), stdout=io.StringIO())
    assert_nothing_written()


def test_a_file_that_is_not_a_backup_is_refused(backup_and_empty_db, tmp_path):
    for name, content in [("notes.txt", b"hello"), ("empty.tar.gz", b"")]:
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(CommandError, match="not a readable backup"):
            call_command("restore", str(path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="no such file"):
        call_command("restore", str(tmp_path / "missing.tar.gz"), stdout=io.StringIO())
    assert_nothing_written()


def test_a_backup_with_a_path_outside_media_is_refused(backup_and_empty_db, tmp_path):
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(backup_and_empty_db) as old, tarfile.open(evil, "w:gz") as new:
        for member in old:
            new.addfile(member, old.extractfile(member))
        info = tarfile.TarInfo("media/../../escape.txt")
        info.size = 3
        new.addfile(info, io.BytesIO(b"bad"))
    with pytest.raises(CommandError, match="unexpected entry"):
        call_command("restore", str(evil), stdout=io.StringIO())
    assert not (tmp_path / "escape.txt").exists()
    assert_nothing_written()


def test_a_backup_made_under_newer_migrations_asks_for_migrate_first(
    backup_and_empty_db, tmp_path
):
    newer = tmp_path / "newer.tar.gz"

    def add_migration(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["migrations"].append(["articles", "9999_from_the_future"])
            data = json.dumps(manifest).encode()
        return data

    _rewrite(backup_and_empty_db, newer, add_migration)
    with pytest.raises(CommandError, match=r"articles\.9999_from_the_future.*migrate"):
        call_command("restore", str(newer), stdout=io.StringIO())
    assert_nothing_written()
