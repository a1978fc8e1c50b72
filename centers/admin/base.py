"""What every admin of Orgmodel shares: permissions asked of `centers.rules.may` with the object, writes through
`centers.services`, forms that show the services' verdict on the field, and a history that is only read."""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.utils.translation import gettext
from simple_history.admin import SimpleHistoryAdmin

from centers import services
from centers.models import OrgVersion
from centers.rules import is_global, may, municipality_ids

DATABASE_ID = re.compile(r"[0-9]{1,18}")


def parse_id(value) -> int | None:
    """A database id from a query or form value; anything else (``²``, ``abc``, ``1e3``) is None."""
    return int(value) if isinstance(value, str) and DATABASE_ID.fullmatch(value) else None


def refusal_text(error: Exception) -> str:
    """What a service's refusal says, without the field names."""
    return " ".join(getattr(error, "messages", None) or [str(error)])


def model_perm(opts, action: str) -> str:
    return f"{opts.app_label}.{action}_{opts.model_name}"


def municipality_lookup(model) -> str:
    """The path from a row of `model` to its municipality's id."""
    names = {field.name for field in model._meta.get_fields()}
    if model._meta.label == "centers.Municipality":
        return "pk"
    for lookup, field in (("municipality", "municipality"), ("version__municipality", "version")):
        if field in names:
            return lookup
    return "committee__municipality"


def with_actor(form_class, actor):
    """The form class with the editing user set, so that its check asks the services as that user."""
    return type(form_class.__name__, (form_class,), {"actor": actor})


class ServiceCheckedForm(forms.ModelForm):
    """A model form whose validation ends with the services' own side-effect-free check of the edited object."""

    actor = None

    def m2m_values(self) -> dict:
        return {
            field.name: list(self.cleaned_data[field.name])
            for field in self._meta.model._meta.many_to_many
            if field.name in self.cleaned_data
        }

    def service_check(self, instance) -> None:
        services.check(instance, actor=self.actor, m2m=self.m2m_values())

    def _post_clean(self):
        super()._post_clean()
        if self.errors or self.actor is None:
            return
        try:
            self.service_check(self.instance)
        except services.EditRefused as error:
            self._update_errors(error)
        except services.NotPermitted as error:
            self.add_error(None, refusal_text(error))


class HistoryAdmin(SimpleHistoryAdmin):
    """History pages are for reading. simple_history's history form saves an old state on POST after checking
    only the *view* permission, so it answers GET only; undoing a change goes through the services."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        return super().history_form_view(request, object_id, version_id, extra_context)


class RulePermissions:
    """has_*_permission ask the rules with the object (previous versions are read-only for everyone)."""

    def has_view_permission(self, request, obj=None):
        return may(request.user, model_perm(self.opts, "view"), obj)

    def has_add_permission(self, request, obj=None):
        return may(request.user, model_perm(self.opts, "add"), obj)

    def has_change_permission(self, request, obj=None):
        return may(request.user, model_perm(self.opts, "change"), obj)

    def has_delete_permission(self, request, obj=None):
        return may(request.user, model_perm(self.opts, "delete"), obj)


class ServiceAdmin(RulePermissions, HistoryAdmin):
    """An admin whose every write goes through `centers.services` as the requesting user."""

    form = ServiceCheckedForm

    def has_add_permission(self, request):
        return may(request.user, model_perm(self.opts, "add"))

    def get_queryset(self, request):
        """A user who works in some municipalities sees only their rows; an administrator sees all."""
        queryset = super().get_queryset(request)
        if is_global(request.user):
            return queryset
        return queryset.filter(**{f"{municipality_lookup(self.model)}__in": municipality_ids(request.user)})

    def get_form(self, request, obj=None, change=False, **kwargs):
        return with_actor(super().get_form(request, obj, change=change, **kwargs), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "version":
            kwargs["queryset"] = OrgVersion.objects.exclude(status=OrgVersion.Status.PREVIOUS).select_related(
                "municipality"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        services.save(obj, actor=request.user, m2m=form.m2m_values() if hasattr(form, "m2m_values") else None)

    def save_related(self, request, form, formsets, change):
        """Many-to-many values were written by the service with the row; inlines go through the services too."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            services.delete(obj, actor=request.user)
        for obj in instances:
            services.save(obj, actor=request.user)

    def delete_model(self, request, obj):
        services.delete(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                services.delete(obj, actor=request.user)

    def response_action(self, request, queryset):
        """A forged selection (ids that are not numbers) is refused, not a server error."""
        if any(parse_id(value) is None for value in request.POST.getlist(ACTION_CHECKBOX_NAME)):
            self.message_user(request, gettext("Ugyldigt valg af rækker."), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)


class ServiceInline(RulePermissions):
    """Rows edited inside another row's form: the rules asked with that row, the services' check per row."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = with_actor(formset.form, request.user)
        return formset
