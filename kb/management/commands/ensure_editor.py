import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Make sure a local editor account exists and print its credentials (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="editor")

    def handle(self, *args, username, **options):
        # Never on a production box: a known account with a printed password is a local convenience.
        if not settings.DEBUG:
            raise CommandError("ensure_editor only runs with DJANGO_DEBUG=1 (local development).")
        secret_file = Path(settings.BASE_DIR) / "var" / f"{username}-password.txt"
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        password = secret_file.read_text().strip() if secret_file.exists() else ""
        if user is None or not password or not user.check_password(password):
            password = secrets.token_urlsafe(12)
            user = user or User(username=username, email=f"{username}@localhost")
            user.is_staff = user.is_superuser = True
            user.set_password(password)
            user.save()
            secret_file.parent.mkdir(exist_ok=True)
            secret_file.write_text(password + "\n")
            secret_file.chmod(0o600)
        self.stdout.write(
            self.style.SUCCESS(
                f"Local editor account — username: {username}  password: {password}  "
                f"(admin at http://127.0.0.1:{os.environ.get('PORT', '8000')}/admin/)"
            )
        )
