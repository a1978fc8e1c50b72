"""Municipalities, their sources, people and organisation versions (with drafting and adoption)."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from centers import services
from centers.models import Municipality, OrgVersion, Person, Source
from centers.rules import may
from centers.services.versions import ADOPT_VERSION, default_label

from .base import MUNICIPALITY_PARAM, MunicipalityFilter, ServiceAdmin, parse_id, refusal_text


@admin.register(Municipality)
class MunicipalityAdmin(ServiceAdmin):
    list_display = ["name", "slug", "kommunekode"]
    search_fields = ["name", "slug"]
    filter_horizontal = ["members"]
    url_fields = ("slug",)  # the slug is the municipality's public URL


@admin.register(Source)
class SourceAdmin(ServiceAdmin):
    list_display = ["key", "title", "municipality_column", "file"]
    list_filter = [("municipality", MunicipalityFilter)]
    search_fields = ["title", "key"]


@admin.register(Person)
class PersonAdmin(ServiceAdmin):
    """People; also the search behind every "Indehaver" autocomplete, which asks for one municipality's people
    (``?kommune=<id>``) inside the user's own municipalities."""

    list_display = ["name", "key", "municipality_column", "user"]
    list_filter = [("municipality", MunicipalityFilter)]
    search_fields = ["name", "key"]
    list_select_related = ["municipality", "user"]
    raw_id_fields = ["user"]

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        municipality = parse_id(request.GET.get(MUNICIPALITY_PARAM))
        if municipality is not None and request.path == reverse("admin:autocomplete"):
            queryset = queryset.filter(municipality_id=municipality)
        return queryset, may_have_duplicates


class CloneForm(forms.Form):
    """ "Lav udkast ud fra versionen": the new version's key (its address) and label."""

    key = forms.CharField(
        label=_("nøgle"),
        max_length=OrgVersion._meta.get_field("key").max_length,
        help_text=_("Versionens adresse, f.eks. «2027-udkast»: små bogstaver, tal og bindestreger."),
    )
    label = forms.CharField(label=_("betegnelse"), max_length=OrgVersion._meta.get_field("label").max_length)


class AdoptForm(forms.Form):
    """ "Vedtag versionen": from when it applies, and the decision."""

    effective_from = forms.DateField(
        label=_("gældende fra"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    decided_on = forms.DateField(
        label=_("besluttet den"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Tom: i dag."),
    )
    decided_by = forms.CharField(
        label=_("besluttet af"),
        required=False,
        max_length=OrgVersion._meta.get_field("decided_by").max_length,
        help_text=_("F.eks. Kommunalbestyrelsen."),
    )


def long_date(value: datetime.date | None) -> str:
    return date_format(value, "DATE_FORMAT") if value else ""


@admin.register(OrgVersion)
class OrgVersionAdmin(ServiceAdmin):
    """A previous version is read-only; the status of a version is not edited here (adoption changes it), nor
    its municipality; its key is its public URL. Two actions, each asking on a page of its own before anything is
    written: a new draft from any version (`services.clone_version`) and the adoption of a draft or proposal
    (`services.adopt_version`)."""

    list_display = ["label", "municipality_column", "key", "status", "effective_from", "effective_to", "decided_on"]
    list_filter = [("municipality", MunicipalityFilter), "status"]
    search_fields = ["label", "key"]
    list_select_related = ["municipality"]
    raw_id_fields = ["based_on"]
    url_fields = ("key",)
    actions = ["clone", "adopt"]
    nothing_selected = _("Vælg en version for at bruge handlingen.")
    clone_template = "admin/centers/orgversion/clone_form.html"
    adopt_template = "admin/centers/orgversion/adopt_form.html"

    def get_exclude(self, request, obj=None):
        return ["municipality"] if obj is not None else super().get_exclude(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["status", "municipality_column", *super().get_readonly_fields(request, obj)]

    def has_adopt_permission(self, request) -> bool:
        return may(request.user, ADOPT_VERSION)

    def one_version(self, request, queryset) -> OrgVersion | None:
        """The single version an action acts on; several are refused with a message."""
        versions = list(queryset.select_related("municipality", "based_on")[:2])
        if len(versions) != 1:
            self.message_user(request, gettext("Vælg netop én version for at bruge handlingen."), messages.WARNING)
            return None
        return versions[0]

    def action_page(self, request, template: str, version: OrgVersion, form, **context) -> TemplateResponse:
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "version": version,
                "form": form,
                "action": request.POST.get("action", ""),
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
                "changelist_url": reverse("admin:centers_orgversion_changelist"),
                "media": self.media + form.media,
                **context,
            },
        )

    def refused(self, request, error: Exception, form=None) -> None:
        """A refusal in the rule's words as a message, and on the form's field it concerns."""
        self.message_user(request, refusal_text(error), messages.ERROR)
        if form is not None and isinstance(error, services.EditRefused):
            for field, field_messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_messages)

    @admin.action(description=_("Lav udkast ud fra versionen"), permissions=["add"])
    def clone(self, request, queryset):
        """Asks the new draft's key and label, then copies the version through `services.clone_version`."""
        version = self.one_version(request, queryset)
        if version is None:
            return None
        form = CloneForm(request.POST if "apply" in request.POST else None, initial={"label": default_label(version)})
        if form.is_valid():
            try:
                clone = services.clone_version(
                    version, form.cleaned_data["key"], actor=request.user, label=form.cleaned_data["label"]
                )
            except services.NotPermitted as error:
                self.refused(request, error)
                return None
            except services.EditRefused as error:
                self.refused(request, error, form)
            else:
                self.log_addition(request, clone, gettext("Udkast baseret på «%(version)s»") % {"version": version})
                self.message_user(
                    request,
                    gettext("Udkastet «%(clone)s» er oprettet ud fra «%(version)s» med %(units)d enheder.")
                    % {"clone": clone.label, "version": version.label, "units": clone.units.count()},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:centers_orgversion_change", args=[clone.pk]))
        return self.action_page(
            request,
            self.clone_template,
            version,
            form,
            title=gettext("Lav udkast ud fra «%(version)s»") % {"version": version.label},
            units=version.units.count(),
        )

    @admin.action(description=_("Vedtag versionen"), permissions=["adopt"])
    def adopt(self, request, queryset):
        """Asks from when the version applies and who decided it, says what becomes of the current version, and
        adopts through `services.adopt_version`."""
        version = self.one_version(request, queryset)
        if version is None:
            return None
        current = version.municipality.versions.filter(status=OrgVersion.Status.CURRENT).first()
        try:
            services.check_adoption(version, None, actor=request.user, current=current)
        except (services.NotPermitted, services.EditRefused) as error:
            self.refused(request, error)
            return None
        initial = {"decided_on": timezone.localdate(), "decided_by": version.decided_by}
        if version.effective_from:
            initial["effective_from"] = version.effective_from
        form = AdoptForm(request.POST if "apply" in request.POST else None, initial=initial)
        if form.is_valid():
            try:
                adopted = services.adopt_version(
                    version,
                    form.cleaned_data["effective_from"],
                    actor=request.user,
                    decided_on=form.cleaned_data["decided_on"],
                    decided_by=form.cleaned_data["decided_by"],
                )
            except services.NotPermitted as error:
                self.refused(request, error)
                return None
            except services.EditRefused as error:
                self.refused(request, error, form)
            else:
                self.log_change(request, adopted, gettext("Vedtaget"))
                self.message_user(request, self.adopted_message(adopted, current), messages.SUCCESS)
                return None
        return self.action_page(
            request,
            self.adopt_template,
            version,
            form,
            title=gettext("Vedtag «%(version)s»") % {"version": version.label},
            current=current,
            current_from=long_date(current.effective_from) if current else "",
        )

    def adopted_message(self, adopted: OrgVersion, replaced: OrgVersion | None) -> str:
        message = gettext("«%(version)s» er vedtaget og gælder fra %(date)s.") % {
            "version": adopted.label,
            "date": long_date(adopted.effective_from),
        }
        if replaced is None:
            return message
        replaced.refresh_from_db()
        return " ".join(
            [
                message,
                gettext("«%(version)s» er nu en tidligere version, der gælder til og med %(date)s.")
                % {"version": replaced.label, "date": long_date(replaced.effective_to)},
            ]
        )
