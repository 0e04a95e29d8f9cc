"""The load-under-edit run in miniature: gunicorn on a real SQLite file, readers hammering it
while an editor process saves cells, then every save checked on the public pages.

The same script the README documents (scripts/load_under_edit.py) drives it, bounded to a few
seconds. (live_server cannot stand in: its in-memory SQLite database is one connection shared by
every thread, so a reader and a writer at the same moment lock each other out — an artefact of the
test database, not of the site.)
"""

import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
SCRIPT = BASE_DIR / "scripts" / "load_under_edit.py"
spec = importlib.util.spec_from_file_location("load_under_edit", SCRIPT)
load_under_edit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(load_under_edit)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served_site(tmp_path, monkeypatch):
    """gunicorn, production settings, on a migrated SQLite file with a featured model's cells."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    for name, value in {
        "DJANGO_SQLITE_PATH": str(tmp_path / "kb.sqlite3"),
        "DJANGO_SHARED_CACHE_DIR": str(tmp_path / "cache"),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "REDIS_URL": "",
    }.items():
        monkeypatch.setenv(name, value)  # for the server and the writer the script starts
    env = dict(os.environ)
    for args in (["manage.py", "migrate", "--noinput", "-v", "0"],
                 ["-m", "tests.kb.sqlite_workers", "seed", "5"]):  # fmt: skip
        done = subprocess.run([sys.executable, *args], cwd=BASE_DIR, env=env,
                              capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
        assert done.returncode == 0, done.stderr
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "kb.wsgi:application", "-c", "gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "2",
         "--access-logfile", "/dev/null"],
        cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)  # noqa: S310
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.communicate(timeout=30)


def test_readers_see_no_server_error_and_every_save_is_visible_afterwards(served_site, capsys):
    status = load_under_edit.main(
        ["--port", str(served_site), "--readers", "4", "--saves", "30", "--cells", "5",
         "--pause", "0.02", "--max-requests", "400", "--time-limit", "60"]
    )  # fmt: skip
    result = json.loads(capsys.readouterr().out)
    assert result["requests"] > 0 and result["saves"] == 30 and result["cells_edited"] == 5
    assert result["server_errors_5xx"] == 0 and result["connection_errors"] == 0, result["errors"]
    assert result["edits_not_visible"] == []
    assert status == 0
