#!/usr/bin/env python3
"""Readers hammer a running site while an editor saves matrix cells; then check nothing broke.

    # in one shell: a scratch database, demo content, the production-like server
    export DJANGO_SQLITE_PATH=/tmp/kb-load.sqlite3
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_content
    PORT=8702 make serve
    # in another, with the same DJANGO_SQLITE_PATH (or DATABASE_URL):
    .venv/bin/python scripts/load_under_edit.py --port 8702

Reader threads (standard library only: threads and urllib against 127.0.0.1) request /matrix/,
the model pages and /api/matrix/ until the editor is done, while a writer process saves cells
through the ORM (`manage.py shell`) against the same database, as the admin would. Afterwards
every edited cell's final note must show on its model page and in /api/matrix/. The run is
bounded (saves, readers and a time limit) and stops by itself. Exit status 0 means zero 5xx, no
connection errors and every save visible; the summary is printed either way.
"""

import argparse
import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# Runs in `manage.py shell -c`: save `saves` cells of the featured models (the ones /matrix/
# shows), round robin, like an editor in the admin, and print what each cell ended up saying.
WRITER = """
import json, sys, time
from kb.locking import EditConflict
from models_catalog.models import Assessment

run, saves, pause = {run!r}, {saves}, {pause}
cells = list(Assessment.objects.filter(model__featured=True).order_by("pk")[:{cells}])
final = {{}}
for i in range(saves):
    cell = Assessment.objects.get(pk=cells[i % len(cells)].pk)
    cell.note = f"Load run {{run}} edit {{i + 1}}"
    try:
        cell.save()
    except EditConflict:  # someone else saved it meanwhile: read again and save once more
        cell = Assessment.objects.get(pk=cell.pk)
        cell.note = f"Load run {{run}} edit {{i + 1}}"
        cell.save()
    final[cell.pk] = {{"model": cell.model.slug, "feature": cell.feature.slug, "note": cell.note}}
    time.sleep(pause)
print(json.dumps(list(final.values())))
"""


class Tally:
    """What the readers saw, shared between threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = Counter()
        self.errors = []
        self.latencies = []

    def record(self, url, status, seconds, error=None):
        with self.lock:
            self.statuses[status] += 1
            self.latencies.append(seconds)
            if error or status >= 500:
                self.errors.append(f"{url}: {status} {error or ''}".strip())


def fetch(url, timeout=30):
    # Only ever http://127.0.0.1:<port>, built in main(): never a caller-supplied scheme.
    request = urllib.request.Request(url, headers={"User-Agent": "load-under-edit"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        return response.status, response.read()


def read(base_url, paths, stop, tally, max_requests):
    """One reader: cycle through `paths` until told to stop or out of requests."""
    for n in range(max_requests):
        if stop.is_set():
            return
        url = base_url + paths[n % len(paths)]
        started = time.monotonic()
        try:
            status, _ = fetch(url)
            tally.record(url, status, time.monotonic() - started)
        except urllib.error.HTTPError as exc:
            tally.record(url, exc.code, time.monotonic() - started)
        except (urllib.error.URLError, OSError) as exc:
            tally.record(url, 0, time.monotonic() - started, error=repr(exc))


def run_readers(base_url, paths, readers, max_requests, until):
    """Start reader threads; `until()` blocks while they run. Returns the tally."""
    tally, stop = Tally(), threading.Event()
    threads = [
        threading.Thread(target=read, args=(base_url, paths, stop, tally, max_requests))
        for _ in range(readers)
    ]
    for thread in threads:
        thread.start()
    try:
        until()
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    return tally


def invisible_edits(base_url, edits):
    """Edits whose final note is missing from the model page or from /api/matrix/."""
    status, body = fetch(base_url + "/api/matrix/")
    api = json.loads(body) if status == 200 else {"models": []}
    cells = {
        (model["slug"], feature): cell.get("note", "")
        for model in api.get("models", [])
        for feature, cell in model.get("cells", {}).items()
    }
    missing = []
    for edit in edits:
        _, page = fetch(f"{base_url}/models/{edit['model']}/")
        if edit["note"] not in page.decode():
            missing.append(f"/models/{edit['model']}/ lacks {edit['note']!r}")
        if edit["note"] not in cells.get((edit["model"], edit["feature"]), ""):
            missing.append(f"/api/matrix/ {edit['model']}.{edit['feature']} lacks {edit['note']!r}")
    return missing


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else 0.0


def summary(tally, saves, edits, missing, elapsed):
    total = sum(tally.statuses.values())
    return {
        "requests": total,
        "seconds": round(elapsed, 1),
        "requests_per_second": round(total / elapsed, 1) if elapsed else 0,
        "statuses": dict(sorted(tally.statuses.items())),
        "server_errors_5xx": sum(n for s, n in tally.statuses.items() if s >= 500),
        "connection_errors": tally.statuses.get(0, 0),
        "latency_ms_p50": round(percentile(tally.latencies, 0.5) * 1000),
        "latency_ms_p95": round(percentile(tally.latencies, 0.95) * 1000),
        "latency_ms_max": round(max(tally.latencies, default=0) * 1000),
        "saves": saves,
        "cells_edited": len(edits),
        "edits_not_visible": missing,
        "errors": tally.errors[:20],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--saves", type=int, default=120)
    parser.add_argument("--cells", type=int, default=12, help="distinct cells the editor edits")
    parser.add_argument("--pause", type=float, default=0.1, help="seconds between saves")
    parser.add_argument("--max-requests", type=int, default=2000, help="per reader")
    parser.add_argument("--time-limit", type=float, default=120, help="seconds, at most")
    parser.add_argument("--python", default=sys.executable, help="the project's Python")
    args = parser.parse_args(argv)

    base_url = f"http://127.0.0.1:{args.port}"
    status, body = fetch(base_url + "/api/matrix/")
    slugs = [m["slug"] for m in json.loads(body)["models"]][:6]
    paths = ["/matrix/", "/api/matrix/", *[f"/models/{slug}/" for slug in slugs]]

    run = uuid.uuid4().hex[:8]
    code = WRITER.format(run=run, saves=args.saves, pause=args.pause, cells=args.cells)
    writer = subprocess.Popen(  # noqa: S603 - our own manage.py with a fixed script
        [args.python, "manage.py", "shell", "-c", code],
        cwd=BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    output = {}

    def until_writer_done():
        try:
            output["out"], output["err"] = writer.communicate(timeout=args.time_limit)
        except subprocess.TimeoutExpired:
            writer.kill()
            output["out"], output["err"] = writer.communicate()
            output["err"] += f"\nwriter stopped after the {args.time_limit}s time limit"

    started = time.monotonic()
    tally = run_readers(base_url, paths, args.readers, args.max_requests, until_writer_done)
    elapsed = time.monotonic() - started
    if writer.returncode != 0:
        print(output["err"], file=sys.stderr)
        print("The editor's saves failed.", file=sys.stderr)
        return 1
    edits = json.loads(output["out"].strip().splitlines()[-1])
    missing = invisible_edits(base_url, edits)
    result = summary(tally, args.saves, edits, missing, elapsed)
    print(json.dumps(result, indent=2))
    ok = not result["server_errors_5xx"] and not result["connection_errors"] and not missing
    print("OK: zero 5xx, every save visible." if ok else "FAILED", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
