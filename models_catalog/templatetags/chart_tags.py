from django import template

from models_catalog.charts import openness_chart as build_chart

register = template.Library()


@register.inclusion_tag("models_catalog/_partials/openness_chart.html")
def openness_chart(heading_level=2, heading_id="openness-chart-heading"):
    """The openness chart of the whole catalogue (one query), with its data-table fallback."""
    return {"chart": build_chart(), "heading_level": heading_level, "heading_id": heading_id}
