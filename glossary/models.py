import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from kb.rendering import render_markdown


def search_key(text):
    """Fold a term for matching: case, hyphens, spaces and punctuation do not count."""
    return re.sub(r"[\W_]+", "", (text or "").casefold())


class TermQuerySet(models.QuerySet):
    def with_aliases(self):
        return self.prefetch_related("aliases")


class Term(models.Model):
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

    def clean(self):
        taken = Alias.objects.filter(name__iexact=self.term).exclude(term_id=self.pk)
        if self.term and taken.exists():
            raise ValidationError({"term": f"“{self.term}” is already an alias of another term."})

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
        clash = Term.objects.filter(term__iexact=self.name).exclude(pk=self.term_id)
        if self.name and clash.exists():
            raise ValidationError({"name": f"“{self.name}” is already a term of its own."})

    def save(self, *args, **kwargs):
        self.key = search_key(self.name)
        super().save(*args, **kwargs)
