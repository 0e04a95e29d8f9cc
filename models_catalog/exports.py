"""The matrix as data: the /api/matrix/ JSON shape and the /matrix/export.csv rows.

Both carry the editors' Markdown (not the rendered HTML), so `import_matrix` can read an export
back and reproduce the matrix exactly.
"""

import csv
import io
import json

from models_catalog.matrix import build_matrix

CSV_HEADER = ["model", "feature", "value", "note", "sources", "verified_on"]


# Spreadsheet formula injection (OWASP "CSV Injection"): a cell starting with =, +, -, @, tab or
# carriage return is run as a formula by Excel, LibreOffice and Sheets. Such a value gets a
# leading apostrophe, which spreadsheets show as plain text. A value that already starts with an
# apostrophe gets one more, so `import_matrix` can strip exactly one and read back what was stored.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    value = str(value)
    return "'" + value if value.startswith(FORMULA_START + ("'",)) else value


def from_spreadsheet_safe(value):
    """Undo spreadsheet_safe; a lone leading apostrophe someone typed (\"'tis\") is kept."""
    if value.startswith("'") and value[1:].startswith(FORMULA_START + ("'",)):
        return value[1:]
    return value


def _date(value):
    return value.isoformat() if value else None


def cell_json(assessment):
    return {
        "value": assessment.value,
        "note": assessment.note,
        "sources": [{"url": s["url"], "title": s.get("title", "")} for s in assessment.sources],
        "verified_on": _date(assessment.verified_on),
    }


def matrix_json(models, features):
    """The PRODUCT.md shape plus the optional richer keys of content-format.md.

    `models` must have organization, license and base_model selected and modalities and
    access_channels prefetched; `features` group and term selected.
    """
    matrix = build_matrix(models, features)
    groups, licenses, organizations = {}, {}, {}
    for feature in matrix.rows:
        group = feature.feature.group
        groups[group.pk] = {"name": group.name, "slug": group.slug, "order": group.order}
    for model in matrix.models:
        organizations[model.organization_id] = {
            "name": model.organization.name,
            "slug": model.organization.slug,
            "url": model.organization.url,
        }
        if model.license_id:
            lic = model.license
            licenses[lic.pk] = {
                "name": lic.name,
                "slug": lic.slug,
                "spdx_id": lic.spdx_id,
                "url": lic.url,
                "osi_approved": lic.osi_approved,
                "allows_commercial_use": lic.allows_commercial_use,
                "allows_modification": lic.allows_modification,
                "allows_redistribution": lic.allows_redistribution,
                "summary": lic.summary,
            }
    cells_by_model = {model.pk: {} for model in matrix.models}
    for cell in matrix.cells:
        if cell.assessed:
            cells_by_model[cell.model.pk][cell.feature.slug] = cell_json(cell.assessment)
    return {
        "licenses": list(licenses.values()),
        "organizations": list(organizations.values()),
        "groups": list(groups.values()),
        "features": [
            {
                "slug": row.feature.slug,
                "name": row.feature.name,
                "group": row.feature.group.name,
                "question": row.feature.question,
                "help_text": row.feature.help_text,
                "order": row.feature.order,
                "term": row.feature.term.slug if row.feature.term_id else None,
            }
            for row in matrix.rows
        ],
        "models": [
            {
                "slug": m.slug,
                "name": m.name,
                "organization": m.organization.name,
                "license": m.license.name if m.license_id else None,
                "openness": m.openness,
                "family": m.family,
                "base_model": m.base_model.slug if m.base_model_id else None,
                "release_date": _date(m.release_date),
                "modalities": [x.name for x in m.modalities.all()],
                "parameter_count": m.parameter_count,
                "access_channels": [x.name for x in m.access_channels.all()],
                "summary": m.summary,
                "description": m.description,
                "homepage_url": m.homepage_url,
                "model_card_url": m.model_card_url,
                "paper_url": m.paper_url,
                "featured": m.featured,
                "cells": cells_by_model[m.pk],
            }
            for m in matrix.models
        ],
    }


def matrix_csv_rows(models, features):
    """One row per assessed cell: model,feature,value,note,sources,verified_on."""
    yield CSV_HEADER
    for cell in build_matrix(models, features).cells:
        if cell.assessed:
            a = cell.assessment
            row = [
                cell.model.slug,
                cell.feature.slug,
                a.value,
                a.note,
                " ".join(s["url"] for s in a.sources),
                _date(a.verified_on) or "",
            ]
            yield [spreadsheet_safe(value) for value in row]


def matrix_csv(models, features):
    out = io.StringIO()
    csv.writer(out).writerows(matrix_csv_rows(models, features))
    return out.getvalue()


# --- Streaming, for exports too big to build in memory --------------------------------------
# Byte for byte the same output as matrix_csv / json.dumps(matrix_json(...)), produced a slice
# at a time: the models (one row each) are held, the cells only a chunk at a time. Queries: the
# callers' fixed few, plus one per chunk (features for the CSV, models for the JSON), so a
# 500 × 60 matrix costs 6 + 10 cell queries instead of 1, and memory stays flat.
STREAM_ABOVE_CELLS = 5_000
CSV_CHUNK_FEATURES = 10
JSON_CHUNK_MODELS = 50


def should_stream(models, features):
    return len(models) * len(features) > STREAM_ABOVE_CELLS


def stream_matrix_csv(models, features):
    """matrix_csv in pieces: the rows are feature-major, so chunk by features."""
    models, features = list(models), list(features)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for start in range(0, len(features), CSV_CHUNK_FEATURES):
        rows = matrix_csv_rows(models, features[start : start + CSV_CHUNK_FEATURES])
        next(rows)  # the header, written once above
        writer.writerows(rows)
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    if out.getvalue():
        yield out.getvalue()


def stream_matrix_json(models, features, extra=None, dumps=json.dumps):
    """json.dumps(matrix_json(...) | extra) in pieces: the models list is chunked, the rest
    (licences, organizations, groups, features) is small and built from the models alone."""
    models, features = list(models), list(features)
    head = matrix_json(models[:0], features)  # no cells: features and groups only
    if models:
        head = {**matrix_json(models, []), "groups": head["groups"],
                "features": head["features"]}  # fmt: skip
    head.pop("models")
    yield dumps(head)[:-1] + ', "models": ['
    for start in range(0, len(models), JSON_CHUNK_MODELS):
        chunk = matrix_json(models[start : start + JSON_CHUNK_MODELS], features)["models"]
        yield (", " if start else "") + ", ".join(dumps(m) for m in chunk)
    tail = "]"
    for key, value in (extra or {}).items():
        tail += f", {dumps(key)}: {dumps(value)}"
    yield tail + "}"
