from django.core.management.base import BaseCommand, CommandError

from kb.backups import BackupError, create_backup, default_path


class Command(BaseCommand):
    help = (
        "Write everything (content, history, users, groups, media files) into one .tar.gz file; "
        "`restore` reads it back."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", help="Where to write it (default: backups/kb-<UTC time>.tar.gz)."
        )

    def handle(self, *args, output=None, **options):
        path = output or default_path()
        try:
            manifest = create_backup(path)
        except (BackupError, OSError) as exc:
            raise CommandError(f"Backup failed: {exc}") from None
        rows = sum(manifest["counts"].values())
        files = len(manifest["files"]) - 1
        self.stdout.write(f"Backed up {rows} rows and {files} media files to {path}")
