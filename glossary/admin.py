from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from glossary.models import Alias, Term
from kb.locking import VersionedAdminMixin, VersionedModelForm


def _existing_term(name, exclude_pk=None):
    return Term.objects.filter(term__iexact=name).exclude(pk=exclude_pk).first()


def _existing_alias(name, exclude_term_pk=None):
    return (
        Alias.objects.select_related("term")
        .filter(name__iexact=name)
        .exclude(term_id=exclude_term_pk)
        .first()
    )


class TermForm(VersionedModelForm):
    class Meta:
        model = Term
        fields = ["term", "slug", "definition", "body", "related"]

    def clean_term(self):
        name = (self.cleaned_data.get("term") or "").strip()
        pk = self.instance.pk
        if (other := _existing_term(name, pk)) is not None:
            raise ValidationError(
                "There is already a term called “%(name)s”. Edit that term instead.",
                params={"name": other.term}, code="duplicate_term",
            )
        if (alias := _existing_alias(name, pk)) is not None:
            raise ValidationError(
                "“%(name)s” is already an alias of “%(term)s”. Remove that alias first, or add "
                "your wording as an alias there.",
                params={"name": alias.name, "term": alias.term.term}, code="term_is_alias",
            )
        return name

    def clean_related(self):
        related = self.cleaned_data.get("related")
        if related is not None and self.instance.pk and related.filter(pk=self.instance.pk):
            raise ValidationError("A term cannot be related to itself.")
        return related


class AliasInlineFormSet(forms.BaseInlineFormSet):
    """Aliases are checked against each other, their own term and every other term and alias."""

    def clean(self):
        super().clean()
        term_name = (self.instance.term or "").strip().casefold()
        seen = {}
        for form in self.forms:
            if not getattr(form, "cleaned_data", None) or form.cleaned_data.get("DELETE"):
                continue
            name = (form.cleaned_data.get("name") or "").strip()
            if not name:
                continue
            folded = name.casefold()
            if folded == term_name:
                form.add_error("name", "An alias cannot be the term’s own name.")
            elif folded in seen:
                form.add_error("name", f"“{name}” is listed twice.")
            elif (other := _existing_term(name, self.instance.pk)) is not None:
                form.add_error(
                    "name", f"“{name}” is already a term of its own (“{other.term}”)."
                )
            elif (alias := _existing_alias(name, self.instance.pk)) is not None:
                form.add_error(
                    "name", f"“{name}” is already an alias of “{alias.term.term}”."
                )
            seen[folded] = form


class AliasInline(admin.TabularInline):
    model = Alias
    formset = AliasInlineFormSet
    extra = 2
    fields = ["name"]


class HasAliasesFilter(admin.SimpleListFilter):
    title = "aliases"
    parameter_name = "has_aliases"

    def lookups(self, request, model_admin):
        return [("yes", "Has aliases"), ("no", "No aliases")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(aliases__isnull=False).distinct()
        if self.value() == "no":
            return queryset.filter(aliases__isnull=True)
        return queryset


class HasBodyFilter(admin.SimpleListFilter):
    title = "long explanation"
    parameter_name = "has_body"

    def lookups(self, request, model_admin):
        return [("yes", "Written"), ("no", "Missing")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(body="")
        if self.value() == "no":
            return queryset.filter(body="")
        return queryset


@admin.register(Term)
class TermAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    form = TermForm
    inlines = [AliasInline]
    list_display = ["term", "slug", "alias_list", "related_count", "updated_at"]
    list_filter = [HasAliasesFilter, HasBodyFilter, "updated_at"]
    search_fields = ["term", "slug", "definition", "aliases__name"]
    prepopulated_fields = {"slug": ["term"]}
    autocomplete_fields = ["related"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["term", "slug", "definition", "body"]}),
        ("Connections", {"fields": ["related"]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return (
            super().get_queryset(request)
            .prefetch_related("aliases")
            .annotate(related_total=Count("related", distinct=True))
        )

    @admin.display(description="aliases")
    def alias_list(self, obj):
        return ", ".join(a.name for a in obj.aliases.all())

    @admin.display(description="related", ordering="related_total")
    def related_count(self, obj):
        return obj.related_total


class AliasForm(forms.ModelForm):
    class Meta:
        model = Alias
        fields = ["name", "term"]

    def clean(self):
        cleaned = super().clean()
        name = (cleaned.get("name") or "").strip()
        term = cleaned.get("term")
        if not name:
            return cleaned
        clash = Alias.objects.select_related("term").filter(name__iexact=name)
        if (alias := clash.exclude(pk=self.instance.pk).first()) is not None:
            self.add_error("name", f"“{name}” is already an alias of “{alias.term.term}”.")
        elif (other := _existing_term(name)) is not None:
            if term is not None and other.pk == term.pk:
                self.add_error("name", "An alias cannot be the term’s own name.")
            else:
                self.add_error("name", f"“{name}” is already a term of its own (“{other.term}”).")
        return cleaned


@admin.register(Alias)
class AliasAdmin(admin.ModelAdmin):
    form = AliasForm
    list_display = ["name", "term"]
    search_fields = ["name", "term__term"]
    autocomplete_fields = ["term"]
    list_select_related = ["term"]
