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
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from mptt.admin import DraggableMPTTAdmin

from centers import selectors, services
from centers.models import Municipality, OrgVersion, Post, Task, Unit
from centers.rules import DIRECTOR, editable_units, is_global, municipality_ids, role_names
from centers.services.errors import no_portfolio, portfolio_sentence, refusal_reason

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
# What `services.revert_unit` brings back from a historical record (shown before the user confirms).
REVERTED_FIELDS = ("parent", "name", "name_en", "head", "responsible")


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
    """The unit's posts, narrow enough for a laptop: the holder by name (autocomplete over the municipality's
    people), the post it reports to from the version; the rest of a post in its own form (the link)."""

    model = Post
    form = PostInlineForm
    formset = VersionedInlineFormSet
    fk_name = "unit"
    extra = 0
    fields = ["key", "title", "kind", "holder", "reports_to"]
    autocomplete_fields = ["holder"]
    show_change_link = True
    classes = ["posts-inline"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            formset.form = type(formset.form.__name__, (formset.form,), {"version": obj.version})
        return formset


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
    # A unit stays in its version and keeps its key (its public URL); its kind decides which rules of the tree
    # apply, so it is set when the unit is created.
    url_fields = ("key",)
    nothing_selected = _("Vælg mindst én enhed for at bruge handlingen.")
    object_history_template = "admin/centers/unit/object_history.html"
    action_template = "admin/centers/unit/action_form.html"
    confirm_responsible_template = "admin/centers/unit/assign_responsible_confirmation.html"
    revert_template = "admin/centers/unit/revert_confirmation.html"

    class Media:
        js = ["js/admin-drop-targets.js"]

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
        """The current (else first) version of the user's own municipality: the one of the person linked to the
        user, else the first they work in (an administrator who works in none: the first of all)."""
        user = request.user
        municipalities = Municipality.objects.order_by("name")
        if not is_global(user):
            municipalities = municipalities.filter(pk__in=municipality_ids(user))
        municipality = (
            municipalities.filter(people__user=user).first()
            or municipalities.filter(members=user).first()
            or municipalities.first()
        )
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
            **(self.guidance(request, version) if version is not None else {}),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context=context)

    # --- who may change which rows -----------------------------------------------------------------------

    def editable_units(self, request) -> frozenset[int] | None:
        """Ids of the filtered version's units the user may change (None: all), read once per request; with
        them the names of the portfolio's top units (those whose parent the user may not change)."""
        if not hasattr(request, "_orgmodel_editable_units"):
            version = self.filtered_version(request)
            condition = editable_units(request.user, version) if version else Q(pk__in=[])
            if condition is None:
                request._orgmodel_editable_units, request._orgmodel_areas = None, []
            else:
                rows = list(
                    Unit.objects.filter(condition, version=version)
                    .order_by("tree_id", "lft")
                    .values_list("pk", "parent_id", "name")
                )
                editable = frozenset(pk for pk, _parent, _name in rows)
                request._orgmodel_editable_units = editable
                request._orgmodel_areas = [name for _pk, parent, name in rows if parent not in editable]
        return request._orgmodel_editable_units

    def guidance(self, request, version: OrgVersion) -> dict:
        """What the user may change in `version`, in the rules' words: "Din portefølje: Velfærd (6 enheder).",
        or why nothing (with the versions where a director's portfolio is, if elsewhere)."""
        editable = self.editable_units(request)
        if version.is_read_only or editable is None:
            return {}
        director = DIRECTOR in role_names(request.user)
        if editable:
            return {"portfolio": portfolio_sentence(request._orgmodel_areas, len(editable))} if director else {}
        if not director:
            return {"cannot_change": refusal_reason(request.user, "centers.change_unit", version)}
        elsewhere = (
            OrgVersion.objects.filter(
                units__responsible__holder__user=request.user, municipality_id__in=municipality_ids(request.user)
            )
            .exclude(pk=version.pk)
            .exclude(status=OrgVersion.Status.PREVIOUS)
            .select_related("municipality")
            .distinct()
            .order_by("municipality__name", "effective_from", "key")
        )
        return {"cannot_change": no_portfolio(version), "portfolio_elsewhere": list(elsewhere)}

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

    def get_changelist_instance(self, request):
        """Mark the rows the user may act on: only they get a selection checkbox."""
        changelist = super().get_changelist_instance(request)
        editable = self.editable_units(request)
        for unit in changelist.result_list:
            unit.may_act = editable is None or unit.pk in editable
        return changelist

    def action_checkbox(self, unit):
        if getattr(unit, "may_act", False):
            return super().action_checkbox(unit)
        return mark_safe('<span class="no-action"></span>')

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
            self.message_user(request, refusal_reason(request.user, "centers.change_unit", unit), messages.ERROR)
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
        return ["version", "kind", *super().get_readonly_fields(request, obj)] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            form.save_edits(request.user)
        else:
            services.create_unit(obj, actor=request.user)

    # --- actions -----------------------------------------------------------------------------------------

    def get_actions(self, request):
        """Moves and assignments where the user may change a unit; no bulk delete (it would bypass the version
        lock)."""
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        version = self.filtered_version(request)
        if version is None or version.is_read_only or self.editable_units(request) == frozenset():
            return {}
        return actions

    def action_context(self, request, units, *, title: str, action: str) -> dict:
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "units": units,
            "action": action,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "changelist_url": f"{reverse('admin:centers_unit_changelist')}?{request.GET.urlencode()}",
        }

    def action_page(self, request, units, form, *, title: str, action: str, submit: str) -> TemplateResponse:
        context = {
            **self.action_context(request, units, title=title, action=action),
            "form": form,
            "submit_label": submit,
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
        """Offers as the new parent the units the user may change, but neither a selected unit nor one under it."""
        version = self.filtered_version(request)
        units = list(queryset.order_by("tree_id", "lft"))
        targets = Unit.objects.filter(version=version).order_by("tree_id", "lft")
        condition = editable_units(request.user, version)
        if condition is not None:
            targets = targets.filter(condition)
        for unit in units:
            targets = targets.exclude(tree_id=unit.tree_id, lft__gte=unit.lft, rght__lte=unit.rght)
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
        """Asks for the director post, then for a confirmation that says what the hand-over means."""
        version = self.filtered_version(request)
        units = list(queryset.order_by("tree_id", "lft").select_related("responsible__holder"))
        form = AssignResponsibleForm(request.POST if "apply" in request.POST else None, version=version)
        if not form.is_valid():
            return self.action_page(
                request,
                units,
                form,
                title=gettext("Tildel ansvarlig direktør"),
                action="assign_responsible",
                submit=gettext("Videre"),
            )
        post = form.cleaned_data["post"]
        if "confirm" not in request.POST:
            context = {
                **self.action_context(
                    request, units, title=gettext("Bekræft ny ansvarlig direktør"), action="assign_responsible"
                ),
                "post": post,
                "post_display": post_with_holder(post),
                "rows": [(unit, post_with_holder(unit.responsible), unit.get_descendant_count()) for unit in units],
            }
            return TemplateResponse(request, self.confirm_responsible_template, context)
        self.apply_to_each(
            request,
            units,
            lambda unit: services.set_responsible(unit, post, actor=request.user),
            gettext("ansvarlig direktør er nu «%(post)s»") % {"post": post_with_holder(post)},
        )
        return None

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
        """Besides the changes in words: for a change the record to go back to ("Fortryd")."""
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        records = list(historical_records)
        for index, record in enumerate(records):
            record.revert_to = None
            if record.history_type == "~":
                before = records[index + 1] if index + 1 < len(records) else record.prev_record
                record.revert_to = before.history_id if before is not None else None

    def revert_changes(self, unit: Unit, record) -> tuple[list[dict], dict]:
        """What going back to `record` changes: rows to show (field, now, after) and the changes to check with
        the services. A former parent that no longer exists is shown as nothing and left to the revert to refuse."""
        parents = {row.pk: row for row in Unit.objects.filter(pk__in={record.parent_id, unit.parent_id} - {None})}
        post_ids = {record.head_id, record.responsible_id, unit.head_id, unit.responsible_id} - {None}
        posts = {row.pk: row for row in Post.objects.filter(pk__in=post_ids).select_related("holder")}
        shown, changes = [], {}
        for field in REVERTED_FIELDS:
            if field in {"name", "name_en"}:
                now, then = getattr(unit, field), getattr(record, field)
                display, value = (now, then), then
            else:
                now, then = getattr(unit, f"{field}_id"), getattr(record, f"{field}_id")
                rows = parents if field == "parent" else posts
                name = (lambda row: row.name) if field == "parent" else post_with_holder
                display = tuple(name(rows[pk]) if pk in rows else None for pk in (now, then))
                value = rows.get(then)
            if now == then:
                continue
            shown.append(
                {"field": capfirst(Unit._meta.get_field(field).verbose_name), "now": display[0], "then": display[1]}
            )
            if field != "parent" or value is not None:
                changes[field] = value
        return shown, changes

    def revert_view(self, request, object_id, history_id):
        """GET: what «Fortryd» will change, and a button; POST: undo the change through `services.revert_unit`."""
        if request.method not in {"GET", "POST"}:
            return HttpResponseNotAllowed(["GET", "POST"])
        unit = self.get_object(request, unquote(object_id))
        if unit is None:
            raise Http404
        if not self.has_change_permission(request, unit):
            raise PermissionDenied
        if request.method == "GET":
            return self.revert_confirmation(request, unit, history_id)
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

    def revert_confirmation(self, request, unit: Unit, history_id: int) -> TemplateResponse:
        record = unit.history.filter(history_id=history_id).select_related("history_user").first()
        if record is None:
            raise Http404
        shown, changes = self.revert_changes(unit, record)
        refusal = None
        if changes:
            try:
                services.check_unit_edits(unit, changes, actor=request.user)
            except (services.EditRefused, services.NotPermitted) as error:
                refusal = refusal_text(error)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Fortryd ændringer af «%(unit)s»") % {"unit": unit},
            "opts": self.opts,
            "object": unit,
            "record": record,
            "changes": shown,
            "refusal": refusal,
            "history_url": reverse("admin:centers_unit_history", args=[unit.pk]),
        }
        return TemplateResponse(request, self.revert_template, context)
