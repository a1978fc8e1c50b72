"""Municipalities, their sources, people and organisation versions."""

from django.contrib import admin

from centers.models import Municipality, OrgVersion, Person, Source

from .base import ServiceAdmin


@admin.register(Municipality)
class MunicipalityAdmin(ServiceAdmin):
    list_display = ["name", "slug", "kommunekode"]
    search_fields = ["name", "slug"]
    filter_horizontal = ["members"]

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj is not None else []  # the slug is the municipality's public URL


@admin.register(Source)
class SourceAdmin(ServiceAdmin):
    list_display = ["key", "title", "municipality", "file"]
    list_filter = ["municipality"]
    search_fields = ["title", "key"]


@admin.register(Person)
class PersonAdmin(ServiceAdmin):
    list_display = ["name", "key", "municipality", "user"]
    list_filter = ["municipality"]
    search_fields = ["name", "key"]
    list_select_related = ["municipality", "user"]
    raw_id_fields = ["user"]


@admin.register(OrgVersion)
class OrgVersionAdmin(ServiceAdmin):
    """A previous version is read-only; the status of a version is not edited here (adoption changes it)."""

    list_display = ["label", "municipality", "key", "status", "effective_from", "effective_to", "decided_on"]
    list_filter = ["municipality", "status"]
    search_fields = ["label", "key"]
    list_select_related = ["municipality"]
    raw_id_fields = ["based_on"]

    def get_readonly_fields(self, request, obj=None):
        return ["status", "key", "municipality"] if obj is not None else []
