"""Back up everything into one file, and restore it into an empty database.

A backup is a gzipped tar holding:
- `data.json`: `dumpdata --natural-foreign --natural-primary` of every app — content, history
  tables, users, groups (with their permissions), the admin log, ContentRecord — except content
  types, permissions and sessions. Migrations create content types and permissions in every
  database, with ids of their own; natural keys (`["articles", "article"]`,
  `["publish_article", "articles", "article"]`) let the restored rows point at whichever ids the
  target database gave them.
- `media/…`: every file under MEDIA_ROOT (uploaded images).
- `manifest.json`: format, time, the migrations the data was written under, row counts and a
  SHA-256 of every other member, so a corrupted or truncated file is refused before anything is
  written.

Restoring checks the whole file first, then loads the data in one transaction (all or nothing),
then copies the media files.
"""

import datetime
import hashlib
import io
import json
import shutil
import tarfile
import tempfile
import zlib
from collections import Counter
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.serializers import json as json_serializer
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
# Content types and permissions are rebuilt by `migrate` in every database; sessions are
# throwaway. Everything else is backed up.
EXCLUDED = ["contenttypes", "auth.permission", "sessions"]
# Rows that `migrate` itself writes into a fresh database; they do not make it "non-empty".
MADE_BY_MIGRATE = {"contenttypes.contenttype", "auth.permission", "auth.group"}


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; a backup keeps every microsecond."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(json_serializer.Serializer):
    def _init_options(self):
        self.options.setdefault("cls", ExactJSONEncoder)
        super()._init_options()


# Reading needs nothing special: Django's JSON deserializer parses microseconds.
Deserializer = json_serializer.Deserializer
DUMP_FORMAT = "kb-exact-json"


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why, and nothing was written."""


def default_path(directory=None):
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    return Path(directory or settings.BASE_DIR / "backups") / f"kb-{stamp}.tar.gz"


def _sha256(data):
    return hashlib.sha256(data).hexdigest()


def _applied_migrations(using):
    recorder = MigrationRecorder(connections[using])
    return sorted([app, name] for app, name in recorder.applied_migrations())


def _add(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.datetime.now(datetime.UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


def create_backup(path, using=DEFAULT_DB_ALIAS):
    """Write the backup file at `path`; return the manifest."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = connections[using]
    out = io.StringIO()
    if DUMP_FORMAT not in serializers.get_serializer_formats():
        serializers.register_serializer(DUMP_FORMAT, __name__)
    # One transaction, so every table is read as of the same moment while editors keep saving.
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        call_command(
            "dumpdata", natural_foreign=True, natural_primary=True, exclude=EXCLUDED,
            database=using, format=DUMP_FORMAT, stdout=out, verbosity=0,
        )  # fmt: skip
        migrations = _applied_migrations(using)
    data = out.getvalue().encode()
    rows = json.loads(data)
    media_root = Path(settings.MEDIA_ROOT)
    media = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.is_dir() else []
    manifest = {
        "format": FORMAT,
        "created": datetime.datetime.now(datetime.UTC).isoformat(),
        "database": connection.vendor,
        "migrations": migrations,
        "counts": dict(sorted(Counter(row["model"] for row in rows).items())),
        "files": {"data.json": _sha256(data)},
    }
    partial = path.with_name(path.name + ".partial")
    with tarfile.open(partial, "w:gz") as tar:
        _add(tar, "data.json", data)
        for file in media:
            content = file.read_bytes()
            name = "media/" + file.relative_to(media_root).as_posix()
            manifest["files"][name] = _sha256(content)
            _add(tar, name, content)
        _add(tar, "manifest.json", json.dumps(manifest, indent=2).encode())
    partial.replace(path)  # never leave a half-written file under the final name
    return manifest


def read_backup(path):
    """Read and check the whole backup; return (manifest, {member name: bytes})."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file.")
    members = {}
    try:
        with tarfile.open(path, "r:gz") as tar:
            for member in tar:
                name = PurePosixPath(member.name)
                if not member.isfile() or name.is_absolute() or ".." in name.parts:
                    raise BackupError(f"{path}: unexpected entry {member.name!r}; not a backup.")
                members[member.name] = tar.extractfile(member).read()
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(f"{path}: not a readable backup (corrupted or truncated): {exc}") from (
            None
        )
    try:
        manifest = json.loads(members.pop("manifest.json"))
        expected = manifest["files"]
    except (KeyError, ValueError, TypeError):
        raise BackupError(f"{path}: has no valid manifest.json; not a backup.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: backup format {manifest.get('format')!r} is not {FORMAT}.")
    if set(expected) != set(members):
        missing = ", ".join(sorted(set(expected) - set(members))) or "nothing"
        extra = ", ".join(sorted(set(members) - set(expected))) or "nothing"
        raise BackupError(f"{path}: incomplete backup; missing {missing}, unexpected {extra}.")
    for name, digest in expected.items():
        if _sha256(members[name]) != digest:
            raise BackupError(f"{path}: {name} is corrupted (checksum does not match).")
    try:
        json.loads(members["data.json"])
    except ValueError as exc:
        raise BackupError(f"{path}: data.json is not valid JSON: {exc}") from None
    return manifest, members


def _backed_up_models():
    excluded_apps = {e for e in EXCLUDED if "." not in e}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in excluded_apps or label in EXCLUDED:
            continue
        if model._meta.proxy or not model._meta.managed:
            continue
        yield model


def non_empty_tables(using=DEFAULT_DB_ALIAS):
    """Models that hold rows other than what `migrate` writes into a fresh database."""
    return [
        model._meta.label
        for model in _backed_up_models()
        if model._meta.label_lower not in MADE_BY_MIGRATE
        and model._base_manager.using(using).exists()
    ]


def restore_backup(path, force=False, using=DEFAULT_DB_ALIAS):
    """Load a backup into a migrated, empty database (or any database, wiped, with force)."""
    manifest, members = read_backup(path)
    applied = {tuple(m) for m in _applied_migrations(using)}
    ahead = [f"{app}.{name}" for app, name in manifest["migrations"] if (app, name) not in applied]
    if ahead:
        raise BackupError(
            f"{path}: the backup was made with migrations this database has not applied "
            f"({', '.join(ahead[:5])}{'…' if len(ahead) > 5 else ''}); run `manage.py migrate` "
            "first."
        )
    occupied = non_empty_tables(using)
    if occupied and not force:
        raise BackupError(
            f"the database is not empty ({', '.join(occupied[:5])}"
            f"{'…' if len(occupied) > 5 else ''} hold rows); restore into an empty, migrated "
            "database, or pass --force to replace everything in it."
        )
    with tempfile.TemporaryDirectory() as tmp:
        fixture = Path(tmp) / "data.json"
        fixture.write_bytes(members["data.json"])
        try:
            with transaction.atomic(using=using):
                if occupied or force:
                    call_command(
                        "flush", interactive=False, database=using, verbosity=0,
                        inhibit_post_migrate=False,
                    )  # fmt: skip
                call_command("loaddata", str(fixture), database=using, verbosity=0)
        except Exception as exc:
            raise BackupError(f"{path}: could not be loaded, nothing was written: {exc}") from exc
    media_root = Path(settings.MEDIA_ROOT)
    for name, content in members.items():
        if not name.startswith("media/"):
            continue
        target = media_root.joinpath(*PurePosixPath(name).parts[1:])
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as part:
            part.write(content)
        shutil.move(part.name, target)
    return manifest
