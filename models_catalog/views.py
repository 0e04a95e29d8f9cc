import json
from functools import partial

from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from articles.models import Article
from models_catalog import exports
from models_catalog.changes import cell_changes
from models_catalog.exports import matrix_csv, matrix_json
from models_catalog.filters import AIModelFilter, select_models
from models_catalog.matrix import SLUG_RE, build_matrix, models_by_slugs
from models_catalog.models import AIModel, License

MODELS_PER_PAGE = 24
CHANGES_PER_PAGE = 50
MODEL_PAGE_CHANGES = 30


def _query_without(request, *names):
    """The current query string minus `names`, for pagination links that keep the filters."""
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


@require_GET
def model_list(request):
    filterset = AIModelFilter(request.GET, queryset=AIModel.objects.for_listing())
    page = Paginator(filterset.qs, MODELS_PER_PAGE).get_page(request.GET.get("page"))
    known = set(filterset.filters) | {"page"}
    ignored = filterset.ignored() + [
        f"Unknown parameter “{key[:40]}”." for key in list(request.GET)[:20] if key not in known
    ]
    return render(
        request,
        "models_catalog/aimodel_list.html",
        {
            "filterset": filterset,
            "page_obj": page,
            "models": page.object_list,
            "ignored": ignored,
            "query": _query_without(request, "page"),
        },
    )


@require_GET
def model_detail(request, slug):
    model = get_object_or_404(
        AIModel.objects.for_listing().select_related("base_model"), slug=slug
    )
    matrix = build_matrix([model])
    changes = cell_changes().filter(model_id=model.pk)[:MODEL_PAGE_CHANGES]
    articles = Article.objects.published().filter(related_models=model)
    return render(
        request,
        "models_catalog/aimodel_detail.html",
        {"model": model, "matrix": matrix, "changes": changes, "articles": articles,
         "compare_choices": AIModel.objects.only("name", "slug").order_by("name")},
    )


@require_GET
def matrix(request):
    selection = select_models(request.GET, default="featured")
    table = build_matrix(selection.models, selection.features)
    return render(
        request,
        "models_catalog/matrix.html",
        {
            "selection": selection,
            "filterset": selection.filterset,
            "matrix": table,
            "query": request.GET.urlencode(),
        },
    )


def _export_selection(request):
    queryset = AIModel.objects.for_listing().select_related("base_model")
    return select_models(request.GET, queryset=queryset, default="all", extra_params={"format"})


@require_GET
def matrix_export_csv(request):
    selection = _export_selection(request)
    models, features = selection.models, selection.features
    if exports.should_stream(models, features):
        response = StreamingHttpResponse(
            exports.stream_matrix_csv(models, features), content_type="text/csv; charset=utf-8"
        )
    else:
        content = matrix_csv(models, features)
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="matrix.csv"'
    if selection.ignored:
        # Re-users read headers, not pages: say what was ignored where a script can see it.
        response["X-Ignored-Parameters"] = str(len(selection.ignored))
    return response


@require_GET
def matrix_api(request):
    selection = _export_selection(request)
    models, features = selection.models, selection.features
    extra = {"ignored": selection.ignored} if selection.ignored else {}
    if exports.should_stream(models, features):
        # The same bytes JsonResponse would send, without building them all in memory.
        dumps = partial(json.dumps, cls=DjangoJSONEncoder, ensure_ascii=False)
        response = StreamingHttpResponse(
            exports.stream_matrix_json(models, features, extra, dumps=dumps),
            content_type="application/json",
        )
    else:
        data = {**matrix_json(models, features), **extra}
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def matrix_changes(request):
    page = Paginator(cell_changes(), CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "models_catalog/matrix_changes.html", {"page_obj": page, "changes": page}
    )


@require_GET
def license_detail(request, slug):
    license = get_object_or_404(License, slug=slug)
    models = license.models.select_related("organization")
    return render(
        request, "models_catalog/license_detail.html", {"license": license, "models": models}
    )


@require_GET
def compare(request):
    """Two models side by side (?a=<slug>&b=<slug>), rows whose answers differ marked in text."""
    picks = [request.GET.get(key, "").strip()[:140] for key in ("a", "b")]
    problems = []
    if not all(picks):
        problems.append("Pick two models to compare.")
    elif not all(SLUG_RE.match(slug) for slug in picks):
        problems.append("A model name in the address is not valid.")
    elif picks[0] == picks[1]:
        problems.append("Pick two different models.")
    models, unknown = ([], []) if problems else models_by_slugs(picks)
    problems += [f"No model called “{slug}” in the catalogue." for slug in unknown]
    table = build_matrix(models) if len(models) == 2 else None
    choices = AIModel.objects.only("name", "slug").order_by("name")
    return render(
        request,
        "models_catalog/aimodel_compare.html",
        {"matrix": table, "models": models, "picks": picks, "problems": problems,
         "choices": choices},
        status=400 if problems and any(picks) else 200,
    )
