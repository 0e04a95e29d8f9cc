from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kb.content import ContentError, load_content


class Command(BaseCommand):
    help = (
        "Load the demo content kept in content/: matrix, glossary and explainers. Idempotent; "
        "never overwrites a row an editor has changed in the admin since it was loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(settings.KB_CONTENT_DIR))

    def handle(self, *args, dir, **options):
        try:
            report = load_content(dir)
        except ContentError as exc:
            raise CommandError(f"Nothing was loaded: {exc}") from None
        for line in report.lines():
            self.stdout.write(line)
