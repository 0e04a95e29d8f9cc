"""Posting an admin change form back the way a browser would."""

from django.forms import CheckboxInput


def _encode(data, bound):
    value = bound.field.prepare_value(bound.value())
    if isinstance(bound.field.widget, CheckboxInput):
        if value:
            data[bound.html_name] = "on"
    elif isinstance(value, list | tuple):
        data[bound.html_name] = [str(v) for v in value]
    else:
        data[bound.html_name] = "" if value is None else str(value)


def form_data(response):
    """The POST data a browser sends back for the change form as it was rendered."""
    data = {}
    for bound in response.context["adminform"].form:
        _encode(data, bound)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        for bound in formset.management_form:
            _encode(data, bound)
        for form in formset.forms:
            for bound in form:
                _encode(data, bound)
    return data
