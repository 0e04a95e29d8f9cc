from django.contrib.sitemaps import Sitemap

from glossary.models import Term


class TermSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Term.objects.only("slug", "updated_at").order_by("slug")

    def lastmod(self, term):
        return term.updated_at
