from django.core.management.base import BaseCommand, CommandError

from kb.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a file written by `backup` into a migrated, empty database. The whole file is "
        "checked first and loaded in one transaction: a bad file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .tar.gz written by `manage.py backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace everything in a database that is not empty.",
        )

    def handle(self, *args, file, force, **options):
        try:
            manifest = restore_backup(file, force=force)
        except BackupError as exc:
            raise CommandError(f"Restore refused: {exc}") from None
        rows = sum(manifest["counts"].values())
        files = len(manifest["files"]) - 1
        self.stdout.write(
            f"Restored {rows} rows and {files} media files from {file} "
            f"(backed up {manifest['created']})"
        )
