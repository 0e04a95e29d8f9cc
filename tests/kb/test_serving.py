"""Production-like static serving: hashed files through WhiteNoise with far-future headers."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SERVE_HASHED_CSS = """
import django
django.setup()
from django.templatetags.static import static
from django.test import Client
url = static("css/site.css")
assert url != "/static/css/site.css", url  # the manifest gave it a hashed name
response = Client().get(url, headers={"accept-encoding": "gzip"})
print(response.status_code, response["Cache-Control"], response.get("Content-Encoding", ""), sep="|")
"""


def test_hashed_static_files_are_served_with_far_future_cache_headers(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_STATIC_ROOT=str(tmp_path / "static"), DJANGO_SETTINGS_MODULE="kb.settings",
               DJANGO_ALLOWED_HOSTS="testserver", DJANGO_SECURE_SSL_REDIRECT="0")
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                   cwd=ROOT, env=env, check=True, timeout=120)
    result = subprocess.run([sys.executable, "-c", SERVE_HASHED_CSS], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    status, cache_control, encoding = result.stdout.strip().split("|")
    assert status == "200", result.stderr
    assert "immutable" in cache_control and "max-age=315360000" in cache_control
    assert encoding.strip() == "gzip"
