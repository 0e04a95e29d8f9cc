import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_check(extra_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("DATABASE_URL", None)
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_deploy_check_passes_with_production_values():
    result = run_check({
        "DJANGO_SECRET_KEY": "x7" * 40 + "Qz!kP0",
        "DJANGO_ALLOWED_HOSTS": "kb.example.org",
    })
    assert result.returncode == 0, result.stderr


def test_deploy_check_fails_with_the_development_key():
    result = run_check({"DJANGO_ALLOWED_HOSTS": "kb.example.org"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_debug_is_off_unless_set():
    result = subprocess.run(
        [sys.executable, "-c", "import kb.settings as s; print(s.DEBUG)"],
        cwd=ROOT, env={k: v for k, v in os.environ.items() if k != "DJANGO_DEBUG"},
        capture_output=True, text=True, timeout=60,
    )
    assert result.stdout.strip() == "False"


import pytest  # noqa: E402


@pytest.mark.django_db
def test_sqlite_is_configured_for_concurrent_writers(settings):
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
