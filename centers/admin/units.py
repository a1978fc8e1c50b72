"""Units: a drag-and-drop tree of one version at a time. Every move, edit, insertion and deletion goes through
`centers.services` as the requesting user; which rows a user may change comes from `centers.rules`."""

from __future__ import annotations

from urllib.parse import parse_qsl

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from mptt.admin import DraggableMPTTAdmin

from centers import selectors, services
from centers.models import Municipality, OrgVersion, Post, Task, Unit
from centers.rules import editable_units, is_global, municipality_ids

from .base import ServiceAdmin, ServiceInline, parse_id, refusal_text
from .forms import (
    AssignResponsibleForm,
    MoveToForm,
    PostInlineForm,
    TaskInlineForm,
    UnitAddForm,
    UnitChangeForm,
    VersionedInlineFormSet,
)

VERSION_PARAM = "version"
HISTORY_TYPES = {"+": _("oprettet"), "~": _("ændret"), "-": _("slettet")}


def version_from_filters(request) -> int | None:
    """The version id of the changelist the user came from (the add button keeps its filters)."""
    filters = dict(parse_qsl(request.GET.get("_changelist_filters", "")))
    for name in (VERSION_PARAM, "version__id__exact"):
        value = parse_id(request.GET.get(name) or filters.get(name))
        if value:
            return value
    return None


def post_with_holder(post: Post | None) -> str | None:
    if post is None:
        return None
    holder = post.holder.name if post.holder_id else gettext("ubesat")
    return f"{post.title} ({holder})"


class VersionFromFilters:
    """A unit, post or task added from a changelist filtered to a version starts in that version."""

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        version = version_from_filters(request)
        if version:
            initial["version"] = version
        return initial


class PostInline(ServiceInline, admin.TabularInline):
    model = Post
    form = PostInlineForm
    formset = VersionedInlineFormSet
    fk_name = "unit"
    extra = 0
    fields = ["key", "title", "title_en", "kind", "holder", "reports_to"]
    raw_id_fields = ["holder", "reports_to"]


class TaskInline(ServiceInline, admin.TabularInline):
    model = Task
    form = TaskInlineForm
    formset = VersionedInlineFormSet
    extra = 0
    fields = ["key", "name", "name_en"]


class VersionFilter(admin.SimpleListFilter):
    """One organisation version at a time: there is no "all" (the changelist redirects to a version)."""

    title = _("organisationsversion")
    parameter_name = VERSION_PARAM

    def lookups(self, request, model_admin):
        versions = OrgVersion.objects.select_related("municipality").order_by(
            "municipality__name", "effective_from", "key"
        )
        if not is_global(request.user):
            versions = versions.filter(municipality_id__in=municipality_ids(request.user))
        return [
            (str(version.pk), f"{version.municipality.name}: {version.label} ({version.get_status_display()})")
            for version in versions
        ]

    def queryset(self, request, queryset):
        return queryset  # UnitAdmin.get_queryset filters by the version already

    def choices(self, changelist):
        for value, title in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": title,
            }


@admin.register(Unit)
class UnitAdmin(VersionFromFilters, ServiceAdmin, DraggableMPTTAdmin):
    list_display = ["tree_actions", "indented_title", "kind", "head_column", "responsible_column"]
    list_display_links = ["indented_title"]
    list_filter = [VersionFilter, "kind"]
    search_fields = ["name", "name_en", "key"]
    list_select_related = ["version", "head__holder", "responsible__holder"]
    list_per_page = 5000  # the whole tree of a version on one page: a drop needs both rows on screen
    expand_tree_by_default = True  # a director finds their units (and the browser's search finds them) at once
    filter_horizontal = ["formed_from"]
    inlines = [PostInline, TaskInline]
    actions = ["move_to", "assign_responsible"]
    object_history_template = "admin/centers/unit/object_history.html"
    object_history_list_template = "admin/centers/unit/object_history_list.html"
    action_template = "admin/centers/unit/action_form.html"

    # --- one version at a time ---------------------------------------------------------------------------

    def filtered_version(self, request) -> OrgVersion | None:
        """The version chosen in the changelist's filter (?version=), read once per request."""
        if not hasattr(request, "_orgmodel_admin_version"):
            value = request.GET.get(VERSION_PARAM, "")
            version_id = parse_id(value)
            request._orgmodel_admin_version = (
                OrgVersion.objects.select_related("municipality").filter(pk=version_id).first() if version_id else None
            )
        return request._orgmodel_admin_version

    def default_version(self, request) -> OrgVersion | None:
        """The current (else first) version of the user's first municipality (an administrator: of the first)."""
        municipalities = Municipality.objects.order_by("name")
        if not is_global(request.user):
            municipalities = municipalities.filter(pk__in=municipality_ids(request.user))
        municipality = municipalities.first()
        return selectors.default_version(municipality) if municipality else None

    def get_queryset(self, request):
        # Also the list's columns: the changelist adds list_select_related only to a queryset without any.
        queryset = super().get_queryset(request).select_related(*self.list_select_related)
        if VERSION_PARAM in request.GET:
            version = self.filtered_version(request)
            queryset = queryset.filter(version=version) if version else queryset.none()
        return queryset

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET" and VERSION_PARAM not in request.GET:
            version = self.default_version(request)
            if version is not None:
                params = request.GET.copy()
                params[VERSION_PARAM] = str(version.pk)
                return HttpResponseRedirect(f"{request.path}?{params.urlencode()}")
        version = self.filtered_version(request)
        context = {
            "orgmodel_version": version,
            "can_drag": version is not None and self.editable_units(request) != frozenset(),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context=context)

    # --- who may change which rows -----------------------------------------------------------------------

    def editable_units(self, request) -> frozenset[int] | None:
        """Ids of the filtered version's units the user may change (None: all), read once per request."""
        if not hasattr(request, "_orgmodel_editable_units"):
            version = self.filtered_version(request)
            condition = editable_units(request.user, version) if version else Q(pk__in=[])
            request._orgmodel_editable_units = (
                None
                if condition is None
                else frozenset(Unit.objects.filter(condition, version=version).values_list("pk", flat=True))
            )
        return request._orgmodel_editable_units

    # --- the list ----------------------------------------------------------------------------------------

    def get_list_display(self, request):
        """The drag handle only on the rows the user may move."""
        editable = self.editable_units(request)

        def tree_actions(unit):
            handle = format_html('<div class="drag-handle" title="{}"></div>', gettext("Træk for at flytte"))
            return format_html(
                '{}<div class="tree-node" data-pk="{}" data-level="{}"></div>',
                handle if editable is None or unit.pk in editable else "",
                unit.pk,
                unit.level,
            )

        tree_actions.short_description = ""
        return [tree_actions, *self.list_display[1:]]

    @admin.display(description=_("enhed"))
    def indented_title(self, unit):
        return format_html('<div style="padding-left:{}px">{}</div>', unit.level * self.mptt_level_indent, unit.name)

    @admin.display(description=_("leder"))
    def head_column(self, unit):
        return post_with_holder(unit.head)

    @admin.display(description=_("ansvarlig direktør"))
    def responsible_column(self, unit):
        return post_with_holder(unit.responsible)

    # --- drag and drop -----------------------------------------------------------------------------------

    def _tree_context(self, request):
        """The draggable tree's texts in our words (django-mptt's Danish catalogue lacks some of them)."""
        return {
            **super()._tree_context(request),
            "messages": {
                "before": gettext("flyt foran enheden"),
                "child": gettext("flyt ind under enheden"),
                "after": gettext("flyt efter enheden"),
                "collapseTree": gettext("Fold træet sammen"),
                "expandTree": gettext("Fold træet ud"),
            },
        }

    def _move_node(self, request):
        """A drop in the tree: moved by `services.move_unit`; 403 when the user may not, 400 when a rule refuses."""
        queryset = self.get_queryset(request)
        try:
            unit = queryset.get(pk=request.POST.get("cut_item"))
            target = queryset.get(pk=request.POST.get("pasted_on"))
        except (Unit.DoesNotExist, TypeError, ValueError):
            self.message_user(request, gettext("Enheden findes ikke i denne version. Prøv igen."), messages.ERROR)
            return HttpResponseBadRequest("FAIL, invalid objects.")
        if not self.has_change_permission(request, unit):
            self.message_user(
                request, gettext("Du har ikke ret til at flytte «%(unit)s».") % {"unit": unit}, messages.ERROR
            )
            return HttpResponseForbidden("FAIL, no permission.")
        try:
            moved = services.move_unit(unit, target, request.POST.get("position", ""), actor=request.user)
        except services.NotPermitted as error:
            self.message_user(request, refusal_text(error), messages.ERROR)
            return HttpResponseForbidden("FAIL, no permission.")
        except services.EditRefused as error:
            self.message_user(
                request,
                gettext("«%(unit)s» blev ikke flyttet: %(reason)s") % {"unit": unit, "reason": refusal_text(error)},
                messages.ERROR,
            )
            return HttpResponseBadRequest("FAIL, invalid move.")
        self.log_change(request, moved, [{"changed": {"fields": ["parent"]}}])
        self.message_user(request, gettext("«%(unit)s» er flyttet.") % {"unit": moved}, messages.SUCCESS)
        return HttpResponse("OK, moved.")

    # --- the change form ---------------------------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = UnitChangeForm if obj is not None else UnitAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": UnitAddForm.Meta.fields})]
        return [
            (None, {"fields": ["name", "name_en", "key", "version", "kind"]}),
            (_("Placering og ledelse"), {"fields": ["parent", "head", "responsible"]}),
            (_("Oprindelse"), {"fields": ["formed_from", "source", "note"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        # A unit stays in its version and keeps its key (its public URL); its kind decides which rules of the
        # tree apply, so it is set when the unit is created.
        return ["version", "key", "kind"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            form.save_edits(request.user)
        else:
            services.create_unit(obj, actor=request.user)

    # --- actions -----------------------------------------------------------------------------------------

    def get_actions(self, request):
        """Moves and assignments in an editable version; no bulk delete (it would bypass the version lock)."""
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        version = self.filtered_version(request)
        if version is None or version.is_read_only:
            return {}
        return actions

    def action_page(self, request, units, form, *, title: str, action: str, submit: str) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "units": units,
            "form": form,
            "action": action,
            "submit_label": submit,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "changelist_url": f"{reverse('admin:centers_unit_changelist')}?{request.GET.urlencode()}",
            "media": self.media + form.media,
        }
        return TemplateResponse(request, self.action_template, context)

    def apply_to_each(self, request, units, change, done_message) -> None:
        """Run `change(unit)` for every unit in one transaction under the version's lock. A unit the services
        refuse is left as it was (its savepoint is rolled back) and reported by name with the reason."""
        changed = 0
        with transaction.atomic():
            for unit in units:
                try:
                    result = change(unit)
                except (services.EditRefused, services.NotPermitted) as error:
                    self.message_user(
                        request,
                        gettext("«%(unit)s» blev ikke ændret: %(reason)s")
                        % {"unit": unit, "reason": refusal_text(error)},
                        messages.ERROR,
                    )
                    continue
                self.log_change(request, result, done_message)
                changed += 1
        if changed:
            self.message_user(
                request,
                ngettext("%(count)d enhed er ændret: %(change)s", "%(count)d enheder er ændret: %(change)s", changed)
                % {"count": changed, "change": done_message},
                messages.SUCCESS,
            )

    @admin.action(description=_("Flyt til …"), permissions=["change"])
    def move_to(self, request, queryset):
        version = self.filtered_version(request)
        units = list(queryset.order_by("tree_id", "lft"))
        targets = Unit.objects.filter(version=version).order_by("tree_id", "lft")
        condition = editable_units(request.user, version)
        if condition is not None:
            targets = targets.filter(condition)
        form = MoveToForm(request.POST if "apply" in request.POST else None, targets=targets)
        if form.is_valid():
            target = form.cleaned_data["target"]
            self.apply_to_each(
                request,
                units,
                lambda unit: services.move_unit(unit, target, "last-child", actor=request.user),
                gettext("flyttet til «%(target)s»") % {"target": target},
            )
            return None
        return self.action_page(
            request, units, form, title=gettext("Flyt enheder"), action="move_to", submit=gettext("Flyt")
        )

    @admin.action(description=_("Tildel ansvarlig direktør"), permissions=["change"])
    def assign_responsible(self, request, queryset):
        version = self.filtered_version(request)
        units = list(queryset.order_by("tree_id", "lft"))
        form = AssignResponsibleForm(request.POST if "apply" in request.POST else None, version=version)
        if form.is_valid():
            post = form.cleaned_data["post"]
            self.apply_to_each(
                request,
                units,
                lambda unit: services.set_responsible(unit, post, actor=request.user),
                gettext("ansvarlig direktør er nu «%(post)s»") % {"post": post_with_holder(post)},
            )
            return None
        return self.action_page(
            request,
            units,
            form,
            title=gettext("Tildel ansvarlig direktør"),
            action="assign_responsible",
            submit=gettext("Tildel"),
        )

    # --- history and revert ------------------------------------------------------------------------------

    def get_urls(self):
        revert = path(
            "<path:object_id>/history/<int:history_id>/revert/",
            self.admin_site.admin_view(self.revert_view),
            name="centers_unit_revert",
        )
        return [revert, *super().get_urls()]

    def history_view(self, request, object_id, extra_context=None):
        unit = self.get_object(request, unquote(object_id))
        context = {"can_revert": unit is not None and self.has_change_permission(request, unit)}
        return super().history_view(request, object_id, extra_context={**context, **(extra_context or {})})

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Besides the changes: the reason in words, and for a change the record to go back to ("Fortryd")."""
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        records = list(historical_records)
        for index, record in enumerate(records):
            record.type_display = HISTORY_TYPES.get(record.history_type, record.history_type)
            reason = record.history_change_reason
            record.reason_display = selectors.CHANGE_REASONS.get(reason, reason)
            record.revert_to = None
            if record.history_type == "~":
                before = records[index + 1] if index + 1 < len(records) else record.prev_record
                record.revert_to = before.history_id if before is not None else None

    def revert_view(self, request, object_id, history_id):
        """POST: undo a change by bringing the unit back to a historical record through `services.revert_unit`."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        unit = self.get_object(request, unquote(object_id))
        if unit is None:
            raise Http404
        if not self.has_change_permission(request, unit):
            raise PermissionDenied
        try:
            reverted = services.revert_unit(unit, history_id, actor=request.user)
        except (services.EditRefused, services.NotPermitted) as error:
            self.message_user(
                request,
                gettext("Ændringen blev ikke fortrudt: %(reason)s") % {"reason": refusal_text(error)},
                messages.ERROR,
            )
        else:
            self.log_change(request, reverted, gettext("Fortrudt (historikpost %(id)s)") % {"id": history_id})
            self.message_user(request, gettext("«%(unit)s» er sat tilbage.") % {"unit": reverted}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:centers_unit_history", args=[unit.pk]))
