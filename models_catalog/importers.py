"""Read the matrix back in: the /api/matrix/ JSON shape (content-format.md) or the CSV export.

`import_matrix(data)` takes already parsed data, so `manage.py import_matrix` and the demo-content
loader share it. It validates EVERYTHING first and writes nothing if any entry is invalid; every
problem is reported with where it is (`models[3].cells.run-offline.value: ...`). Writing happens
in one transaction and only touches rows whose values differ, so a second run of the same file
changes nothing and adds no history.
"""

import csv
import datetime
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from glossary.models import Term
from kb.sources import clean_sources
from models_catalog.exports import from_spreadsheet_safe
from models_catalog.filters import reserved_parameters
from models_catalog.matrix import SLUG_RE
from models_catalog.models import (
    AccessChannel,
    AIModel,
    Assessment,
    Feature,
    FeatureGroup,
    License,
    Modality,
    Openness,
    Organization,
    Value,
)

MAX_ERRORS = 50
_url = URLValidator(schemes=["http", "https"])


class MatrixImportError(Exception):
    """The file cannot be imported; `errors` lists every problem found, with its location."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


@dataclass
class ImportReport:
    created: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)

    def count(self, bucket, kind):
        bucket[kind] = bucket.get(kind, 0) + 1

    @property
    def changed(self):
        return bool(self.created or self.updated)

    def __str__(self):
        if not self.changed:
            return "Nothing to change: the database already matches the file."
        parts = [f"created {n} {kind}" for kind, n in sorted(self.created.items())]
        parts += [f"updated {n} {kind}" for kind, n in sorted(self.updated.items())]
        return "Imported: " + ", ".join(parts) + "."


# --- Reading files ---------------------------------------------------------------------------


def load_file(path):
    """Parse a .json or .csv file into the JSON shape; MatrixImportError if it cannot be read."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise MatrixImportError([f"{path}: no such file"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MatrixImportError([f"{path}: cannot be read as UTF-8 text ({exc})"]) from None
    if path.suffix.lower() == ".csv" or not text.lstrip().startswith(("{", "[")):
        return parse_csv(text)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise MatrixImportError(
            [f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"]
        ) from None


def parse_csv(text):
    """Turn the CSV export (model,feature,value,note,sources,verified_on) into the JSON shape.

    The CSV carries cells only, so its models and features must already exist. Titles of sources
    are not in the CSV; an unchanged list of URLs keeps the titles already stored.
    """
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames:
        reader.fieldnames = [from_spreadsheet_safe(name) for name in reader.fieldnames]
    required = {"model", "feature", "value"}
    header = set(reader.fieldnames or [])
    if not required <= header:
        missing = ", ".join(sorted(required - header))
        raise MatrixImportError([f"CSV header: missing column(s) {missing}"])
    models, errors = {}, []
    try:
        for line, raw in enumerate(reader, start=2):
            where = f"line {line}"
            # The export guards cells against spreadsheet formulas; read back what was stored.
            row = {
                key: from_spreadsheet_safe(value) if isinstance(value, str) else value
                for key, value in raw.items()
            }
            model, feature = (row.get("model") or "").strip(), (row.get("feature") or "").strip()
            if not model or not feature:
                errors.append(f"{where}: model and feature are required")
                continue
            entry = models.setdefault(model, {"slug": model, "cells": {}, "_where": where})
            if feature in entry["cells"]:
                errors.append(f"{where}: a second row for {model} × {feature}")
                continue
            cell = {"value": (row.get("value") or "").strip(), "_where": where}
            if "note" in row:
                cell["note"] = row["note"] or ""
            if "sources" in row:
                cell["sources"] = (row["sources"] or "").split()
            if "verified_on" in row:
                cell["verified_on"] = (row["verified_on"] or "").strip() or None
            entry["cells"][feature] = cell
    except csv.Error as exc:
        errors.append(f"CSV: {exc}")
    if errors:
        raise MatrixImportError(errors)
    return {"models": list(models.values()), "_cells_only": True}


# --- Validation ------------------------------------------------------------------------------


class _Checker:
    """Collects errors with their paths while reading untrusted values."""

    def __init__(self):
        self.errors = []

    def fail(self, path, message):
        self.errors.append(f"{path}: {message}")

    def obj(self, path, value):
        if not isinstance(value, dict):
            self.fail(path, f"must be an object, not {type(value).__name__}")
            return None
        return value

    def items(self, path, value):
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(path, f"must be a list, not {type(value).__name__}")
            return []
        return value

    def text(self, path, data, key, *, model=None, field_name=None, required=False, default=""):
        if key not in data or data[key] is None:
            if required:
                self.fail(f"{path}.{key}", "is required")
            return default if key not in data else ""
        value = data[key]
        if not isinstance(value, str):
            self.fail(f"{path}.{key}", f"must be text, not {type(value).__name__}")
            return default
        value = value.strip() if field_name in ("name", "slug") else value
        if required and not value:
            self.fail(f"{path}.{key}", "must not be empty")
        if model is not None:
            limit = model._meta.get_field(field_name or key).max_length
            if limit and len(value) > limit:
                self.fail(f"{path}.{key}", f"is {len(value)} characters long; at most {limit}")
        return value

    def slug(self, path, data, key="slug", required=True):
        value = self.text(path, data, key, required=required)
        if value and (not SLUG_RE.match(value) or len(value) > 140):
            self.fail(f"{path}.{key}", f"{value[:60]!r} is not a slug (lowercase a-z, 0-9, -)")
            return None
        return value or None

    def url(self, path, data, key):
        value = self.text(path, data, key)
        if value:
            try:
                _url(value)
            except ValidationError:
                self.fail(f"{path}.{key}", f"{value[:80]!r} is not an http(s) URL")
                return ""
        return value

    def boolean(self, path, data, key):
        value = data.get(key)
        if not isinstance(value, bool):
            self.fail(f"{path}.{key}", f"must be true or false, not {value!r:.40}")
            return False
        return value

    def integer(self, path, data, key, minimum=0):
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.fail(f"{path}.{key}", f"must be a whole number ≥ {minimum}, not {value!r:.40}")
            return None
        if value > 2**62:
            self.fail(f"{path}.{key}", "is too large")
            return None
        return value

    def date(self, path, data, key):
        value = data.get(key)
        if value in (None, ""):
            return None
        try:
            if not isinstance(value, str):
                raise ValueError
            return datetime.date.fromisoformat(value)
        except ValueError:
            self.fail(f"{path}.{key}", f"{value!r:.40} is not a date (YYYY-MM-DD)")
            return None

    def choice(self, path, data, key, choices):
        value = data.get(key)
        if value not in choices:
            self.fail(f"{path}.{key}", f"{value!r:.40} is not one of {', '.join(choices)}")
            return None
        return value

    def names(self, path, data, key, limit):
        values = self.items(f"{path}.{key}", data.get(key))
        out = []
        for i, value in enumerate(values):
            if not isinstance(value, str) or not value.strip() or len(value) > limit:
                self.fail(f"{path}.{key}[{i}]", "must be a non-empty name")
            elif not slugify(value):
                self.fail(f"{path}.{key}[{i}]", f"{value!r} has no letters or digits")
            else:
                out.append(value.strip())
        return out


_OPTIONAL = object()


def _opt(data, key, value):
    """Only keys present in the file are applied: absent ones keep what the database has."""
    return value if key in data else _OPTIONAL


def _nul_paths(value, path="top level"):
    """Where the data holds a NUL character (PostgreSQL cannot store one; it never means text)."""
    if isinstance(value, str):
        if "\x00" in value:
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path != "top level" else str(key)
            if isinstance(key, str) and "\x00" in key:
                yield where
            yield from _nul_paths(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_paths(item, f"{path}[{index}]")


def _validate(data):
    check = _Checker()
    if not isinstance(data, dict):
        raise MatrixImportError([f"top level: must be an object, not {type(data).__name__}"])
    nul = list(_nul_paths(data))
    if nul:
        raise MatrixImportError(
            [f"{where}: contains a NUL character (\\u0000)" for where in nul[:MAX_ERRORS]]
        )
    cells_only = bool(data.get("_cells_only"))
    plan = {"licenses": [], "organizations": [], "groups": [], "features": [], "models": []}

    existing_licenses = {x.name: x for x in License.objects.all()}
    existing_orgs = {x.name: x for x in Organization.objects.all()}
    existing_groups = {x.name: x for x in FeatureGroup.objects.all()}
    existing_features = {x.slug: x for x in Feature.objects.all()}
    existing_models = {x.slug: x for x in AIModel.objects.all()}
    term_ids = dict(Term.objects.values_list("slug", "id"))

    def unique_slug_check(path, kind, slug, name, by_name, model):
        """A new row must not take a slug another row of the same kind already uses."""
        if name not in by_name and model.objects.filter(slug=slug).exists():
            check.fail(path, f"a {kind} with slug {slug!r} already exists under another name")

    for i, item in enumerate(check.items("licenses", data.get("licenses"))):
        path = f"licenses[{i}]"
        if check.obj(path, item) is None:
            continue
        name = check.text(path, item, "name", model=License, required=True)
        slug = check.slug(path, item, required=False) or slugify(name)[:160]
        entry = {
            "name": name,
            "slug": slug,
            "spdx_id": _opt(item, "spdx_id", check.text(path, item, "spdx_id", model=License)),
            "url": _opt(item, "url", check.url(path, item, "url")),
            "summary": _opt(item, "summary", check.text(path, item, "summary")),
        }
        for flag in ("osi_approved", "allows_commercial_use", "allows_modification",
                     "allows_redistribution"):  # fmt: skip
            if flag in item:
                entry[flag] = check.boolean(path, item, flag)
        if name:
            unique_slug_check(path, "licence", slug, name, existing_licenses, License)
        plan["licenses"].append(entry)

    for i, item in enumerate(check.items("organizations", data.get("organizations"))):
        path = f"organizations[{i}]"
        if check.obj(path, item) is None:
            continue
        name = check.text(path, item, "name", model=Organization, required=True)
        slug = check.slug(path, item, required=False) or slugify(name)[:140]
        if name:
            unique_slug_check(path, "organization", slug, name, existing_orgs, Organization)
        plan["organizations"].append(
            {"name": name, "slug": slug, "url": _opt(item, "url", check.url(path, item, "url"))}
        )

    for i, item in enumerate(check.items("groups", data.get("groups"))):
        path = f"groups[{i}]"
        if check.obj(path, item) is None:
            continue
        name = check.text(path, item, "name", model=FeatureGroup, required=True)
        slug = check.slug(path, item, required=False) or slugify(name)[:140]
        if name:
            unique_slug_check(path, "group", slug, name, existing_groups, FeatureGroup)
        plan["groups"].append({"name": name, "slug": slug,
                               "order": _opt(item, "order", check.integer(path, item, "order"))})

    group_names = set(existing_groups) | {g["name"] for g in plan["groups"]}
    feature_slugs = set(existing_features)
    feature_names = {f.name: f.slug for f in existing_features.values()}
    for i, item in enumerate(check.items("features", data.get("features"))):
        path = f"features[{i}]"
        if check.obj(path, item) is None:
            continue
        slug = check.slug(path, item)
        is_new = slug not in existing_features
        name = check.text(path, item, "name", model=Feature, required=is_new)
        group = check.text(path, item, "group", model=FeatureGroup, field_name="name",
                           required=is_new)  # fmt: skip
        if name and feature_names.get(name, slug) != slug:
            check.fail(f"{path}.name", f"{name!r} is already the name of feature "
                                       f"{feature_names[name]!r}")  # fmt: skip
        if slug in reserved_parameters():
            check.fail(f"{path}.slug", f"{slug!r} is reserved for a matrix filter parameter")
        if slug in {f["slug"] for f in plan["features"]}:
            check.fail(f"{path}.slug", f"feature {slug!r} appears twice")
        term = check.text(path, item, "term")
        plan["features"].append({
            "slug": slug, "name": _opt(item, "name", name),
            "group": _opt(item, "group", group),
            "question": _opt(item, "question", check.text(path, item, "question", model=Feature)),
            "help_text": _opt(item, "help_text", check.text(path, item, "help_text")),
            "order": _opt(item, "order", check.integer(path, item, "order")),
            # An unknown glossary slug is ignored (the glossary may land after the matrix).
            "term_id": _opt(item, "term", term_ids.get(term, _OPTIONAL) if term else None),
        })  # fmt: skip
        if group:
            group_names.add(group)
        if slug:
            feature_slugs.add(slug)
            if name:
                feature_names[name] = slug

    listed = data.get("models") if isinstance(data.get("models"), list) else []
    model_slugs = set(existing_models) | {
        m["slug"] for m in listed if isinstance(m, dict) and isinstance(m.get("slug"), str)
    }
    model_names = {m.name: m.slug for m in existing_models.values()}
    seen_models = set()
    for i, item in enumerate(check.items("models", data.get("models"))):
        path = f"models[{i}]"
        if check.obj(path, item) is None:
            continue
        path = item.get("_where", path)
        slug = check.slug(path, item)
        is_new = slug not in existing_models
        if slug in seen_models:
            check.fail(f"{path}.slug", f"model {slug!r} appears twice")
        seen_models.add(slug)
        if cells_only and is_new and slug:
            check.fail(f"{path}.model", f"no model with slug {slug!r} (a CSV can only update "
                                        "cells of existing models)")  # fmt: skip
            continue
        name = check.text(path, item, "name", model=AIModel, required=is_new)
        if name and model_names.get(name, slug) != slug:
            check.fail(f"{path}.name", f"{name!r} is already the name of model "
                                       f"{model_names[name]!r}")  # fmt: skip
        elif name:
            model_names[name] = slug
        organization = check.text(path, item, "organization", model=Organization,
                                  field_name="name", required=is_new)  # fmt: skip
        license = check.text(path, item, "license", model=License, field_name="name")
        openness = (check.choice(path, item, "openness", Openness.values)
                    if is_new or "openness" in item else None)  # fmt: skip
        base = check.text(path, item, "base_model")
        if base and base not in model_slugs:
            check.fail(f"{path}.base_model", f"no model with slug {base!r}")
        if base and base == slug:
            check.fail(f"{path}.base_model", "a model cannot be its own base model")
        entry = {
            "slug": slug,
            "name": _opt(item, "name", name),
            "organization": _opt(item, "organization", organization),
            "license": _opt(item, "license", license or None),
            "openness": _opt(item, "openness", openness),
            "family": _opt(item, "family", check.text(path, item, "family", model=AIModel)),
            "base_model": _opt(item, "base_model", base or None),
            "release_date": _opt(item, "release_date", check.date(path, item, "release_date")),
            "parameter_count": _opt(item, "parameter_count",
                                    check.integer(path, item, "parameter_count")),
            "modalities": _opt(item, "modalities", check.names(path, item, "modalities", 60)),
            "access_channels": _opt(item, "access_channels",
                                    check.names(path, item, "access_channels", 80)),
            "summary": _opt(item, "summary", check.text(path, item, "summary", model=AIModel)),
            "description": _opt(item, "description", check.text(path, item, "description")),
            "homepage_url": _opt(item, "homepage_url", check.url(path, item, "homepage_url")),
            "model_card_url": _opt(item, "model_card_url",
                                   check.url(path, item, "model_card_url")),
            "paper_url": _opt(item, "paper_url", check.url(path, item, "paper_url")),
            "featured": _opt(item, "featured",
                             check.boolean(path, item, "featured") if "featured" in item else 0),
            "cells": [],
        }  # fmt: skip
        cells = item.get("cells") or {}
        if not isinstance(cells, dict):
            check.fail(f"{path}.cells", "must be an object keyed by feature slug")
            cells = {}
        for feature, cell in cells.items():
            cpath = f"{path}.cells.{feature}"
            if isinstance(cell, dict) and cell.get("_where"):
                cpath = cell["_where"]
            if feature not in feature_slugs:
                check.fail(cpath, f"no feature with slug {feature!r}")
                continue
            if check.obj(cpath, cell) is None:
                continue
            sources = _OPTIONAL
            if "sources" in cell:
                try:
                    sources = clean_sources(cell["sources"] if cell["sources"] is not None else [])
                except ValidationError as exc:
                    check.fail(f"{cpath}.sources", " ".join(exc.messages))
            entry["cells"].append({
                "feature": feature,
                "value": check.choice(cpath, cell, "value", Value.values),
                "note": _opt(cell, "note", check.text(cpath, cell, "note")),
                "sources": sources,
                "verified_on": _opt(cell, "verified_on", check.date(cpath, cell, "verified_on")),
            })  # fmt: skip
        plan["models"].append(entry)
        if len(check.errors) > MAX_ERRORS:
            break

    if check.errors:
        errors = check.errors[:MAX_ERRORS]
        if len(check.errors) > MAX_ERRORS:
            errors.append(f"… and more; fix these first ({len(check.errors)} found so far)")
        raise MatrixImportError(errors)
    return plan


# --- Writing ---------------------------------------------------------------------------------


def _apply(instance, values, report, kind, created):
    """Set the given fields; save only when something differs (no needless history rows)."""
    changed = False
    for name, value in values.items():
        if value is _OPTIONAL:
            continue
        # getattr with a default: an unsaved row's empty foreign key raises AttributeError.
        if getattr(instance, name, None) != value:
            setattr(instance, name, value)
            changed = True
    if created or changed:
        instance.save()
        report.count(report.created if created else report.updated, kind)
    return instance


def _get_or_new(model, lookup):
    instance = model.objects.filter(**lookup).first()
    return (instance, False) if instance else (model(**lookup), True)


def _by_name(model, name, cache, report, kind, **extra):
    if name not in cache:
        instance, created = _get_or_new(model, {"name": name})
        if created:
            instance.slug = _free_slug(model, slugify(name))
            for key, value in extra.items():
                setattr(instance, key, value)
            _apply(instance, {}, report, kind, created=True)
        cache[name] = instance
    return cache[name]


def _free_slug(model, base):
    slug, n = base or "item", 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _same_sources(existing, incoming):
    # An import without titles (CSV, or plain URL strings) keeps the stored titles when the URLs
    # are the same, so exporting to CSV and importing it back changes nothing.
    if [s["url"] for s in existing] == [s["url"] for s in incoming] and not any(
        s["title"] for s in incoming
    ):
        return existing
    return incoming


def _write(plan, report):
    licenses, orgs, groups = {}, {}, {}
    for item in plan["licenses"]:
        instance, created = _get_or_new(License, {"name": item["name"]})
        if created:
            instance.slug = item["slug"]
        values = {k: v for k, v in item.items() if k not in ("name", "slug")}
        licenses[item["name"]] = _apply(instance, values, report, "licences", created)
    for item in plan["organizations"]:
        instance, created = _get_or_new(Organization, {"name": item["name"]})
        if created:
            instance.slug = item["slug"]
        orgs[item["name"]] = _apply(instance, {"url": item["url"]}, report, "organizations",
                                    created)  # fmt: skip
    for item in plan["groups"]:
        instance, created = _get_or_new(FeatureGroup, {"name": item["name"]})
        if created:
            instance.slug = item["slug"]
        groups[item["name"]] = _apply(instance, {"order": item["order"]}, report, "groups",
                                      created)  # fmt: skip

    features = {f.slug: f for f in Feature.objects.all()}
    for item in plan["features"]:
        instance, created = features.get(item["slug"]), False
        if instance is None:
            instance, created = Feature(slug=item["slug"]), True
        values = {k: item[k] for k in ("name", "question", "help_text", "order", "term_id")}
        if item["group"] is not _OPTIONAL:
            values["group"] = _by_name(FeatureGroup, item["group"], groups, report, "groups")
        if values["order"] is None:
            values["order"] = 0
        features[item["slug"]] = _apply(instance, values, report, "features", created)

    modalities, channels = {}, {}
    models = {m.slug: m for m in AIModel.objects.all()}
    for item in plan["models"]:
        instance, created = models.get(item["slug"]), False
        if instance is None:
            instance, created = AIModel(slug=item["slug"]), True
        values = {k: item[k] for k in ("name", "openness", "family", "release_date",
                                       "parameter_count", "summary", "description",
                                       "homepage_url", "model_card_url", "paper_url")}  # fmt: skip
        if item["featured"] is not _OPTIONAL:
            values["featured"] = bool(item["featured"])
        if item["organization"] is not _OPTIONAL:
            values["organization"] = _by_name(
                Organization, item["organization"], orgs, report, "organizations"
            )
        if item["license"] is not _OPTIONAL:
            values["license"] = (
                _by_name(License, item["license"], licenses, report, "licences")
                if item["license"] else None
            )  # fmt: skip
        models[item["slug"]] = _apply(instance, values, report, "models", created)

    for item in plan["models"]:
        model = models[item["slug"]]
        if item["base_model"] is not _OPTIONAL:
            base = models[item["base_model"]] if item["base_model"] else None
            _apply(model, {"base_model": base}, report, "models", False)
        for key, kind, cache, related in (
            ("modalities", Modality, modalities, model.modalities),
            ("access_channels", AccessChannel, channels, model.access_channels),
        ):
            if item[key] is _OPTIONAL:
                continue
            wanted = {_by_name(kind, name, cache, report, key).pk for name in item[key]}
            if set(related.values_list("pk", flat=True)) != wanted:
                related.set(wanted)
                report.count(report.updated, key + " of models")

    cells = {(a.model_id, a.feature_id): a for a in Assessment.objects.filter(
        model__in=[models[m["slug"]].pk for m in plan["models"]])}  # fmt: skip
    for item in plan["models"]:
        model = models[item["slug"]]
        for cell in item["cells"]:
            feature = features[cell["feature"]]
            instance = cells.get((model.pk, feature.pk))
            created = instance is None
            if created:
                instance = Assessment(model=model, feature=feature)
            values = {k: cell[k] for k in ("value", "note", "verified_on")}
            if cell["sources"] is not _OPTIONAL:
                values["sources"] = _same_sources(instance.sources or [], cell["sources"])
            _apply(instance, values, report, "cells", created)


def import_matrix(data, *, dry_run=False):
    """Validate `data` (the parsed JSON shape) and write it; return an ImportReport.

    Raises MatrixImportError listing every problem, with nothing written. `dry_run` validates
    and computes the report inside a transaction that is rolled back.
    """
    plan = _validate(data)
    report = ImportReport()
    try:
        with transaction.atomic():
            _write(plan, report)
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError as exc:
        message = f"database refused the import; nothing was changed: {exc}"
        raise MatrixImportError([message]) from None
    return report


def import_file(path, *, dry_run=False):
    return import_matrix(load_file(path), dry_run=dry_run)
