from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.sitemaps import ArticleSitemap
from glossary.sitemaps import TermSitemap
from models_catalog.sitemaps import AIModelSitemap, LicenseSitemap


class StaticPagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["home", "models_catalog:matrix", "models_catalog:model_list",
                "articles:article_list", "glossary:term_list"]

    def location(self, item):
        return reverse(item)


# Each app adds its own sitemap here as it lands; the order is the order in sitemap.xml.
SITEMAPS = {"pages": StaticPagesSitemap, "articles": ArticleSitemap,
            "glossary": TermSitemap, "models": AIModelSitemap, "licenses": LicenseSitemap}
