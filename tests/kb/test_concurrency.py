"""Concurrent writers on SQLite: separate processes save cells while others read pages.

Runs against a real SQLite file (migrated into a temporary directory), never the test database,
because only separate processes with their own connections show what WAL, the busy timeout and
IMMEDIATE transactions do. Bounded: 4 writers × 50 saves each, plus 2 readers.
"""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
WRITERS = 4
SAVES = 50
READERS = 2


def _env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="kb.settings",
        DJANGO_SQLITE_PATH=str(tmp_path / "kb.sqlite3"),
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
        REDIS_URL="",
    )
    return env


def _run(args, env, **kwargs):
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True,
        timeout=120, check=False, **kwargs,
    )  # fmt: skip


def _worker(role, *args, env):
    return subprocess.Popen(
        [sys.executable, "-m", "tests.kb.sqlite_workers", role, *map(str, args)],
        cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _result(process):
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "database is locked" not in err
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture
def sqlite_file(tmp_path):
    env = _env(tmp_path)
    migrated = _run(["manage.py", "migrate", "--noinput", "-v", "0"], env)
    assert migrated.returncode == 0, migrated.stderr
    seeded = _run(["-m", "tests.kb.sqlite_workers", "seed", str(WRITERS)], env)
    assert seeded.returncode == 0, seeded.stderr
    return env, tmp_path / "kb.sqlite3", json.loads(seeded.stdout.strip().splitlines()[-1])


def test_the_sqlite_settings_apply_to_every_connection(sqlite_file):
    _, path, seen = sqlite_file
    assert seen == {"journal_mode": "wal", "busy_timeout": 20000, "transaction_mode": "IMMEDIATE"}
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_concurrent_writer_processes_lose_nothing_and_readers_never_see_locked(
    sqlite_file, tmp_path
):
    env, path, _ = sqlite_file
    start, stop = tmp_path / "start", tmp_path / "stop"
    writers = [_worker("writer", n, SAVES, start, env=env) for n in range(WRITERS)]
    readers = [_worker("reader", start, stop, env=env) for _ in range(READERS)]
    start.touch()
    written = [_result(w) for w in writers]
    stop.touch()
    read = [_result(r) for r in readers]

    assert [r["errors"] for r in written + read] == [[]] * (WRITERS + READERS)
    assert all(r["reads"] >= 10 for r in read)
    with sqlite3.connect(path) as db:
        cells = dict(
            db.execute(
                "SELECT f.slug, a.note || ' v' || a.version FROM models_catalog_assessment a "
                "JOIN models_catalog_feature f ON f.id = a.feature_id"
            ).fetchall()
        )
        history = db.execute(
            "SELECT COUNT(*) FROM models_catalog_historicalassessment"
        ).fetchone()[0]
    # Every writer's last save is there, and every one of its saves bumped the version once.
    for n in range(WRITERS):
        assert cells[f"feature-{n + 1}"] == f"writer {n} save {SAVES} v{SAVES + 1}"
    # Every increment of the shared cell survived: none was overwritten by a concurrent one.
    assert cells["feature-0"] == f"{WRITERS * SAVES} v{WRITERS * SAVES + 1}"
    # One history row per created cell and per successful save.
    assert history == (WRITERS + 1) + 2 * WRITERS * SAVES
