"""Optimistic locking: two editors, one row — the second save is refused, never silently merged.

Every versioned row carries a `version` number. A save of an existing row first runs
`UPDATE … SET version = version + 1 WHERE pk = … AND version = <the number this copy was read
at>`; if no row matched, someone saved in between and `EditConflict` is raised before anything
is written. The conditional UPDATE needs no row locks, so it works the same on SQLite and
PostgreSQL (on PostgreSQL the UPDATE's row lock then covers the rest of the save).

The admin carries the number an editor's form was opened at in a hidden field; the form refuses
a number that is no longer current, with a link to the row's history. Code that reads a row and
saves it straight away (the importer, the demo-content loader, admin actions) needs nothing: the
copy it read is current, and its save bumps the version like any other.

`queryset.update()` bypasses all this (as it bypasses `save()`); `loaddata` keeps stored numbers.
"""

from django import forms
from django.contrib import messages
from django.db import models, router, transaction
from django.db.models import F
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

VERSION_FIELD = "version"


class EditConflict(Exception):
    """Someone else saved this row after this copy of it was read."""

    def __init__(self, instance):
        self.instance = instance
        super().__init__(f"{instance._meta.label} {instance.pk} was saved by someone else")


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Goes up by one on every save; an edit made from an older version is refused.",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding or self.pk is None:
            return super().save(*args, **kwargs)
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        manager = type(self)._base_manager.using(using)
        with transaction.atomic(using=using):
            bumped = manager.filter(pk=self.pk, version=self.version).update(
                version=F("version") + 1
            )
            if not bumped and manager.filter(pk=self.pk).exists():
                raise EditConflict(self)
            if bumped:
                self.version += 1
            # No row at all (deleted meanwhile): Django's own save decides, as it always did.
            return super().save(*args, **kwargs)


def history_url(instance):
    """The admin page listing every saved version of this row (simple-history's, where tracked)."""
    opts = instance._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[instance.pk])
    except NoReverseMatch:
        return ""


def conflict_message(instance):
    """What the refused editor reads: who saved, that nothing was overwritten, where to look."""
    current = type(instance)._base_manager.filter(pk=instance.pk).first() or instance
    by = ""
    history = getattr(current, "history", None)
    latest = history.order_by("-history_date").first() if history is not None else None
    if latest is not None:
        who = latest.history_user.get_username() if latest.history_user else "someone"
        by = f" by {who} at {latest.history_date:%Y-%m-%d %H:%M} UTC"
    url = history_url(current)
    link = format_html(' <a href="{}">See what changed in its history</a>,', url) if url else ""
    return format_html(
        "“{}” was changed{} while you were editing it (it is now at version {}). "
        "Your changes were not saved, so nothing of theirs was overwritten.{} "
        "then reload this page and make your edits again.",
        current,
        by,
        current.version,
        link,
    )


class VersionedModelForm(forms.ModelForm):
    """A model form that carries the version its row was read at and refuses a stale one."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.instance._state.adding:
            self.fields[VERSION_FIELD].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        submitted = cleaned.get(VERSION_FIELD)
        instance = self.instance
        # A form posted without the field (a script, not the admin page) is still protected by
        # the conditional UPDATE in VersionedModel.save against a save racing this request.
        existing = instance.pk is not None and not instance._state.adding
        if existing and submitted is not None and submitted != instance.version:
            raise forms.ValidationError(conflict_message(instance), code="edit_conflict")
        return cleaned


class VersionedAdminMixin:
    """For ModelAdmin and InlineModelAdmin of a VersionedModel: the hidden field, the refusal."""

    form = VersionedModelForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        # Only existing rows have a version; inlines always may (their parent `obj` exists).
        if obj is None:
            return fieldsets
        name, options = fieldsets[0]
        if VERSION_FIELD in options["fields"]:
            return fieldsets
        first = (name, {**options, "fields": [*options["fields"], VERSION_FIELD]})
        return [first, *fieldsets[1:]]

    def get_exclude(self, request, obj=None):
        # The model field is not editable: the form's own hidden field carries the number, and
        # excluding the model field keeps Django from refusing the name in the fieldsets.
        return [*(super().get_exclude(request, obj) or ()), VERSION_FIELD]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict as conflict:
            # Someone saved between this request's check and its write: the whole save was
            # rolled back (the admin wraps it in one transaction); say so and show the row again.
            self.message_user(request, conflict_message(conflict.instance), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except EditConflict as conflict:
            self.message_user(request, conflict_message(conflict.instance), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
