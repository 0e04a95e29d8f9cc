"""A list of cited sources (URL and title), edited as one line per source.

Stored as JSON (`[{"url": ..., "title": ...}]`) so a cell or an article carries its evidence in
its own row: it is read with the row, versioned with the row's history, and needs no join.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models

_url = URLValidator(schemes=["http", "https"])


def parse_sources(text):
    """Parse "URL [title]" lines into source dicts; raise ValidationError naming the bad line."""
    sources = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        url, _, title = line.partition(" ")
        try:
            _url(url)
        except ValidationError:
            raise ValidationError(
                "Line %(line)s is not a source: it must start with an http(s) URL.",
                params={"line": number},
                code="invalid_source",
            ) from None
        sources.append({"url": url, "title": title.strip()})
    return sources


def clean_sources(value):
    """Validate an already structured list (from an import file or the API shape)."""
    if not isinstance(value, list):
        raise ValidationError("Sources must be a list.")
    cleaned = []
    for item in value:
        if isinstance(item, str):
            item = {"url": item, "title": ""}
        if not isinstance(item, dict) or not isinstance(item.get("url"), str):
            raise ValidationError("Each source needs a URL.")
        _url(item["url"])
        cleaned.append({"url": item["url"], "title": str(item.get("title") or "")})
    return cleaned


class SourcesFormField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 3, "cols": 60})

    def __init__(self, **kwargs):
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        kwargs.setdefault(
            "help_text", "One source per line: the URL, a space, then an optional title."
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(
                f"{s['url']} {s.get('title', '')}".rstrip() for s in value if isinstance(s, dict)
            )
        return value

    def to_python(self, value):
        return parse_sources(super().to_python(value))

    def has_changed(self, initial, data):
        try:
            return (initial or []) != parse_sources(data)
        except ValidationError:
            return True


class SourcesField(models.JSONField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SourcesFormField, **kwargs})
