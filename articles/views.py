import re

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST, require_safe

from articles.editor_access import staff_only
from articles.models import Article, SlugRedirect, Tag
from articles.slices import fill_slices, render_slices
from kb.rendering import render_markdown

ARTICLES_PER_PAGE = 10
SLUG = re.compile(r"[-\w]+")
# The preview is for one article being edited; anything larger is not an honest request.
MAX_PREVIEW_CHARS = 200_000


def _is_editor(user):
    return user.is_active and user.is_staff


@require_safe
def article_list(request):
    articles = Article.objects.published().prefetch_related("tags", "authors")
    tag_slug = request.GET.get("tag", "")[:80]
    tag = unknown_tag = None
    if tag_slug:
        # Only a well-formed slug reaches the database (a NUL would make PostgreSQL raise).
        tag = Tag.objects.filter(slug=tag_slug).first() if SLUG.fullmatch(tag_slug) else None
        if tag is None:
            unknown_tag = tag_slug
        else:
            articles = articles.filter(tags=tag)
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    tags = Tag.objects.filter(articles__in=Article.objects.published()).distinct()
    return render(
        request,
        "articles/article_list.html",
        {"page": page, "articles": page.object_list, "tag": tag, "unknown_tag": unknown_tag,
         "tags": tags},
    )  # fmt: skip


@require_safe
def article_detail(request, slug):
    staff = _is_editor(request.user)
    visible = Article.objects.all() if staff else Article.objects.published()
    article = (
        visible.prefetch_related("authors", "tags", "related_terms", "related_models")
        .filter(slug=slug)
        .first()
    )
    if article is None:
        # A renamed article: send readers (and search engines) to its current address.
        moved = get_object_or_404(
            SlugRedirect.objects.select_related("article").filter(article__in=visible),
            old_slug=slug,
        )
        return redirect(moved.article, permanent=True)

    published = Article.objects.published()
    previous_article = next_article = None
    if article.is_public():
        previous_article = (
            published.filter(published_at__lt=article.published_at)
            .order_by("-published_at", "-pk").only("title", "slug").first()
        )  # fmt: skip
        next_article = (
            published.filter(published_at__gt=article.published_at)
            .order_by("published_at", "pk").only("title", "slug").first()
        )  # fmt: skip
    response = render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "slices": render_slices(article.body_html, show_warnings=staff),
            "previous_article": previous_article,
            "next_article": next_article,
        },
    )
    if staff:
        # Staff pages may show drafts and editor-only notes: never keep them in any cache.
        add_never_cache_headers(response)
    return response


@staff_only
@require_POST
def markdownify(request):
    """The admin editor's live preview, through the same sanitizing renderer as the site."""
    content = request.POST.get("content", "")
    if len(content) > MAX_PREVIEW_CHARS:
        return HttpResponse("This text is too long to preview.", status=413)
    html = render_markdown(content)
    slices = render_slices(html, show_warnings=True)
    response = HttpResponse(fill_slices(html, slices), content_type="text/html; charset=utf-8")
    add_never_cache_headers(response)
    return response

