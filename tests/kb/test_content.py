import textwrap

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from glossary.models import Term
from kb.content import load_content

pytestmark = pytest.mark.django_db

GLOSSARY = """
- term: Fine-tuning
  slug: fine-tuning
  aliases: [fine tuning, finetuning]
  definition: Further training of a trained model on your own data.
  body: Adapts a model to a task.
  related: [model-weights]
- term: Model weights
  slug: model-weights
  aliases: [weights]
  definition: The learned numbers that make up a trained model.
  related: [fine-tuning]
"""

ARTICLE = """---
title: Is Claude open source?
slug: is-claude-open-source
summary: No, and here is why.
published_at: 2026-10-20T09:00:00Z
last_reviewed_on: 2026-11-01
tags: [Basics]
related_terms: [model-weights]
sources:
  - url: https://www.anthropic.com/
    title: Anthropic
---
## The short answer

Claude's weights are not published.
"""


@pytest.fixture
def content(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "glossary.yaml").write_text(GLOSSARY)
    (tmp_path / "articles" / "is-claude-open-source.md").write_text(ARTICLE)
    return tmp_path


def test_loading_creates_terms_aliases_and_published_articles(content):
    load_content(content)
    term = Term.objects.get(slug="fine-tuning")
    assert sorted(a.name for a in term.aliases.all()) == ["fine tuning", "finetuning"]
    assert [t.slug for t in term.related.all()] == ["model-weights"]
    article = Article.objects.published().get(slug="is-claude-open-source")
    assert "<h2" in article.body_html
    assert article.sources == [{"url": "https://www.anthropic.com/", "title": "Anthropic"}]
    assert [t.slug for t in article.related_terms.all()] == ["model-weights"]


def test_loading_twice_changes_nothing(content):
    load_content(content)
    before = list(Term.objects.values_list("slug", "updated_at").order_by("slug"))
    history = Article.history.count()
    report = load_content(content)
    assert report.created == [] and report.updated == []
    assert list(Term.objects.values_list("slug", "updated_at").order_by("slug")) == before
    assert Article.history.count() == history


def test_loading_never_overwrites_a_row_an_editor_changed(content):
    load_content(content)
    term = Term.objects.get(slug="fine-tuning")
    term.definition = "An editor's better definition."
    term.save()
    (content / "glossary.yaml").write_text(GLOSSARY.replace("your own data", "new data"))
    report = load_content(content)
    assert Term.objects.get(slug="fine-tuning").definition == "An editor's better definition."
    assert "term fine-tuning" in report.kept


def test_a_changed_file_updates_rows_nobody_edited(content):
    load_content(content)
    (content / "glossary.yaml").write_text(GLOSSARY.replace("your own data", "new data"))
    report = load_content(content)
    assert "new data" in Term.objects.get(slug="fine-tuning").definition
    assert report.updated == ["term fine-tuning"]


def test_invalid_file_writes_nothing_and_says_where(content):
    (content / "articles" / "broken.md").write_text("---\ntitle: [unclosed\n---\nbody")
    with pytest.raises(CommandError, match="broken.md"):
        call_command("load_content", dir=str(content))
    assert not Term.objects.exists()
    assert not Article.objects.exists()


def test_duplicate_alias_is_reported_not_a_traceback(content):
    (content / "glossary.yaml").write_text(GLOSSARY + textwrap.dedent("""
        - term: Weights
          slug: weights
          definition: Clashes with an alias.
    """))
    with pytest.raises(CommandError, match="glossary.yaml"):
        call_command("load_content", dir=str(content))
    assert not Term.objects.exists()


MATRIX = {
    "licenses": [{"name": "Apache License 2.0", "spdx_id": "Apache-2.0", "osi_approved": True}],
    "organizations": [{"name": "EleutherAI"}],
    "groups": [{"name": "Access", "order": 1}],
    "features": [{"slug": "download-weights", "name": "Download model weights",
                  "group": "Access"}],
    "models": [{"slug": "gpt-j", "name": "GPT-J", "organization": "EleutherAI",
                "license": "Apache License 2.0", "openness": "open-source",
                "cells": {"download-weights": {
                    "value": "yes", "note": "On the Hub.",
                    "sources": ["https://huggingface.co/EleutherAI/gpt-j-6b"],
                    "verified_on": "2026-11-01"}}}],
}


def write_matrix(content, data):
    import json

    (content / "matrix.json").write_text(json.dumps(data))


def test_matrix_cells_load_and_an_editor_changed_cell_is_kept(content):
    import copy

    from models_catalog.models import Assessment

    write_matrix(content, MATRIX)
    load_content(content)
    cell = Assessment.objects.get(model__slug="gpt-j", feature__slug="download-weights")
    assert cell.value == "yes"
    cell.note = "Checked again by an editor."
    cell.save()
    changed = copy.deepcopy(MATRIX)
    changed["models"][0]["cells"]["download-weights"]["value"] = "partial"
    changed["models"][0]["name"] = "GPT-J 6B"
    write_matrix(content, changed)
    report = load_content(content)
    cell.refresh_from_db()
    assert (cell.value, cell.note) == ("yes", "Checked again by an editor.")
    assert "cell gpt-j/download-weights" in report.kept
    # The model row itself was not edited, so the file's new name lands.
    assert cell.model.__class__.objects.get(slug="gpt-j").name == "GPT-J 6B"


def test_invalid_matrix_entry_writes_nothing(content):
    import copy

    bad = copy.deepcopy(MATRIX)
    bad["models"][0]["cells"]["download-weights"]["value"] = "maybe"
    write_matrix(content, bad)
    with pytest.raises(CommandError, match="value"):
        call_command("load_content", dir=str(content))
    assert not Term.objects.exists() and not Article.objects.exists()


def test_the_site_opens_with_the_shipped_content(settings):
    """The repository's own content/ files: the counts and facts the site opens with."""
    import re

    from models_catalog.models import AIModel, Assessment, Feature

    load_content(settings.KB_CONTENT_DIR)
    assert AIModel.objects.count() >= 16
    assert Feature.objects.count() >= 14
    assert Article.objects.published().count() >= 6
    assert Term.objects.count() >= 45

    featured = AIModel.objects.featured()
    assert featured.count() >= 4
    cells = Assessment.objects.filter(model__in=featured)
    assert cells.count() == featured.count() * Feature.objects.count()
    for cell in cells:
        assert cell.sources and cell.sources[0]["url"].startswith("https://"), cell
        assert cell.verified_on is not None, cell
        assert cell.note, cell

    def value(model, feature):
        return Assessment.objects.get(model__slug=model, feature__slug=feature).value

    assert value("claude", "download-weights") == "no"
    assert value("llama-3-1", "download-weights") == "yes"
    assert "Llama 3.1" in AIModel.objects.get(slug="llama-3-1").license.name
    assert AIModel.objects.get(slug="gpt-j").license.spdx_id == "Apache-2.0"
    assert "RAIL" in AIModel.objects.get(slug="bloom").license.name

    for article in Article.objects.published():
        words = len(re.findall(r"\w+", article.body))
        assert 600 <= words <= 1600, (article.slug, words)
        assert article.sources, article.slug
        assert article.related_models.exists(), article.slug
        assert article.related_terms.exists(), article.slug

    report = load_content(settings.KB_CONTENT_DIR)
    assert (report.created, report.updated, report.kept) == ([], [], [])
