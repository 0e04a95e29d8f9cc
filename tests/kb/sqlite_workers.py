"""Worker processes for tests/kb/test_concurrency.py: run as `python -m tests.kb.sqlite_workers`.

Each worker is a separate process with its own SQLite connection to the same database file (the
path comes from DJANGO_SQLITE_PATH), waits for a start signal so they all run at once, and prints
one JSON line summarising what it did and every error it met.
"""

import json
import os
import sys
import time
import traceback
from pathlib import Path


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
    import django

    django.setup()


def _wait_for_start(signal):
    deadline = time.monotonic() + 60
    while not Path(signal).exists():
        if time.monotonic() > deadline:
            raise SystemExit("no start signal")
        time.sleep(0.01)


def seed(writers):
    """One model, a cell per writer and one shared cell that every writer increments."""
    from django.db import connection

    from models_catalog.models import AIModel, Assessment, Feature, FeatureGroup, Organization

    org = Organization.objects.create(name="Org", slug="org")
    group = FeatureGroup.objects.create(name="Access", slug="access")
    model = AIModel.objects.create(
        name="Shared", slug="shared", organization=org, openness="open-weights", featured=True
    )
    for n in range(writers + 1):
        feature = Feature.objects.create(name=f"Feature {n}", slug=f"feature-{n}", group=group)
        Assessment.objects.create(model=model, feature=feature, value="yes", note="0")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout")
        busy = cursor.fetchone()[0]
    return {
        "journal_mode": journal,
        "busy_timeout": busy,
        "transaction_mode": connection.settings_dict["OPTIONS"].get("transaction_mode"),
    }


def writer(number, saves, signal):
    """Save this writer's own cell `saves` times, and add one to the shared cell as often.

    The shared cell is a read-modify-write under optimistic locking: a refused save (someone else
    saved first) is retried from a fresh read, so the final count proves no increment was lost.
    """
    from kb.locking import EditConflict
    from models_catalog.models import Assessment

    _wait_for_start(signal)
    own = Assessment.objects.get(feature__slug=f"feature-{number + 1}")
    errors, retries = [], 0
    for i in range(saves):
        try:
            own.note = f"writer {number} save {i + 1}"
            own.save()
            while True:
                shared = Assessment.objects.get(feature__slug="feature-0")
                shared.note = str(int(shared.note) + 1)
                try:
                    shared.save()
                    break
                except EditConflict:
                    retries += 1
        except Exception:  # noqa: BLE001 - every error is reported to the test, not swallowed
            errors.append(traceback.format_exc())
    return {"saves": saves, "retries": retries, "errors": errors}


def reader(signal, stop_signal):
    """Render the public matrix and model page, and read rows, until the writers are done."""
    from django.test import Client

    from models_catalog.models import Assessment

    _wait_for_start(signal)
    client = Client(HTTP_HOST="localhost")
    errors, reads = [], 0
    while not Path(stop_signal).exists() or reads < 10:
        try:
            for url in ("/matrix/", "/models/shared/"):
                response = client.get(url)
                if response.status_code != 200:
                    errors.append(f"{url}: {response.status_code}")
            notes = list(Assessment.objects.values_list("note", flat=True))
            if len(notes) < 2:
                errors.append(f"rows missing: {notes}")
            reads += 1
        except Exception:  # noqa: BLE001 - every error is reported to the test, not swallowed
            errors.append(traceback.format_exc())
        if reads > 2000:
            break
    return {"reads": reads, "errors": errors}


def main(argv):
    _setup_django()
    role = argv[0]
    if role == "seed":
        result = seed(int(argv[1]))
    elif role == "writer":
        result = writer(int(argv[1]), int(argv[2]), argv[3])
    elif role == "reader":
        result = reader(argv[1], argv[2])
    else:
        raise SystemExit(f"unknown role {role}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
