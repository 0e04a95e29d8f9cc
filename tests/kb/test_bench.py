"""`manage.py bench` runs end to end at a tiny size; its timings are reported, never asserted."""

import json
import os
import subprocess
import sys
from pathlib import Path

from kb.bench import pages

ROOT = Path(__file__).resolve().parents[2]
PAGE_TYPES = {"home", "matrix", "matrix ?models=10", "models", "model page", "articles",
              "article", "glossary", "glossary ?q=", "term page", "api glossary ?q=",
              "search ?q=", "api matrix", "matrix export.csv", "articles feed", "changes feed"}


def test_bench_covers_every_public_page_type_in_a_throwaway_database(tmp_path):
    output = tmp_path / "bench.json"
    developer_db = tmp_path / "developer.sqlite3"
    env = {**os.environ, "DJANGO_SQLITE_PATH": str(developer_db),
           "DJANGO_SHARED_CACHE_DIR": str(tmp_path / "shared-cache")}
    result = subprocess.run(
        [sys.executable, "manage.py", "bench", "--sizes", "T", "--repeat", "2",
         "--output", str(output)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    # The developer's database (here a path that did not exist) is never created or touched.
    assert not developer_db.exists()
    report = json.loads(output.read_text())
    (size,) = report["sizes"]
    assert size["size"] == "T"
    by_name = {page["name"]: page for page in size["pages"]}
    assert set(by_name) == PAGE_TYPES
    assert {name for name, _url in pages({"glossary_query": "a b", "picked": "", "model": "m",
                                           "article": "a", "term": "t"})} == PAGE_TYPES
    for page in size["pages"]:
        assert page["status"] == 200, page
        assert page["bytes"] > 0
        assert page["queries"] >= 0
        for key in ("cold_median_ms", "cold_p95_ms", "warm_median_ms", "warm_p95_ms",
                    "static_median_ms", "cold_ratio", "warm_ratio"):
            assert page[key] > 0, (page["name"], key)
    assert by_name["matrix"]["queries"] > 0  # counted on a cold render
    assert "matrix" in result.stdout and "warm" in result.stdout


def test_bench_refuses_an_unknown_size(tmp_path):
    env = {**os.environ, "DJANGO_SQLITE_PATH": str(tmp_path / "dev.sqlite3")}
    result = subprocess.run(
        [sys.executable, "manage.py", "bench", "--sizes", "XL", "--output", ""],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode != 0
    assert "unknown size" in result.stderr
