"""What every admin of Orgmodel shares: permissions asked of `centers.rules.may` with the object, writes through
`centers.services`, forms that show the services' verdict on the field, and a history that is only read."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from centers import selectors, services
from centers.models import Municipality, OrgVersion, Person
from centers.rules import is_global, may, municipality_ids

DATABASE_ID = re.compile(r"[0-9]{1,18}")
MUNICIPALITY_PARAM = "kommune"
HISTORY_TYPES = {"+": _("oprettet"), "~": _("ændret"), "-": _("slettet")}
# The history's reasons in words; "create" and "edit" say no more than the type of the record.
HISTORY_REASONS = {**selectors.CHANGE_REASONS, "create": None, "edit": None}


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


# --- municipalities: named in Danish, only the user's offered ---------------------------------------------


class MunicipalityFilter(admin.RelatedFieldListFilter):
    """ "Efter kommune", listing the user's municipalities (an administrator's: all)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("kommune")

    def field_choices(self, field, request, model_admin):
        municipalities = Municipality.objects.order_by("name")
        if not is_global(request.user):
            municipalities = municipalities.filter(pk__in=municipality_ids(request.user))
        return [(municipality.pk, municipality.name) for municipality in municipalities]


class PersonAutocomplete(AutocompleteSelect):
    """Django's autocomplete over people; a form that knows the municipality asks for its people only."""

    municipality_id: int | None = None

    def get_url(self):
        url = super().get_url()
        return f"{url}?{urlencode({MUNICIPALITY_PARAM: self.municipality_id})}" if self.municipality_id else url


def ask_for_people_of(field: forms.Field | None, municipality_id: int | None) -> None:
    """Let the person autocomplete of `field` (if it is one) offer only the people of one municipality."""
    widget = getattr(field, "widget", None)
    widget = getattr(widget, "widget", widget)  # inside Django's RelatedFieldWidgetWrapper
    if isinstance(widget, PersonAutocomplete):
        widget.municipality_id = municipality_id


# --- forms ------------------------------------------------------------------------------------------------


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


# --- history ----------------------------------------------------------------------------------------------


class ReadableHistory(HistoricalRecordContextHelper):
    """A change as a reader says it: choices by their label, an empty reference as nothing (not "Deleted person
    (pk=None)"), a reference to a deleted row as "slettet <model>"."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        if isinstance(value, DeletedObject):
            return None if value.pk is None else f"{gettext('slettet')} {value.model._meta.verbose_name}"
        field = self.model._meta.get_field(change.field)
        if getattr(field, "choices", None) and not isinstance(value, list):
            return dict(field.flatchoices).get(value, value)
        return value

    def stringify_delta_change_values(self, change, old, new):
        return super().stringify_delta_change_values(change, "" if old is None else old, "" if new is None else new)


class HistoryAdmin(SimpleHistoryAdmin):
    """History pages are for reading, in the language of the page. simple_history's history form saves an old
    state on POST after checking only the *view* permission, so it answers GET only; undoing a change goes
    through the services."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_view_title(self, request, obj):
        return f"{gettext('Historik')}: {obj}"

    def history_form_view_title(self, request, obj):
        return f"{gettext('Historik')}: {obj}"

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistory(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Besides the changes: what kind of record it is and why it was made, in words."""
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        for record in historical_records:
            reason = record.history_change_reason
            if reason == "revert":
                record.type_display, record.reason_display = gettext("fortrudt"), None
            else:
                record.type_display = HISTORY_TYPES.get(record.history_type, record.history_type)
                record.reason_display = HISTORY_REASONS.get(reason, reason)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        record = history.filter(history_id=parse_id(str(version_id))).first()
        context = {"history_record": record, **(extra_context or {})}
        return super().history_form_view(request, object_id, version_id, context)


# --- permissions and writes -------------------------------------------------------------------------------


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
    # Fields that are part of the row's public URL: set when the row is created, never changed afterwards.
    url_fields: tuple[str, ...] = ()
    nothing_selected = _("Vælg mindst én række for at bruge handlingen.")

    def has_add_permission(self, request):
        return may(request.user, model_perm(self.opts, "add"))

    def get_queryset(self, request):
        """A user who works in some municipalities sees only their rows; an administrator sees all."""
        queryset = super().get_queryset(request)
        if is_global(request.user):
            return queryset
        return queryset.filter(**{f"{municipality_lookup(self.model)}__in": municipality_ids(request.user)})

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, *(name for name in self.url_fields if name not in readonly)] if obj is not None else readonly

    @admin.display(description=_("kommune"), ordering="municipality__name")
    def municipality_column(self, obj):
        return obj.municipality

    def get_form(self, request, obj=None, change=False, **kwargs):
        return with_actor(super().get_form(request, obj, change=change, **kwargs), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "version":
            kwargs["queryset"] = OrgVersion.objects.exclude(status=OrgVersion.Status.PREVIOUS).select_related(
                "municipality"
            )
        kwargs = reference_field_options(self, db_field, request, kwargs)
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

    def changelist_view(self, request, extra_context=None):
        """An action run with no row selected says so in plain words (Django's Danish "Ingen emner er blev
        ændret." is not Danish)."""
        if (
            request.method == "POST"
            and "index" in request.POST
            and "_save" not in request.POST
            and not request.POST.getlist(ACTION_CHECKBOX_NAME)
            and request.POST.get("select_across") != "1"
            and request.POST.get("action")
            and self.get_actions(request)
        ):
            self.message_user(request, self.nothing_selected, messages.WARNING)
            return HttpResponseRedirect(request.get_full_path())
        return super().changelist_view(request, extra_context)

    def response_action(self, request, queryset):
        """A forged selection (ids that are not numbers) is refused, not a server error."""
        if any(parse_id(value) is None for value in request.POST.getlist(ACTION_CHECKBOX_NAME)):
            self.message_user(request, gettext("Ugyldigt valg af rækker."), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)


def reference_field_options(model_admin, db_field, request, kwargs: dict) -> dict:
    """A reference to a person in `autocomplete_fields` is a `PersonAutocomplete`; a municipality is labelled
    "Kommune" (its model field has no Danish name)."""
    if db_field.related_model is Person and db_field.name in model_admin.get_autocomplete_fields(request):
        kwargs.setdefault("widget", PersonAutocomplete(db_field, model_admin.admin_site, using=kwargs.get("using")))
    if db_field.related_model is Municipality:
        kwargs.setdefault("label", capfirst(_("kommune")))
    return kwargs


class ServiceInline(RulePermissions):
    """Rows edited inside another row's form: the rules asked with that row, the services' check per row."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = with_actor(formset.form, request.user)
        return formset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = reference_field_options(self, db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
