import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords

from kb.locking import VersionedModel
from kb.rendering import render_markdown


def search_key(text):
    """Fold a term for matching: case, hyphens, spaces and punctuation do not count."""
    return re.sub(r"[\W_]+", "", (text or "").casefold())


A_TO_Z = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
OTHER_LETTER = "#"


class TermQuerySet(models.QuerySet):
    def with_aliases(self):
        return self.prefetch_related("aliases")

    def for_detail(self):
        return self.prefetch_related("aliases", "related")

    def a_to_z(self):
        """[(letter, [terms])] for every letter A–Z (empty lists too) plus "#" for the rest."""
        groups = {letter: [] for letter in A_TO_Z}
        groups[OTHER_LETTER] = []
        for term in self.only("term", "slug", "definition").order_by(Lower("term")):
            first = unicodedata.normalize("NFKD", term.term[:1]).upper()[:1]
            groups[first if first in groups else OTHER_LETTER].append(term)
        return list(groups.items())


class Term(VersionedModel):
    term = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    key = models.CharField(max_length=140, editable=False, db_index=True)
    definition = models.CharField(
        max_length=400, help_text="One or two plain sentences; shown in tooltips and results."
    )
    body = models.TextField(blank=True, help_text="Markdown.")
    body_html = models.TextField(blank=True, editable=False)
    related = models.ManyToManyField("self", blank=True, symmetrical=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # `version` is left out so that a reverted copy carries the current number (kb/locking.py).
    history = HistoricalRecords(excluded_fields=["body_html", "version"])
    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = [Lower("term")]
        constraints = [
            models.UniqueConstraint(Lower("term"), name="glossary_term_unique_ci"),
        ]

    def __str__(self):
        return self.term

    def get_absolute_url(self):
        return reverse("glossary:term_detail", args=[self.slug])

    def published_articles(self):
        """The published explainers that use this term (fixed: one query)."""
        from articles.models import Article

        return Article.objects.published().filter(related_terms=self).only(
            "title", "slug", "summary", "published_at"
        )

    def matrix_features(self):
        return self.features.select_related("group").only(
            "name", "slug", "question", "term", "group__name"
        )

    def clean(self):
        taken = (
            Alias.objects.select_related("term")
            .filter(name__iexact=self.term)
            .exclude(term_id=self.pk)
            .first()
        )
        if self.term and taken is not None:
            raise ValidationError(
                {"term": f"“{self.term}” is already an alias of “{taken.term.term}”."}
            )

    def save(self, *args, **kwargs):
        self.key = search_key(self.term)
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)


class Alias(models.Model):
    """An abbreviation or spelling variant that should find its term ("LLM", "finetuning")."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=120)
    key = models.CharField(max_length=140, editable=False, db_index=True)

    class Meta:
        verbose_name_plural = "aliases"
        ordering = [Lower("name")]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="glossary_alias_unique_ci"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        clash = Term.objects.filter(term__iexact=self.name).exclude(pk=self.term_id).first()
        if self.name and clash is not None:
            raise ValidationError(
                {"name": f"“{self.name}” is already a term of its own (“{clash.term}”)."}
            )

    def save(self, *args, **kwargs):
        self.key = search_key(self.name)
        super().save(*args, **kwargs)
