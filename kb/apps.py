from django.apps import AppConfig


class KbConfig(AppConfig):
    name = "kb"
    verbose_name = "Site"

    def ready(self):
        from kb.caching import connect_signals

        # Any editor change to public content mints a new page-cache generation (kb/caching.py).
        connect_signals()
