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
