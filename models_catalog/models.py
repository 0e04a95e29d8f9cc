import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from kb.locking import VersionedModel
from kb.rendering import render_markdown
from kb.sources import SourcesField


class Organization(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=140, unique=True)
    url = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class License(models.Model):
    name = models.CharField(max_length=160, unique=True)
    slug = models.SlugField(max_length=160, unique=True)
    spdx_id = models.CharField("SPDX id", max_length=80, blank=True)
    url = models.URLField("licence text URL", blank=True)
    osi_approved = models.BooleanField("OSI-approved", default=False)
    allows_commercial_use = models.BooleanField(default=False)
    allows_modification = models.BooleanField(default=False)
    allows_redistribution = models.BooleanField(default=False)
    summary = models.TextField(blank=True, help_text="Plain-language summary (Markdown).")
    summary_html = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("models_catalog:license_detail", args=[self.slug])

    def save(self, *args, **kwargs):
        self.summary_html = render_markdown(self.summary)
        super().save(*args, **kwargs)


class Modality(models.Model):
    """What a model takes in or puts out: text, image, audio, code, video."""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "modalities"

    def __str__(self):
        return self.name


class AccessChannel(models.Model):
    """How people reach a model: web app, API, cloud marketplace, downloadable weights."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Openness(models.TextChoices):
    OPEN_SOURCE = "open-source", "Open source"
    OPEN_WEIGHTS = "open-weights", "Open weights"
    CLOSED = "closed", "Closed"


class AIModelQuerySet(models.QuerySet):
    def featured(self):
        return self.filter(featured=True)

    def for_listing(self):
        return self.select_related("organization", "license").prefetch_related(
            "modalities", "access_channels"
        )


class AIModel(VersionedModel):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=140, unique=True)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="models")
    family = models.CharField(max_length=120, blank=True)
    base_model = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="derivatives"
    )
    release_date = models.DateField(null=True, blank=True)
    modalities = models.ManyToManyField(Modality, blank=True, related_name="models")
    parameter_count = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="Total parameters, where published."
    )
    openness = models.CharField(max_length=20, choices=Openness.choices)
    license = models.ForeignKey(
        License, null=True, blank=True, on_delete=models.PROTECT, related_name="models"
    )
    access_channels = models.ManyToManyField(AccessChannel, blank=True, related_name="models")
    summary = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True, help_text="Markdown.")
    description_html = models.TextField(blank=True, editable=False)
    homepage_url = models.URLField(blank=True)
    model_card_url = models.URLField(blank=True)
    paper_url = models.URLField(blank=True)
    featured = models.BooleanField(default=False, help_text="Shown in the default matrix.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # `version` is left out so that a reverted copy carries the current number (kb/locking.py).
    history = HistoricalRecords(excluded_fields=["description_html", "version"])
    objects = AIModelQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "AI model"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(openness__in=Openness.values), name="aimodel_openness_valid"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("models_catalog:model_detail", args=[self.slug])

    def save(self, *args, **kwargs):
        self.description_html = render_markdown(self.description)
        super().save(*args, **kwargs)


class FeatureGroup(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=140, unique=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Feature(models.Model):
    """One row of the matrix: a question every model gets an answer to."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=140, unique=True)
    question = models.CharField(max_length=240, blank=True)
    help_text = models.TextField(blank=True, help_text="Explanation for readers (Markdown).")
    help_html = models.TextField(blank=True, editable=False)
    group = models.ForeignKey(FeatureGroup, on_delete=models.PROTECT, related_name="features")
    order = models.PositiveIntegerField(default=0)
    term = models.ForeignKey(
        "glossary.Term", null=True, blank=True, on_delete=models.SET_NULL, related_name="features"
    )

    class Meta:
        ordering = ["group__order", "group__name", "order", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.help_html = render_markdown(self.help_text)
        super().save(*args, **kwargs)


class Value(models.TextChoices):
    YES = "yes", "Yes"
    PARTIAL = "partial", "Partial"
    NO = "no", "No"
    UNKNOWN = "unknown", "Unknown"
    NOT_APPLICABLE = "n/a", "Not applicable"


class AssessmentQuerySet(models.QuerySet):
    def stale(self, today=None):
        today = today or timezone.localdate()
        cutoff = today - datetime.timedelta(days=settings.KB_REVIEW_INTERVAL_DAYS)
        return self.exclude(value=Value.UNKNOWN).filter(
            models.Q(verified_on__lt=cutoff) | models.Q(verified_on__isnull=True)
        )


class Assessment(VersionedModel):
    """One cell of the matrix: a model's answer to a feature, with its evidence."""

    model = models.ForeignKey(AIModel, on_delete=models.CASCADE, related_name="assessments")
    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="assessments")
    value = models.CharField(max_length=10, choices=Value.choices, default=Value.UNKNOWN)
    note = models.TextField(blank=True, help_text="Markdown.")
    note_html = models.TextField(blank=True, editable=False)
    sources = SourcesField()
    verified_on = models.DateField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["note_html", "updated_at", "version"])
    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["feature__group__order", "feature__order", "model__name"]
        constraints = [
            models.UniqueConstraint(fields=["model", "feature"], name="assessment_one_per_cell"),
            models.CheckConstraint(
                condition=models.Q(value__in=Value.values), name="assessment_value_valid"
            ),
        ]

    def __str__(self):
        return f"{self.model} · {self.feature}: {self.value}"

    def get_absolute_url(self):
        return f"{self.model.get_absolute_url()}#cell-{self.feature.slug}"

    def is_stale(self, today=None):
        if self.value == Value.UNKNOWN:
            return False
        if self.verified_on is None:
            return True
        today = today or timezone.localdate()
        return (today - self.verified_on).days > settings.KB_REVIEW_INTERVAL_DAYS

    def save(self, *args, **kwargs):
        self.note_html = render_markdown(self.note)
        super().save(*args, **kwargs)
