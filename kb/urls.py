from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from articles import uploads as article_uploads
from articles import views as article_views
from kb import views
from kb.caching import public_page
from kb.sitemaps import SITEMAPS

urlpatterns = [
    path("", public_page(views.home), name="home"),
    path("search/", public_page(views.search), name="search"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        public_page(sitemap),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("admin/", admin.site.urls),
    # django-markdownx's editor posts to these paths and names; our staff-only views replace
    # markdownx.urls, whose views are open to anyone and trust the browser's content type.
    path("markdownx/markdownify/", article_views.markdownify, name="markdownx_markdownify"),
    path("markdownx/upload/", article_uploads.upload_image, name="markdownx_upload"),
    path("", include("models_catalog.urls")),
    path("", include("articles.urls")),
    path("", include("glossary.urls")),
]
# Uploaded images under `make run`; in production the front web server serves MEDIA_ROOT
# (static() adds nothing when DEBUG is off).
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
