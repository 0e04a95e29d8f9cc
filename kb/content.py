"""Load the demo content kept as reviewable files in content/ into the database.

Loading is idempotent and polite to editors: a row is created when missing, updated when its
file changed and nobody touched it in the admin since the last load, and otherwise left alone.
`ContentRecord` remembers, per row, a hash of the file data last applied and a hash of the row as
it was written; a row that no longer hashes the same was saved by an editor since.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import slugify

from kb.models import ContentRecord
from kb.sources import clean_sources


class ContentError(Exception):
    """A content file is unreadable or invalid; the message says which file and why."""


@dataclass
class Report:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    kept: list = field(default_factory=list)
    unchanged: int = 0

    def lines(self):
        yield (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{self.unchanged} unchanged, {len(self.kept)} kept as edited in the admin"
        )
        for key in self.kept:
            yield f"  kept editor's version of {key}"


def _hash(data):
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _row_hash(row):
    # Every concrete column, `updated_at` included where a model has one, so an admin save that
    # only touched related rows (aliases, tags) still counts as an edit.
    fields = row._meta.concrete_fields
    return _hash({f.attname: getattr(row, f.attname) for f in fields if not f.primary_key})


class Loader:
    def __init__(self, content_dir):
        self.content_dir = Path(content_dir)
        self.report = Report()
        self._records = {(r.kind, r.key): r for r in ContentRecord.objects.all()}

    # -- the row-level rule, shared by every kind ------------------------------------------
    def decide(self, kind, key, data, row):
        """Return "create", "update" or None (leave the row as it is)."""
        if row is None:
            return "create"
        record = self._records.get((kind, key))
        if record is None or record.row_hash != _row_hash(row):
            # Made in the admin, or saved there since we loaded it: the editor's word stands.
            self.report.kept.append(f"{kind} {key}")
            return None
        if record.data_hash == _hash(data):
            self.report.unchanged += 1
            return None
        return "update"

    def remember(self, kind, key, data, row, action):
        row = type(row)._base_manager.get(pk=row.pk)  # hash what the database holds, not memory
        ContentRecord.objects.update_or_create(
            kind=kind,
            key=key,
            defaults={"data_hash": _hash(data), "row_hash": _row_hash(row)},
        )
        getattr(self.report, "created" if action == "create" else "updated").append(
            f"{kind} {key}"
        )

    # -- files ------------------------------------------------------------------------------
    def read_yaml(self, path):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise ContentError(f"{path.name}: cannot be read: {exc}") from None
        _refuse_nul(data, path.name)
        return data

    def read_article(self, path):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ContentError(f"{path.name}: cannot be read: {exc}") from None
        if not text.startswith("---"):
            raise ContentError(f"{path.name}: missing front matter (a '---' block)")
        try:
            _, front, body = text.split("---", 2)
            meta = yaml.safe_load(front) or {}
        except (ValueError, yaml.YAMLError) as exc:
            raise ContentError(f"{path.name}: front matter is not valid YAML: {exc}") from None
        if not isinstance(meta, dict) or not meta.get("title"):
            raise ContentError(f"{path.name}: front matter needs at least a title")
        _refuse_nul(meta, path.name)
        meta["body"] = body.strip() + "\n"
        meta.setdefault("slug", path.stem)
        return meta

    # -- matrix -----------------------------------------------------------------------------
    def load_matrix(self):
        """Hand the importer only the entries it may write, then remember what was written."""
        from models_catalog.importers import MatrixImportError, import_matrix
        from models_catalog.models import (
            AIModel,
            Assessment,
            Feature,
            FeatureGroup,
            License,
            Organization,
        )

        path = self.content_dir / "matrix.json"
        if not path.exists():
            return
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ContentError(f"matrix.json: cannot be read: {exc}") from None
        if not isinstance(data, dict):
            raise ContentError("matrix.json: expected an object")

        kinds = [  # list key, record kind, model, lookup field
            ("licenses", "license", License, "name"),
            ("organizations", "organization", Organization, "name"),
            ("groups", "group", FeatureGroup, "name"),
            ("features", "feature", Feature, "slug"),
        ]
        applied = []
        filtered = {}
        for list_key, kind, model, field_name in kinds:
            rows = {getattr(r, field_name): r for r in model.objects.all()}
            filtered[list_key] = []
            for item in data.get(list_key) or []:
                key = item.get(field_name) if isinstance(item, dict) else None
                action = self.decide(kind, key, item, rows.get(key)) if key else "create"
                if action:
                    filtered[list_key].append(item)
                    applied.append((kind, key, item, model, {field_name: key}, action))

        models = {m.slug: m for m in AIModel.objects.all()}
        cells = {
            (c.model.slug, c.feature.slug): c
            for c in Assessment.objects.select_related("model", "feature")
        }
        filtered["models"] = []
        for item in data.get("models") or []:
            if not isinstance(item, dict) or not isinstance(item.get("slug"), str):
                filtered["models"].append(item)  # let the importer report it
                continue
            slug = item["slug"]
            facts = {k: v for k, v in item.items() if k != "cells"}
            action = self.decide("model", slug, facts, models.get(slug))
            entry = dict(item) if action else {"slug": slug}
            if action:
                applied.append(("model", slug, facts, AIModel, {"slug": slug}, action))
            entry["cells"] = {}
            raw_cells = item.get("cells") if isinstance(item.get("cells"), dict) else {}
            for feature, cell in raw_cells.items():
                key = f"{slug}/{feature}"
                cell_action = self.decide("cell", key, cell, cells.get((slug, feature)))
                if cell_action:
                    entry["cells"][feature] = cell
                    lookup = {"model__slug": slug, "feature__slug": feature}
                    applied.append(("cell", key, cell, Assessment, lookup, cell_action))
            filtered["models"].append(entry)

        try:
            import_matrix(filtered)
        except MatrixImportError as exc:
            raise ContentError("matrix.json: " + "; ".join(exc.errors[:5])) from None
        for kind, key, item, model, lookup, action in applied:
            self.remember(kind, key, item, model.objects.get(**lookup), action)

    # -- glossary ---------------------------------------------------------------------------
    def load_glossary(self):
        from glossary.models import Alias, Term

        path = self.content_dir / "glossary.yaml"
        if not path.exists():
            return
        items = self.read_yaml(path) or []
        if not isinstance(items, list):
            raise ContentError("glossary.yaml: expected a list of terms")
        existing = {t.slug: t for t in Term.objects.all()}
        touched = {}
        for index, item in enumerate(items):
            if not isinstance(item, dict) or not item.get("term") or not item.get("definition"):
                raise ContentError(f"glossary.yaml: item {index} needs a term and a definition")
            slug = item.get("slug") or slugify(item["term"])
            term = existing.get(slug)
            action = self.decide("term", slug, item, term)
            if action is None:
                continue
            term = term or Term(slug=slug)
            term.term = item["term"]
            term.definition = str(item["definition"]).strip()
            term.body = item.get("body") or ""
            self._full_clean(term, f"glossary.yaml: {slug}", exclude=["related"])
            term.save()
            term.aliases.all().delete()
            for name in item.get("aliases") or []:
                alias = Alias(term=term, name=str(name))
                self._full_clean(alias, f"glossary.yaml: {slug} alias {name!r}")
                alias.save()
            existing[slug] = term
            touched[slug] = (item, term, action)
        for slug, (item, term, action) in touched.items():
            related = [existing[s] for s in item.get("related") or [] if s in existing]
            term.related.set(related)
            self.remember("term", slug, item, term, action)

    # -- articles ---------------------------------------------------------------------------
    def load_articles(self):
        from articles.models import Article, Status, Tag
        from glossary.models import Term
        from models_catalog.models import AIModel

        folder = self.content_dir / "articles"
        if not folder.exists():
            return
        existing = {a.slug: a for a in Article.objects.all()}
        models_by_slug = {m.slug: m for m in AIModel.objects.all()}
        terms_by_slug = {t.slug: t for t in Term.objects.all()}
        for path in sorted(folder.glob("*.md")):
            meta = self.read_article(path)
            slug = meta["slug"]
            article = existing.get(slug)
            action = self.decide("article", slug, meta, article)
            if action is None:
                continue
            article = article or Article(slug=slug)
            article.title = meta["title"]
            article.summary = meta.get("summary") or ""
            article.body = meta["body"]
            article.status = Status.PUBLISHED
            article.published_at = self._datetime(meta.get("published_at"), path.name)
            article.last_reviewed_on = self._date(meta.get("last_reviewed_on"), path.name)
            try:
                article.sources = clean_sources(meta.get("sources") or [])
            except ValidationError as exc:
                raise ContentError(f"{path.name}: sources: {'; '.join(exc.messages)}") from None
            self._full_clean(article, path.name, exclude=["authors", "tags"])
            article.save()
            tags = []
            for name in meta.get("tags") or []:
                tag, _ = Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})
                tags.append(tag)
            article.tags.set(tags)
            article.related_models.set(
                [models_by_slug[s] for s in meta.get("related_models") or [] if s in models_by_slug]
            )
            article.related_terms.set(
                [terms_by_slug[s] for s in meta.get("related_terms") or [] if s in terms_by_slug]
            )
            self.remember("article", slug, meta, article, action)

    # -- helpers ----------------------------------------------------------------------------
    @staticmethod
    def _full_clean(obj, where, exclude=None):
        try:
            obj.full_clean(exclude=exclude, validate_unique=True)
        except ValidationError as exc:
            raise ContentError(f"{where}: {'; '.join(exc.messages)}") from None

    @staticmethod
    def _datetime(value, where):
        if value is None:
            return datetime.datetime.now(tz=datetime.UTC)
        if isinstance(value, datetime.datetime):
            return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)
        parsed = parse_datetime(str(value))
        if parsed is None:
            raise ContentError(f"{where}: published_at {value!r} is not a date and time")
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)

    @staticmethod
    def _date(value, where):
        if value is None or isinstance(value, datetime.date):
            return value
        parsed = parse_date(str(value))
        if parsed is None:
            raise ContentError(f"{where}: last_reviewed_on {value!r} is not a date")
        return parsed


def _refuse_nul(data, where):
    """YAML can spell a NUL character ("\\0"); PostgreSQL cannot store one and it is never text."""
    if isinstance(data, str):
        if "\x00" in data:
            raise ContentError(f"{where}: contains a NUL character (\\0)")
    elif isinstance(data, dict):
        for key, value in data.items():
            _refuse_nul(key, where)
            _refuse_nul(value, f"{where}: {key}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            _refuse_nul(value, f"{where}: item {index}")


def load_content(content_dir):
    """Load every content file in one transaction: all of it lands, or none of it."""
    with transaction.atomic():
        loader = Loader(content_dir)
        # Glossary first (features link to terms), then the matrix, then explainers (they
        # link to both).
        loader.load_glossary()
        loader.load_matrix()
        loader.load_articles()
    return loader.report
