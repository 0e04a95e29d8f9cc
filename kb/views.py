from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from articles.models import Article
from kb.search import search_site
from models_catalog.changes import cell_changes
from models_catalog.charts import openness_chart
from models_catalog.matrix import build_matrix
from models_catalog.models import AIModel

HOME_ARTICLES = 5
HOME_CHANGES = 8


@require_safe
def home(request):
    featured = AIModel.objects.featured().select_related("organization", "license")
    return render(
        request,
        "kb/home.html",
        {
            "matrix": build_matrix(featured),
            "chart": openness_chart(),
            "articles": Article.objects.published()[:HOME_ARTICLES],
            "changes": cell_changes()[:HOME_CHANGES],
        },
    )


@require_safe
def search(request):
    results = search_site(request.GET.get("q", ""))
    return render(
        request,
        "kb/search.html",
        {"query": results.query, "search_query": results.query, "results": results},
    )


@never_cache
@require_safe
def healthz(request):
    """Liveness and database check for load balancers: 200 when the database answers, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_safe
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("django.contrib.sitemaps.views.sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /markdownx/",
        f"Sitemap: {sitemap_url}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
