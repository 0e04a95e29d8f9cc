"""Tags for the <head>: canonical URLs, one block's output reused, and JSON-LD."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from kb import structured_data

register = template.Library()

# The query parameters that define a page (and so belong in its canonical URL); every other
# parameter (tracking tags, filters that merely narrow a list) is dropped.
CANONICAL_PARAMS = {
    "models_catalog:compare": ("a", "b"),
    "models_catalog:matrix": ("models",),
    "models_catalog:model_list": ("page",),
    "models_catalog:matrix_changes": ("page",),
    "articles:article_list": ("tag", "page"),
}
# The same escapes as django.utils.html.json_script: "</script>" can never close the tag.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def canonical_url(context):
    request = context.get("request")
    if request is None:
        return ""
    match = request.resolver_match
    name = f"{match.namespace}:{match.url_name}" if match and match.namespace else (
        match.url_name if match else "")
    keep = CANONICAL_PARAMS.get(name, ())
    params = request.GET.copy()
    for key in list(params):
        if key not in keep:
            del params[key]
    query = params.urlencode()
    return request.build_absolute_uri(request.path + (f"?{query}" if query else ""))


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        # The content was rendered (and auto-escaped) by the template engine: safe as it is.
        context[self.name] = mark_safe(self.nodelist.render(context).strip())  # noqa: S308
        return ""


@register.tag
def capture(parser, token):
    """{% capture name %}…{% endcapture %}: render once, use as {{ name }} many times (the page
    title in <title>, og:title and twitter:title). Blocks inside stay overridable."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("usage: {% capture name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[1])


@register.simple_tag
def json_ld(data):
    """<script type="application/ld+json"> with `data`, escaped like json_script."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    return json_ld(structured_data.article(context["request"], article))


@register.simple_tag(takes_context=True)
def term_json_ld(context, term):
    return json_ld(structured_data.term(context["request"], term))


@register.simple_tag(takes_context=True)
def glossary_json_ld(context, letters=()):
    terms = [t for _, group in letters or () for t in group]
    return json_ld(structured_data.glossary_set(context["request"], terms))


@register.simple_tag(takes_context=True)
def matrix_json_ld(context, matrix=None):
    models = matrix.models if matrix else ()
    features = [row.feature for row in matrix.rows] if matrix else ()
    return json_ld(structured_data.matrix(context["request"], models, features))
