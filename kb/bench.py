"""The benchmark behind `manage.py bench`: every public page type, at sizes S and L.

For each size it creates a throwaway database (Django's own test-database machinery; on SQLite
a temporary file, never the developer's db.sqlite3), fills it with synthetic content through
bulk_create (derived fields — rendered HTML, search keys, history rows — filled in as the
models' save() would), and requests every page through the full middleware stack with
django.test.Client: the real handler, WhiteNoise, sessions, CSRF, security headers, the page
cache.

Per page: queries and bytes of a cold render, and median / 95th percentile server time
*cold* (right after an editor's save: a new cache generation, so every page misses) and *warm*
(served from the page cache). A static file of the same size, served by WhiteNoise from a
collected STATIC_ROOT through the same stack, is timed alongside; each page's time is also given
as a ratio to it.
"""

import datetime
import json
import os
import platform
import random
import shutil
import statistics
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from django.utils.text import slugify

# name: (models, features, articles, terms)
SIZES = {
    "T": (6, 5, 6, 30),  # tiny: for the test suite
    "S": (20, 15, 50, 200),
    "L": (500, 60, 2000, 5000),
}
FEATURED_MODELS = 12
PICKED_MODELS = 10


@dataclass
class PageResult:
    name: str
    url: str
    status: int
    queries: int
    bytes: int
    streaming: bool
    cold_median_ms: float
    cold_p95_ms: float
    warm_median_ms: float
    warm_p95_ms: float
    static_median_ms: float = 0.0
    static_p95_ms: float = 0.0
    cold_ratio: float = 0.0
    warm_ratio: float = 0.0


@dataclass
class SizeResult:
    size: str
    counts: dict
    build_seconds: float
    pages: list = field(default_factory=list)


# --- Synthetic content ------------------------------------------------------------------------

WORDS_A = ["sparse", "dense", "open", "closed", "local", "private", "quantized", "distilled",
           "fine", "base", "instruction", "chat", "safety", "weight", "token", "context", "data",
           "model", "training", "inference", "licence", "source", "prompt", "vector", "batch",
           "gradient", "reward", "policy", "mixture", "expert", "latent", "attention", "memory",
           "retrieval", "agent", "tool", "eval", "bench", "audit", "card", "release", "access",
           "hosted", "edge", "mobile", "server", "cloud", "kernel", "cache", "stream", "shard",
           "adapter", "merge", "prune", "sample", "decode", "encode", "embed", "align", "filter",
           "crawl", "dedup", "mask", "scale", "warmup", "schedule", "checkpoint", "export",
           "runtime", "compile", "graph", "layer", "head", "norm", "rotary", "window", "tensor",
           "pipeline", "parallel"]  # fmt: skip
WORDS_B = ["attention", "tuning", "weights", "tokenizer", "window", "model", "licence", "card",
           "adapter", "decoding", "sampling", "alignment", "dataset", "benchmark", "inference",
           "quantization", "distillation", "embedding", "retrieval", "gateway", "endpoint",
           "checkpoint", "parameter", "objective", "loss", "optimizer", "scheduler", "policy",
           "reward", "evaluation", "red teaming", "filter", "classifier", "runtime", "server",
           "kernel", "cache", "router", "expert", "layer", "head", "vocabulary", "prompt",
           "template", "context", "memory", "agent", "tool", "plugin", "format", "release",
           "audit", "watermark", "provenance", "license", "access", "hosting", "deployment",
           "serving", "scaling", "sharding", "pruning", "merging", "export", "graph", "tensor",
           "pipeline", "batching", "streaming", "masking", "mixing", "norm", "rotation", "stride",
           "padding", "truncation", "overflow", "latency", "throughput", "footprint"]  # fmt: skip

BODY = """## Why it matters

A {model} answers differently when its weights are yours. This explainer covers what
open weights, fine-tuning and local inference mean for teams choosing a model, and where a
closed API is still the better fit.

[[matrix {slice}]]

## What to check

- Can you download the weights and run them offline?
- Does the licence allow commercial use and modification?
- Who sees your prompts and your data?

{terms} are explained in the glossary. Read the model card before deploying anything.

## In short

Open is not one thing: weights, code, data and licence each matter on their own.
"""


def _names(count):
    pairs = [f"{a} {b}" for b in WORDS_B for a in WORDS_A if a != b]
    if count > len(pairs):
        raise ValueError(f"at most {len(pairs)} synthetic terms")
    random.Random(7).shuffle(pairs)
    return [p[:1].upper() + p[1:] for p in pairs[:count]]


def build(size):
    """Fill the (empty, migrated) database with one size of synthetic content."""
    from django.contrib.auth import get_user_model

    from articles.models import Article, Status, Tag
    from glossary.models import Alias, Term, search_key
    from kb import caching
    from kb.rendering import render, render_markdown
    from models_catalog.models import (
        AccessChannel,
        AIModel,
        Assessment,
        Feature,
        FeatureGroup,
        License,
        Modality,
        Openness,
        Organization,
        Value,
    )

    n_models, n_features, n_articles, n_terms = SIZES[size]
    rng = random.Random(42)
    now = timezone.now()
    today = timezone.localdate()

    editor = get_user_model().objects.create_user("bench-editor", is_staff=True)
    orgs = Organization.objects.bulk_create(
        Organization(name=f"Lab {i}", slug=f"lab-{i}", url=f"https://lab{i}.example.org/")
        for i in range(max(3, n_models // 10))
    )
    summary = "Permissive: use, modify and redistribute, with **attribution**."
    licences = License.objects.bulk_create(
        License(name=f"Licence {i}", slug=f"licence-{i}", spdx_id="Apache-2.0",
                url="https://example.org/licence", osi_approved=i % 2 == 0,
                allows_commercial_use=i % 3 != 0, allows_modification=True,
                allows_redistribution=True, summary=summary,
                summary_html=render_markdown(summary))
        for i in range(8)
    )  # fmt: skip
    modalities = Modality.objects.bulk_create(
        Modality(name=n, slug=slugify(n)) for n in ["Text", "Image", "Audio", "Code", "Video"]
    )
    channels = AccessChannel.objects.bulk_create(
        AccessChannel(name=n, slug=slugify(n)) for n in ["API", "Web app", "Weights", "Cloud"]
    )

    # Glossary: terms with aliases; keys and HTML exactly as Term.save / Alias.save make them.
    term_body = "A longer explanation with **emphasis** and a [link](https://example.org/)."
    term_body_html = render_markdown(term_body)
    names = _names(n_terms)
    terms = Term.objects.bulk_create(
        Term(term=name, slug=slugify(name), key=search_key(name),
             definition=f"What “{name.lower()}” means when comparing open and closed models.",
             body=term_body, body_html=term_body_html)
        for name in names
    )  # fmt: skip
    aliases = []
    for term in terms[: n_terms // 4]:
        alias = "".join(w[0] for w in term.term.split()).upper() + str(term.pk)
        aliases.append(Alias(term=term, name=alias, key=search_key(alias)))
    Alias.objects.bulk_create(aliases)

    groups = FeatureGroup.objects.bulk_create(
        FeatureGroup(name=n, slug=slugify(n), order=i)
        for i, n in enumerate(["Access", "Control", "Data", "Licence", "Deployment"])
    )
    help_text = "What this means for you, in a sentence or two, with **evidence**."
    features = Feature.objects.bulk_create(
        Feature(name=f"Feature {i}", slug=f"feature-{i}",
                question=f"Does the model support feature {i}?", help_text=help_text,
                help_html=render_markdown(help_text), group=groups[i % len(groups)], order=i,
                term=terms[i % len(terms)])
        for i in range(n_features)
    )  # fmt: skip

    description = "A model for **benchmarks**: open weights, a model card and a paper."
    description_html = render_markdown(description)
    models = AIModel.objects.bulk_create(
        AIModel(name=f"Model {i:03d}", slug=f"model-{i:03d}", organization=orgs[i % len(orgs)],
                family=f"Family {i // 5}", release_date=datetime.date(2020 + i % 6, 1 + i % 12, 1),
                parameter_count=(i + 1) * 1_000_000_000,
                openness=list(Openness.values)[i % 3], license=licences[i % len(licences)],
                summary=f"Model {i} in one line.", description=description,
                description_html=description_html, homepage_url="https://example.org/",
                featured=i < FEATURED_MODELS)
        for i in range(n_models)
    )  # fmt: skip
    AIModel.modalities.through.objects.bulk_create(
        AIModel.modalities.through(aimodel_id=m.pk, modality_id=modalities[j].pk)
        for i, m in enumerate(models) for j in range(1 + i % 3)
    )
    AIModel.access_channels.through.objects.bulk_create(
        AIModel.access_channels.through(aimodel_id=m.pk, accesschannel_id=channels[j].pk)
        for i, m in enumerate(models) for j in range(1 + i % 2)
    )

    # Cells: every model × feature; notes rendered once per distinct note, as save() would.
    from simple_history.utils import bulk_create_with_history

    values = list(Value.values)
    notes = [f"Documented in the vendor's model card, section {k}." for k in range(10)]
    notes_html = {note: render_markdown(note) for note in notes}
    cells = []
    for i, model in enumerate(models):
        for j, feature in enumerate(features):
            note = notes[(i + j) % len(notes)]
            cells.append(Assessment(
                model=model, feature=feature, value=values[(i * 7 + j) % len(values)],
                note=note, note_html=notes_html[note],
                sources=[{"url": f"https://example.org/evidence/{i}/{j}", "title": "Evidence"}],
                verified_on=today - datetime.timedelta(days=(i + j) % 400), verified_by=editor,
            ))  # fmt: skip
    bulk_create_with_history(cells, Assessment, batch_size=2000, default_user=editor)

    # Explainers: a few distinct bodies rendered once each (the renderer is the slow part of
    # save()), published over the last years, a few drafts and one scheduled for tomorrow.
    tags = Tag.objects.bulk_create(Tag(name=w.title(), slug=w) for w in WORDS_A[:12])
    bodies = []
    for k in range(8):
        slice_models = " ".join(m.slug for m in models[k % n_models : k % n_models + 3])
        body = BODY.format(model=models[k % n_models].name, slice=slice_models,
                           terms=", ".join(names[k : k + 3]))
        rendered = render(body)
        bodies.append((body, rendered.html, rendered.toc))
    articles = []
    for i in range(n_articles):
        body, html, toc = bodies[i % len(bodies)]
        status = Status.DRAFT if i % 25 == 24 else Status.PUBLISHED
        published_at = None if status == Status.DRAFT else now - datetime.timedelta(hours=6 * i)
        if i == 1:
            published_at = now + datetime.timedelta(days=1)
        articles.append(Article(
            title=f"Explainer {i}: {names[i % len(names)]}", slug=f"explainer-{i}",
            summary=f"What {names[i % len(names)].lower()} means for choosing a model.",
            body=body, body_html=html, toc_html=toc, reading_minutes=2, status=status,
            published_at=published_at, sources=[{"url": "https://example.org/", "title": "Src"}],
            last_reviewed_on=today,
        ))  # fmt: skip
    articles = Article.objects.bulk_create(articles)
    Article.tags.through.objects.bulk_create(
        Article.tags.through(article_id=a.pk, tag_id=tags[j].pk)
        for i, a in enumerate(articles) for j in {i % 12, (i * 5) % 12}
    )
    Article.authors.through.objects.bulk_create(
        Article.authors.through(article_id=a.pk, user_id=editor.pk) for a in articles
    )
    Article.related_models.through.objects.bulk_create(
        Article.related_models.through(article_id=a.pk, aimodel_id=models[j].pk)
        for i, a in enumerate(articles) for j in {i % n_models, (i + 1) % n_models}
    )
    Article.related_terms.through.objects.bulk_create(
        Article.related_terms.through(article_id=a.pk, term_id=terms[j].pk)
        for i, a in enumerate(articles) for j in {i % n_terms, (i + 3) % n_terms}
    )
    Term.related.through.objects.bulk_create(
        Term.related.through(from_term_id=terms[i].pk, to_term_id=terms[(i + 1) % n_terms].pk)
        for i in range(min(n_terms, 500))
    )

    # bulk_create sends no signals: start every cache afresh, as a save would.
    from glossary.search import invalidate_index

    invalidate_index()
    caching.bump()
    rng.random()
    return {
        "models": n_models, "features": n_features, "cells": len(cells),
        "articles": n_articles, "terms": n_terms, "aliases": len(aliases),
        "glossary_query": names[5].split()[0] + " " + names[5].split()[1][:4],
        "picked": ",".join(m.slug for m in models[: min(PICKED_MODELS, n_models)]),
        "model": models[min(3, n_models - 1)].slug,
        "article": "explainer-2",
        "term": terms[min(4, n_terms - 1)].slug,
    }  # fmt: skip


def pages(info):
    q = info["glossary_query"].replace(" ", "+")
    return [
        ("home", "/"),
        ("matrix", "/matrix/"),
        ("matrix ?models=10", f"/matrix/?models={info['picked']}"),
        ("models", "/models/"),
        ("model page", f"/models/{info['model']}/"),
        ("articles", "/articles/"),
        ("article", f"/articles/{info['article']}/"),
        ("glossary", "/glossary/"),
        ("glossary ?q=", f"/glossary/?q={q}"),
        ("term page", f"/glossary/{info['term']}/"),
        ("api glossary ?q=", f"/api/glossary/?q={q[:8]}"),
        ("search ?q=", "/search/?q=open+weights"),
        ("api matrix", "/api/matrix/"),
        ("matrix export.csv", "/matrix/export.csv"),
        ("articles feed", "/articles/feed/"),
        ("changes feed", "/matrix/changes/feed/"),
    ]


# --- Measuring --------------------------------------------------------------------------------


def _get(client, url):
    start = time.perf_counter()
    response = client.get(url, secure=True)
    size = (
        sum(len(chunk) for chunk in response.streaming_content)
        if response.streaming
        else len(response.content)
    )
    elapsed = (time.perf_counter() - start) * 1000
    response.close()
    return response, size, elapsed


def _stats(samples):
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return round(statistics.median(ordered), 3), round(p95, 3)


def measure_page(client, name, url, repeat):
    from kb import caching

    caching.bump()
    reset_queries()  # the query log is cleared at each request start anyway
    with CaptureQueriesContext(connection) as queries:
        response, size, _ = _get(client, url)
    query_count = len(queries)  # read now: the log is cleared when the next request starts
    cold = []
    for _ in range(repeat):
        caching.bump()  # as after an editor's save: a new generation, every page misses
        cold.append(_get(client, url)[2])
    _get(client, url)  # fill the page cache
    warm = [_get(client, url)[2] for _ in range(repeat)]
    cold_median, cold_p95 = _stats(cold)
    warm_median, warm_p95 = _stats(warm)
    return PageResult(name=name, url=url, status=response.status_code, queries=query_count,
                      bytes=size, streaming=response.streaming, cold_median_ms=cold_median,
                      cold_p95_ms=cold_p95, warm_median_ms=warm_median, warm_p95_ms=warm_p95)


def measure_static(results, static_root, repeat):
    """Time a WhiteNoise-served file of each page's size, through a fresh handler (WhiteNoise
    indexes STATIC_ROOT when the middleware is built)."""
    bench_dir = Path(static_root) / "bench"
    bench_dir.mkdir(exist_ok=True)
    filler = (b"<p>Open and closed models compared, cell by cell, with evidence.</p>\n" * 64)
    for result in results:
        path = bench_dir / f"page-{result.bytes}.html"
        if not path.exists():
            data = (filler * (result.bytes // len(filler) + 1))[: result.bytes]
            path.write_bytes(data)
    client = Client()
    for result in results:
        url = f"{settings.STATIC_URL.rstrip('/')}/bench/page-{result.bytes}.html"
        if not url.startswith("/"):
            url = "/" + url
        response, size, _ = _get(client, url)
        if response.status_code != 200 or size != result.bytes:
            raise RuntimeError(f"static file not served as expected: {url}")
        samples = [_get(client, url)[2] for _ in range(repeat)]
        result.static_median_ms, result.static_p95_ms = _stats(samples)
        base = result.static_median_ms or 0.001
        result.cold_ratio = round(result.cold_median_ms / base, 1)
        result.warm_ratio = round(result.warm_median_ms / base, 1)


def run_size(size, repeat, static_root, log, only=None):
    from django.db import connections

    original = connection.settings_dict["NAME"]
    test_settings = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        test_settings["NAME"] = str(Path(static_root).parent / f"bench-{size}.sqlite3")
    else:
        test_settings["NAME"] = f"kb_bench_{os.getpid()}"
    log(f"[{size}] creating a throwaway database and migrating…")
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode=WAL")
        log(f"[{size}] building {SIZES[size]} (models, features, articles, terms)…")
        started = time.perf_counter()
        info = build(size)
        built = time.perf_counter() - started
        result = SizeResult(size=size, counts={k: v for k, v in info.items()
                                               if isinstance(v, int)},
                            build_seconds=round(built, 1))  # fmt: skip
        client = Client()
        for name, url in pages(info):
            if only and name not in only:
                continue
            log(f"[{size}] {name}")
            result.pages.append(measure_page(client, name, url, repeat))
        measure_static(result.pages, static_root, repeat)
        return result
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(original, verbosity=0)


def collect_static(static_root):
    call_command("collectstatic", interactive=False, verbosity=0)
    return static_root


def run(sizes, repeat, output, log=print, only=None):
    """Benchmark each size; return the report dict (also written to `output` as JSON)."""
    for size in sizes:
        if size not in SIZES:
            raise ValueError(f"unknown size {size!r}: choose from {', '.join(SIZES)}")
    workdir = tempfile.mkdtemp(prefix="kb-bench-")
    static_root = Path(workdir) / "static"
    report = {
        "command": "",
        "when": timezone.now().isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count(), "database": connection.vendor,
                    "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]},
        "repeat": repeat,
        "sizes": [],
    }  # fmt: skip
    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    # Caches of our own: never the site's Redis or the generation file its workers share.
    local = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                    "LOCATION": f"kb-bench-{os.getpid()}"},
        "kb-shared": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                      "LOCATION": f"kb-bench-shared-{os.getpid()}"},
    }  # fmt: skip
    try:
        with override_settings(STATIC_ROOT=static_root, ALLOWED_HOSTS=hosts, DEBUG=False,
                               CACHES=local):
            import django.test.signals  # noqa: F401 - resets static storage on STATIC_ROOT

            log("collecting static files into a temporary STATIC_ROOT…")
            collect_static(static_root)
            for size in sizes:
                result = run_size(size, repeat, static_root, log, only)
                report["sizes"].append(
                    {**asdict(result), "pages": [asdict(p) for p in result.pages]}
                )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if output:
        Path(output).write_text(json.dumps(report, indent=2) + "\n")
    return report


def table(report):
    lines = []
    header = (f"{'page':<20} {'st':>3} {'q':>3} {'bytes':>9}  {'cold med':>8} {'p95':>8}  "
              f"{'warm med':>8} {'p95':>7}  {'static':>7}  {'cold×':>6} {'warm×':>6}")  # fmt: skip
    for size in report["sizes"]:
        counts = ", ".join(f"{v} {k}" for k, v in size["counts"].items())
        lines.append(f"\nSize {size['size']}: {counts} (built in {size['build_seconds']} s)")
        lines.append("times in ms, median and 95th percentile; ratios to the static file")
        lines.append(header)
        lines.append("-" * len(header))
        for p in size["pages"]:
            mark = "~" if p["streaming"] else " "
            lines.append(
                f"{p['name']:<20} {p['status']:>3} {p['queries']:>3} {p['bytes']:>9}{mark} "
                f"{p['cold_median_ms']:>8.2f} {p['cold_p95_ms']:>8.2f}  "
                f"{p['warm_median_ms']:>8.2f} {p['warm_p95_ms']:>7.2f}  "
                f"{p['static_median_ms']:>7.2f}  {p['cold_ratio']:>6.1f} {p['warm_ratio']:>6.1f}"
            )
    lines.append("\n~ streamed (kept in the page cache chunk by chunk, replayed the same way)")
    return "\n".join(lines)
