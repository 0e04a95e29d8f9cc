import math
import re

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

from kb.locking import VersionedModel
from kb.rendering import render
from kb.sources import SourcesField

WORDS_PER_MINUTE = 230


class Tag(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """What anonymous readers may see: published, and not scheduled for later."""
        now = now or timezone.now()
        return self.filter(status=Status.PUBLISHED, published_at__lte=now)


class Article(VersionedModel):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.CharField(max_length=400, blank=True)
    body = MarkdownxField(blank=True)
    body_html = models.TextField(blank=True, editable=False)
    toc_html = models.TextField(blank=True, editable=False)
    reading_minutes = models.PositiveIntegerField(default=1, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="A future time schedules the article."
    )
    authors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="articles")
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    related_models = models.ManyToManyField(
        "models_catalog.AIModel", blank=True, related_name="articles"
    )
    related_terms = models.ManyToManyField("glossary.Term", blank=True, related_name="articles")
    sources = SourcesField()
    last_reviewed_on = models.DateField(null=True, blank=True)
    link_terms = models.BooleanField(
        "link glossary terms", default=True, help_text="Link the first mention of each term."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # `version` is left out so that a reverted copy carries the current number (kb/locking.py).
    history = HistoricalRecords(
        excluded_fields=["body_html", "toc_html", "reading_minutes", "version"]
    )
    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        permissions = [("publish_article", "Can publish and unpublish articles")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="article_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=Status.PUBLISHED) | models.Q(published_at__isnull=False),
                name="article_published_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:article_detail", args=[self.slug])

    def is_public(self, now=None):
        now = now or timezone.now()
        return self.status == Status.PUBLISHED and self.published_at and self.published_at <= now

    def save(self, *args, **kwargs):
        # NUL never means anything in Markdown, and PostgreSQL text columns refuse it.
        self.body = (self.body or "").replace("\x00", "")
        rendered = render(self.body)
        self.body_html = rendered.html
        self.toc_html = rendered.toc
        words = len(re.findall(r"\w+", self.body or ""))
        self.reading_minutes = max(1, math.ceil(words / WORDS_PER_MINUTE))
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        previous = (
            Article.objects.filter(pk=self.pk).values("slug", "status").first() if self.pk else None
        )
        with transaction.atomic():
            super().save(*args, **kwargs)
            self._record_slug_change(previous)

    def _record_slug_change(self, previous):
        """Keep a once-published article's old URL working after its slug changes."""
        # A live slug never redirects away from itself (a rename back, or a reused old slug).
        SlugRedirect.objects.filter(old_slug=self.slug).delete()
        if previous and previous["slug"] != self.slug and previous["status"] == Status.PUBLISHED:
            SlugRedirect.objects.update_or_create(
                old_slug=previous["slug"], defaults={"article": self}
            )


class SlugRedirect(models.Model):
    """An article's former slug, so links to it keep working after a rename."""

    old_slug = models.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_slugs")

    def __str__(self):
        return f"{self.old_slug} → {self.article.slug}"
