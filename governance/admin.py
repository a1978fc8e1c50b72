"""Admin for committees, services, forums, networks and budget responsibility: the rules of centers.rules
(governance/rules.py), every write through centers.services, the history only read."""

from django.contrib import admin

from centers.admin import ServiceAdmin, ServiceInline
from centers.admin.base import MunicipalityFilter, ask_for_people_of

from .models import BudgetResponsibility, Committee, CommitteeService, Forum, Membership, Network


class MembershipInline(ServiceInline, admin.TabularInline):
    """A committee's members, chosen by name among the committee's municipality's people."""

    model = Membership
    extra = 0
    autocomplete_fields = ["person"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            ask_for_people_of(formset.form.base_fields.get("person"), obj.municipality_id)
        return formset


@admin.register(Committee)
class CommitteeAdmin(ServiceAdmin):
    list_display = ["name", "kind", "key", "municipality_column"]
    list_filter = [("municipality", MunicipalityFilter), "kind"]
    search_fields = ["name", "key"]
    inlines = [MembershipInline]
    url_fields = ("key",)  # the committee's public URL


@admin.register(CommitteeService)
class CommitteeServiceAdmin(ServiceAdmin):
    list_display = ["committee", "unit", "post", "role", "version"]
    list_filter = [("version__municipality", MunicipalityFilter), "version", "role"]
    list_select_related = ["committee", "unit", "post", "version", "version__municipality"]
    raw_id_fields = ["version", "committee", "unit", "post"]


@admin.register(Forum)
class ForumAdmin(ServiceAdmin):
    list_display = ["name", "kind", "chair", "version"]
    list_filter = [("version__municipality", MunicipalityFilter), "version", "kind"]
    search_fields = ["name", "key"]
    list_select_related = ["chair", "version", "version__municipality"]
    raw_id_fields = ["version", "chair", "member_units", "member_posts"]
    url_fields = ("key",)  # the forum's public URL


@admin.register(Network)
class NetworkAdmin(ServiceAdmin):
    list_display = ["name", "kind", "leader", "owner", "version"]
    list_filter = [("version__municipality", MunicipalityFilter), "version", "kind"]
    search_fields = ["name", "key"]
    list_select_related = ["leader", "owner", "version", "version__municipality"]
    raw_id_fields = ["version", "leader", "owner", "member_units"]
    url_fields = ("key",)  # the network's public URL


@admin.register(BudgetResponsibility)
class BudgetResponsibilityAdmin(ServiceAdmin):
    list_display = ["level", "name", "holder", "scope", "supported_by", "version"]
    list_filter = [("version__municipality", MunicipalityFilter), "version", "level"]
    list_select_related = ["holder", "scope", "supported_by", "version", "version__municipality"]
    raw_id_fields = ["version", "holder", "scope", "supported_by"]


@admin.register(Membership)
class MembershipAdmin(ServiceAdmin):
    list_display = ["person", "committee", "role", "party", "start", "end"]
    list_filter = [("committee__municipality", MunicipalityFilter), "committee"]
    list_select_related = ["person", "committee"]
    autocomplete_fields = ["person"]
    raw_id_fields = ["committee"]
