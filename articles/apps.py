from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Explainers"

    def ready(self):
        from articles.workflow import ensure_groups

        # After `migrate` and after every flush (transactional tests), keep both editorial
        # groups present: the data migration alone runs only once per database.
        post_migrate.connect(ensure_groups, sender=self, dispatch_uid="articles-ensure-groups")
