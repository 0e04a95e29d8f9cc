from django.contrib.sitemaps import Sitemap

from models_catalog.models import AIModel, License


class AIModelSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return AIModel.objects.order_by("slug").only("slug", "updated_at")

    def lastmod(self, obj):
        return obj.updated_at


class LicenseSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return License.objects.order_by("slug").only("slug")
