from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class GlossaryConfig(AppConfig):
    name = "glossary"
    verbose_name = "Glossary"

    def ready(self):
        from glossary.models import Alias, Term
        from glossary.search import invalidate_index

        # Search and automatic linking read a cached index of every term and alias; any change
        # to either must rebuild it, in every process (the version lives in the shared cache).
        for model in (Term, Alias):
            post_save.connect(
                invalidate_index, sender=model, dispatch_uid=f"glossary-index-{model.__name__}-save"
            )
            post_delete.connect(
                invalidate_index,
                sender=model,
                dispatch_uid=f"glossary-index-{model.__name__}-delete",
            )
