from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import ngettext
from markdownx.widgets import AdminMarkdownxWidget
from simple_history.admin import SimpleHistoryAdmin

from kb.locking import VersionedAdminMixin
from models_catalog.filters import reserved_parameters
from models_catalog.models import (
    AccessChannel,
    AIModel,
    Assessment,
    Feature,
    FeatureGroup,
    License,
    Modality,
    Organization,
    Value,
)


class MarkdownPreviewMixin:
    """Editors see a live preview of Markdown fields, rendered by the site's one renderer."""

    markdown_fields = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.markdown_fields:
            kwargs["widget"] = AdminMarkdownxWidget
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "url"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(License)
class LicenseAdmin(MarkdownPreviewMixin, admin.ModelAdmin):
    markdown_fields = ["summary"]
    list_display = ["name", "spdx_id", "osi_approved", "allows_commercial_use",
                    "allows_modification", "allows_redistribution"]  # fmt: skip
    list_filter = ["osi_approved", "allows_commercial_use", "allows_modification",
                   "allows_redistribution"]  # fmt: skip
    search_fields = ["name", "slug", "spdx_id"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Modality)
class ModalityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(AccessChannel)
class AccessChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(FeatureGroup)
class FeatureGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "slug"]
    list_editable = ["order"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class FeatureForm(forms.ModelForm):
    class Meta:
        model = Feature
        fields = ["name", "slug", "group", "order", "question", "help_text", "term"]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in reserved_parameters():
            raise forms.ValidationError(
                "This slug is a filter name on /matrix/ (?%(slug)s=…); choose another.",
                params={"slug": slug},
            )
        return slug


@admin.register(Feature)
class FeatureAdmin(MarkdownPreviewMixin, admin.ModelAdmin):
    form = FeatureForm
    markdown_fields = ["help_text"]
    list_display = ["name", "group", "order", "slug", "question"]
    list_editable = ["order"]
    list_filter = ["group"]
    list_select_related = ["group"]
    search_fields = ["name", "slug", "question"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["term"]
    fields = ["name", "slug", "group", "order", "question", "help_text", "term"]


class AssessmentInline(VersionedAdminMixin, admin.TabularInline):
    """One row per feature: existing cells first, then a pre-filled row for each missing one.

    A pre-filled row that the editor leaves alone is not saved (Django only saves extra forms
    whose data differs from their initial values), so opening and saving a model adds nothing.
    """

    model = Assessment
    fields = ["feature", "value", "note", "sources", "verified_on", "verified_by"]
    readonly_fields = ["verified_by"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("feature", "verified_by")

    def get_extra(self, request, obj=None, **kwargs):
        return len(missing_features(obj))


def missing_features(model):
    features = Feature.objects.select_related("group")
    if model is not None and model.pk:
        features = features.exclude(assessments__model=model)
    return list(features)


@admin.register(AIModel)
class AIModelAdmin(VersionedAdminMixin, MarkdownPreviewMixin, SimpleHistoryAdmin):
    markdown_fields = ["description"]
    list_display = ["name", "organization", "openness", "license", "featured", "release_date"]
    list_filter = ["openness", "featured", "organization", "license", "modalities"]
    list_select_related = ["organization", "license"]
    search_fields = ["name", "slug", "family", "organization__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organization", "license", "base_model"]
    filter_horizontal = ["modalities", "access_channels"]
    inlines = [AssessmentInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "organization", "openness", "license", "featured"]}),
        ("Facts", {"fields": ["family", "base_model", "release_date", "parameter_count",
                              "modalities", "access_channels"]}),  # fmt: skip
        ("Text and links", {"fields": ["summary", "description", "homepage_url",
                                       "model_card_url", "paper_url"]}),  # fmt: skip
    ]

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, AssessmentInline):
            # The same initial rows on GET and POST, so untouched rows count as unchanged.
            kwargs["initial"] = [
                {"feature": feature.pk, "value": Value.UNKNOWN}
                for feature in missing_features(obj)
            ]
        return kwargs

    def save_formset(self, request, form, formset, change):
        if formset.model is not Assessment:
            return super().save_formset(request, form, formset, change)
        for cell in formset.save(commit=False):
            cell.verified_by = request.user  # the editor who saved it vouches for it
            cell.save()
        for cell in formset.deleted_objects:
            cell.delete()
        formset.save_m2m()


class FreshnessFilter(admin.SimpleListFilter):
    title = "freshness"
    parameter_name = "freshness"

    def lookups(self, request, model_admin):
        return [("stale", "Stale (needs review)"), ("fresh", "Verified recently")]

    def queryset(self, request, queryset):
        stale = Assessment.objects.stale()
        if self.value() == "stale":
            return queryset.filter(pk__in=stale.values("pk"))
        if self.value() == "fresh":
            return queryset.exclude(pk__in=stale.values("pk"))
        return queryset


class EvidenceFilter(admin.SimpleListFilter):
    """Every answer other than "unknown" should cite at least one source."""

    title = "evidence"
    parameter_name = "evidence"

    def lookups(self, request, model_admin):
        return [("missing", "No source cited"), ("cited", "At least one source")]

    def queryset(self, request, queryset):
        unsourced = Q(sources=[]) | Q(sources__isnull=True)
        if self.value() == "missing":
            return queryset.exclude(value=Value.UNKNOWN).filter(unsourced)
        if self.value() == "cited":
            return queryset.exclude(unsourced)
        return queryset


@admin.register(Assessment)
class AssessmentAdmin(VersionedAdminMixin, MarkdownPreviewMixin, SimpleHistoryAdmin):
    markdown_fields = ["note"]
    list_display = ["model", "feature", "value", "verified_on", "verified_by", "stale"]
    list_filter = [
        FreshnessFilter, EvidenceFilter, "value", "feature__group", "feature", "model__openness"
    ]
    list_select_related = ["model", "feature", "feature__group", "verified_by"]
    search_fields = ["model__name", "feature__name", "note"]
    autocomplete_fields = ["model", "feature"]
    readonly_fields = ["verified_by"]
    fields = ["model", "feature", "value", "note", "sources", "verified_on", "verified_by"]
    actions = ["mark_verified_today"]
    date_hierarchy = "verified_on"

    @admin.display(boolean=True, description="stale")
    def stale(self, obj):
        return obj.is_stale()

    @admin.action(description="Mark verified today", permissions=["change"])
    def mark_verified_today(self, request, queryset):
        today = timezone.localdate()
        # Save each cell (not queryset.update) so every one gets a history row.
        count = 0
        for cell in queryset.select_related("model", "feature"):
            cell.verified_on = today
            cell.verified_by = request.user
            cell.save()
            count += 1
        self.message_user(
            request,
            ngettext("%d cell marked verified today.", "%d cells marked verified today.", count)
            % count,
            messages.SUCCESS,
        )

    def save_model(self, request, obj, form, change):
        obj.verified_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        view = self.admin_site.admin_view(self.missing_cells_view)
        return [
            path("missing/", view, name="models_catalog_assessment_missing"),
            *super().get_urls(),
        ]

    def missing_cells_view(self, request):
        """Every model × feature pair nobody has assessed yet, with a link to fill it in."""
        features = list(Feature.objects.select_related("group"))
        models = list(AIModel.objects.all())
        assessed = set(Assessment.objects.values_list("model_id", "feature_id"))
        rows = [
            {
                "model": model,
                "url": reverse("admin:models_catalog_aimodel_change", args=[model.pk]),
                "features": [f for f in features if (model.pk, f.pk) not in assessed],
            }
            for model in models
            if any((model.pk, f.pk) not in assessed for f in features)
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": "Missing cells",
            "opts": self.model._meta,
            "rows": rows,
            "stale_url": reverse("admin:models_catalog_assessment_changelist")
            + "?freshness=stale",
        }
        return TemplateResponse(request, "admin/models_catalog/assessment/missing.html", context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "missing_url": reverse("admin:models_catalog_assessment_missing"),
        }
        return super().changelist_view(request, extra_context)
