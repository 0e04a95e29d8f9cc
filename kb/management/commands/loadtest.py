"""A bounded local load run: N concurrent clients for S seconds against a running server.

Start the site with `make serve` first (gunicorn), then `make load`. Only loopback addresses
are accepted, and every run stops by itself. Two phases of the same length: the pages
(/matrix/ and a glossary search, alternating) and then a static file served by WhiteNoise, so
the requests per second can be read side by side.
"""

import http.client
import statistics
import threading
import time

from django.core.management.base import BaseCommand, CommandError

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
PAGES = ["/matrix/", "/glossary/?q=weights"]
STATIC = "/static/css/site.css"


def run_phase(host, port, paths, clients, seconds):
    """Hammer `paths` (round robin per client) for `seconds`; return the phase's figures."""
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    latencies, errors, statuses = [], [], {}

    def client(offset):
        connection = None
        mine, n = [], offset
        while time.monotonic() < deadline:
            path = paths[n % len(paths)]
            n += 1
            started = time.perf_counter()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(host, port, timeout=30)
                connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
                response = connection.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    errors.append(f"{path}: {type(exc).__name__}: {exc}"[:200])
                if connection is not None:
                    connection.close()
                connection = None
                continue
            mine.append((time.perf_counter() - started) * 1000)
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                if status != 200:
                    errors.append(f"{path}: HTTP {status}")
        if connection is not None:
            connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    elapsed = time.monotonic() - started
    ordered = sorted(latencies)
    return {
        "paths": paths,
        "requests": len(latencies),
        "errors": len(errors),
        "error_samples": errors[:5],
        "statuses": statuses,
        "seconds": round(elapsed, 1),
        "rps": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
        "median_ms": round(statistics.median(ordered), 1) if ordered else None,
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1) if ordered else None,
    }


class Command(BaseCommand):
    help = "Bounded local load run against a running server (see `make serve`), loopback only."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--clients", type=int, default=50)
        parser.add_argument("--seconds", type=float, default=30)
        parser.add_argument("--static", default=STATIC, help="static file for the comparison")

    def handle(self, *args, host, port, clients, seconds, static, **options):
        if host not in LOOPBACK:
            raise CommandError("The load run only targets this machine (127.0.0.1).")
        if not 1 <= clients <= 200 or not 0 < seconds <= 300:
            raise CommandError("Use 1–200 clients and at most 300 seconds.")
        for path in PAGES + [static]:
            try:
                conn = http.client.HTTPConnection(host, port, timeout=10)
                conn.request("GET", path)
                status = conn.getresponse().status
                conn.close()
            except OSError as exc:
                message = f"No server at {host}:{port} ({exc}); run `make serve`."
                raise CommandError(message) from None
            if status != 200:
                raise CommandError(f"{path} answered {status}; is the content loaded?")
        rows = []
        for label, paths in (("pages", PAGES), ("static", [static])):
            self.stderr.write(f"{label}: {clients} clients for {seconds:g} s on {', '.join(paths)}")
            rows.append((label, run_phase(host, port, paths, clients, seconds)))
        self.stdout.write(f"{'phase':<8} {'requests':>9} {'errors':>7} {'req/s':>8} "
                          f"{'median ms':>10} {'p95 ms':>8}")
        for label, r in rows:
            self.stdout.write(f"{label:<8} {r['requests']:>9} {r['errors']:>7} {r['rps']:>8} "
                              f"{r['median_ms']!s:>10} {r['p95_ms']!s:>8}")
            for sample in r["error_samples"]:
                self.stdout.write(f"  error: {sample}")
        pages_rps, static_rps = rows[0][1]["rps"], rows[1][1]["rps"]
        if static_rps:
            self.stdout.write(f"pages / static: {pages_rps / static_rps:.2f}")
        if any(r["errors"] for _label, r in rows):
            raise CommandError("There were errors.")
