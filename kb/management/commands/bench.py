import sys

from django.core.management.base import BaseCommand, CommandError

from kb import bench


class Command(BaseCommand):
    help = (
        "Benchmark every public page type on synthetic content in a throwaway database "
        "(sizes S and L): queries, bytes, cold and warm server time, and the ratio to a "
        "static file of the same size served by WhiteNoise. Prints a table, writes JSON."
    )
    # The checks would open the developer's database before we switch to a throwaway one.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="S,L", help="comma-separated: T (tiny), S, L")
        parser.add_argument("--repeat", type=int, default=30, help="timed requests per page")
        parser.add_argument(
            "--output", default="bench-results.json", help="JSON file to write ('' for none)"
        )

        parser.add_argument(
            "--only", default="", help="comma-separated page names (as in the table)"
        )

    def handle(self, *args, sizes, repeat, output, only, **options):
        names = [s.strip().upper() for s in sizes.split(",") if s.strip()]
        if repeat < 1:
            raise CommandError("--repeat must be at least 1")
        try:
            words = [w.strip() for w in only.split(",") if w.strip()]
            report = bench.run(
                names, repeat, output, log=lambda m: self.stderr.write(m), only=words
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        report["command"] = "python manage.py bench " + " ".join(sys.argv[2:])
        if output:
            import json
            from pathlib import Path

            Path(output).write_text(json.dumps(report, indent=2) + "\n")
        self.stdout.write(bench.table(report))
        if output:
            self.stdout.write(f"\nJSON written to {output}")
