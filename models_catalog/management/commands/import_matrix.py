from django.core.management.base import BaseCommand, CommandError

from models_catalog.importers import MatrixImportError, import_file


class Command(BaseCommand):
    help = (
        "Import the comparison matrix from a JSON file (the /api/matrix/ shape) or the CSV export. "
        "Validates everything first; on any invalid entry nothing is changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to a .json or .csv file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Validate and report, but write nothing."
        )

    def handle(self, *args, **options):
        try:
            report = import_file(options["file"], dry_run=options["dry_run"])
        except MatrixImportError as exc:
            lines = "\n".join(f"  {error}" for error in exc.errors)
            raise CommandError(
                f"{options['file']} was not imported; nothing was changed.\n{lines}"
            ) from None
        prefix = "Dry run — " if options["dry_run"] else ""
        self.stdout.write(self.style.SUCCESS(f"{prefix}{report}"))
