"""Admin for committees, services, forums, networks and budget responsibility: the rules of centers.rules
(governance/rules.py), every write through centers.services, the history only read."""

from django.contrib import admin

from centers.admin import ServiceAdmin, ServiceInline

from .models import BudgetResponsibility, Committee, CommitteeService, Forum, Membership, Network


class MembershipInline(ServiceInline, admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["person"]


@admin.register(Committee)
class CommitteeAdmin(ServiceAdmin):
    list_display = ["name", "kind", "key", "municipality"]
    list_filter = ["municipality", "kind"]
    search_fields = ["name", "key"]
    inlines = [MembershipInline]


@admin.register(CommitteeService)
class CommitteeServiceAdmin(ServiceAdmin):
    list_display = ["committee", "unit", "post", "role", "version"]
    list_filter = ["version__municipality", "version", "role"]
    list_select_related = ["committee", "unit", "post", "version", "version__municipality"]
    raw_id_fields = ["version", "committee", "unit", "post"]


@admin.register(Forum)
class ForumAdmin(ServiceAdmin):
    list_display = ["name", "kind", "chair", "version"]
    list_filter = ["version__municipality", "version", "kind"]
    search_fields = ["name", "key"]
    list_select_related = ["chair", "version", "version__municipality"]
    raw_id_fields = ["version", "chair", "member_units", "member_posts"]


@admin.register(Network)
class NetworkAdmin(ServiceAdmin):
    list_display = ["name", "kind", "leader", "owner", "version"]
    list_filter = ["version__municipality", "version", "kind"]
    search_fields = ["name", "key"]
    list_select_related = ["leader", "owner", "version", "version__municipality"]
    raw_id_fields = ["version", "leader", "owner", "member_units"]


@admin.register(BudgetResponsibility)
class BudgetResponsibilityAdmin(ServiceAdmin):
    list_display = ["level", "name", "holder", "scope", "supported_by", "version"]
    list_filter = ["version__municipality", "version", "level"]
    list_select_related = ["holder", "scope", "supported_by", "version", "version__municipality"]
    raw_id_fields = ["version", "holder", "scope", "supported_by"]


@admin.register(Membership)
class MembershipAdmin(ServiceAdmin):
    list_display = ["person", "committee", "role", "party", "start", "end"]
    list_filter = ["committee__municipality", "committee"]
    list_select_related = ["person", "committee"]
    raw_id_fields = ["person", "committee"]
