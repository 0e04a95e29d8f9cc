"""JSON-LD (schema.org) for the pages search engines and link previews care about.

Each builder takes what its page already has in context, so structured data costs no query.
"""

from django.conf import settings
from django.urls import reverse

DATA_LICENSE = "https://creativecommons.org/licenses/by/4.0/"


def _abs(request, path):
    return request.build_absolute_uri(path)


def _publisher(request):
    return {"@type": "Organization", "name": settings.KB_SITE_NAME, "url": _abs(request, "/")}


def article(request, article):
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": article.title[:110],
        "description": article.summary,
        "url": _abs(request, article.get_absolute_url()),
        "mainEntityOfPage": _abs(request, article.get_absolute_url()),
        "publisher": _publisher(request),
        "author": [{"@type": "Person", "name": a.get_full_name() or a.get_username()}
                   for a in article.authors.all()] or _publisher(request),
    }
    if article.published_at:
        data["datePublished"] = article.published_at.isoformat()
    if getattr(article, "updated_at", None):
        data["dateModified"] = article.updated_at.isoformat()
    return data


def _term(request, term):
    return {"@type": "DefinedTerm", "name": term.term, "description": term.definition,
            "url": _abs(request, term.get_absolute_url())}


def glossary_set(request, terms=()):
    return {
        "@context": "https://schema.org",
        "@type": "DefinedTermSet",
        "name": f"{settings.KB_SITE_NAME} glossary",
        "url": _abs(request, reverse("glossary:term_list")),
        "hasDefinedTerm": [_term(request, t) for t in terms],
    }


def term(request, term):
    return {
        "@context": "https://schema.org",
        **_term(request, term),
        "inDefinedTermSet": _abs(request, reverse("glossary:term_list")),
    }


def matrix(request, models=(), features=()):
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": "Open and closed AI models: comparison matrix",
        "description": "Feature-by-feature answers on what each AI model lets you do (download "
                       "the weights, run offline, fine-tune, use commercially), each with its "
                       "sources and the date it was checked.",
        "url": _abs(request, reverse("models_catalog:matrix")),
        "license": DATA_LICENSE,
        "creator": _publisher(request),
        "isAccessibleForFree": True,
        "variableMeasured": [f.name for f in features],
        "about": [m.name for m in models],
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": "text/csv",
             "contentUrl": _abs(request, reverse("models_catalog:matrix_export_csv"))},
            {"@type": "DataDownload", "encodingFormat": "application/json",
             "contentUrl": _abs(request, reverse("models_catalog:matrix_api"))},
        ],
    }
