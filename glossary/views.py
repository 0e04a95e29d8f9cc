from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from glossary.models import Term
from glossary.search import clean_query, did_you_mean, search_terms

API_LIMIT = 8


@require_GET
def term_list(request):
    query = clean_query(request.GET.get("q", ""))
    context = {"query": query}
    if query:
        results = search_terms(query)
        context["results"] = results
        context["suggestion"] = None if results else did_you_mean(query)
    else:
        context["letters"] = Term.objects.a_to_z()
    return render(request, "glossary/term_list.html", context)


@require_GET
def term_detail(request, slug):
    term = get_object_or_404(Term.objects.for_detail(), slug=slug)
    return render(
        request,
        "glossary/term_detail.html",
        {"term": term, "articles": term.published_articles(), "features": term.matrix_features()},
    )


@require_GET
def api_search(request):
    """Ranked results as JSON for the as-you-type suggestions on the glossary page."""
    query = clean_query(request.GET.get("q", ""))
    results = search_terms(query, limit=API_LIMIT) if query else []
    return JsonResponse({"query": query, "results": [r.as_json() for r in results]})
