from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget
from simple_history.admin import SimpleHistoryAdmin

from articles.models import Article, SlugRedirect, Status, Tag
from articles.workflow import allowed_statuses, can_publish, check_transition
from kb.locking import VersionedAdminMixin, VersionedModelForm


class ArticleAdminForm(VersionedModelForm):
    """The article form; `user` is set per request by ArticleAdmin.get_form."""

    user = None

    class Meta:
        model = Article
        fields = (
            "title", "slug", "summary", "body", "status", "published_at", "last_reviewed_on",
            "authors", "tags", "related_models", "related_terms", "sources", "link_terms",
        )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Remember the stored status before the form writes the posted one onto the instance.
        self.original_status = self.instance.status if self.instance.pk else None
        self.original_published_at = self.instance.published_at if self.instance.pk else None
        status = self.fields.get("status")
        if status is not None and self.user is not None:
            allowed = allowed_statuses(self.user, self.original_status)
            status.choices = [c for c in Status.choices if c[0] in allowed]

    def clean(self):
        cleaned = super().clean()
        if self.user is None:
            raise PermissionDenied
        new_status = cleaned.get("status", self.original_status or Status.DRAFT)
        error = check_transition(self.user, self.original_status, new_status)
        if error:
            self.add_error("status" if "status" in self.fields else None, error)
        if (
            not can_publish(self.user)
            and self.original_status == Status.PUBLISHED
            and "published_at" in cleaned
            and cleaned["published_at"] != self.original_published_at
        ):
            self.add_error(
                "published_at", "Only a publisher can change when a published article goes live."
            )
        if new_status == Status.PUBLISHED and "published_at" in cleaned and not error:
            # Publishing without a date means "now" (the model's constraint needs a date).
            cleaned["published_at"] = cleaned["published_at"] or timezone.now()
        return cleaned


@admin.register(Article)
class ArticleAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    form = ArticleAdminForm
    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}
    list_display = ("title", "status", "published_at", "last_reviewed_on", "updated_at")
    list_filter = ("status", ("authors", admin.RelatedOnlyFieldListFilter), "tags")
    search_fields = ("title", "slug", "summary", "body")
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("authors", "tags", "related_models", "related_terms")
    actions = ("submit_for_review", "publish", "unpublish")
    list_select_related = True
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "body")}),
        ("Workflow", {"fields": ("status", "published_at", "last_reviewed_on", "authors")}),
        (
            "Links",
            {"fields": ("tags", "related_models", "related_terms", "sources", "link_terms")},
        ),
    )

    class Media:
        js = ("js/markdownx-upload-errors.js",)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("authors", [request.user.pk])
        return initial

    def save_model(self, request, obj, form, change):
        # Last line of defence, whatever built the form (change view, history revert, a subclass).
        stored = Article.objects.filter(pk=obj.pk).values_list("status", flat=True).first()
        if check_transition(request.user, stored, obj.status):
            raise PermissionDenied("You may not set this status.")
        super().save_model(request, obj, form, change)

    def has_change_permission(self, request, obj=None):
        # What is live is the publishers' responsibility: an editor's change to a published
        # article would go live unreviewed, so editors may only view it (a publisher can
        # unpublish it back to review for them).
        if obj is not None and obj.status == Status.PUBLISHED and not can_publish(request.user):
            return False
        return super().has_change_permission(request, obj)

    def has_publish_permission(self, request, obj=None):
        return can_publish(request.user)

    @admin.action(description="Submit selected drafts for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        count = 0
        for article in queryset.filter(status=Status.DRAFT):
            article.status = Status.REVIEW
            article.save()
            count += 1
        self.message_user(request, f"{count} article(s) submitted for review.", messages.SUCCESS)

    @admin.action(description="Publish selected articles", permissions=["publish"])
    def publish(self, request, queryset):
        if not can_publish(request.user):
            raise PermissionDenied
        count = 0
        for article in queryset.exclude(status=Status.PUBLISHED):
            article.status = Status.PUBLISHED
            article.published_at = article.published_at or timezone.now()
            article.save()
            count += 1
        self.message_user(request, f"{count} article(s) published.", messages.SUCCESS)

    @admin.action(
        description="Unpublish selected articles (back to draft)", permissions=["publish"]
    )
    def unpublish(self, request, queryset):
        if not can_publish(request.user):
            raise PermissionDenied
        count = 0
        for article in queryset.filter(status=Status.PUBLISHED):
            article.status = Status.DRAFT
            article.save()
            count += 1
        self.message_user(request, f"{count} article(s) unpublished.", messages.SUCCESS)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
    list_display = ("old_slug", "article")
    search_fields = ("old_slug", "article__title")
    list_select_related = ("article",)
