from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from articles.sitemaps import ArticleSitemap
from glossary.sitemaps import TermSitemap
from models_catalog.sitemaps import AIModelSitemap, LicenseSitemap


class StaticPagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["home", "models_catalog:matrix", "models_catalog:model_list",
                "articles:article_list", "glossary:term_list", "models_catalog:matrix_changes"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        # A listing changes when what it lists changes: one query per page, a handful in all.
        from articles.models import Article
        from glossary.models import Term
        from models_catalog.models import AIModel, Assessment

        source = {
            "home": "articles", "articles:article_list": "articles",
            "models_catalog:matrix": "cells", "models_catalog:matrix_changes": "cells",
            "models_catalog:model_list": "models", "glossary:term_list": "terms",
        }[item]
        cache = self.__dict__.setdefault("_lastmods", {})
        if source not in cache:
            queryset = {"articles": Article.objects.published(), "cells": Assessment.objects,
                        "models": AIModel.objects, "terms": Term.objects}[source]
            cache[source] = queryset.aggregate(last=Max("updated_at"))["last"]
        return cache[source]


# Each app adds its own sitemap here as it lands; the order is the order in sitemap.xml.
SITEMAPS = {"pages": StaticPagesSitemap, "articles": ArticleSitemap,
            "glossary": TermSitemap, "models": AIModelSitemap, "licenses": LicenseSitemap}
