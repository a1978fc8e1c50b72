"""Municipalities, their sources, people and organisation versions."""

from django.contrib import admin
from django.urls import reverse

from centers.models import Municipality, OrgVersion, Person, Source

from .base import MUNICIPALITY_PARAM, MunicipalityFilter, ServiceAdmin, parse_id


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


@admin.register(OrgVersion)
class OrgVersionAdmin(ServiceAdmin):
    """A previous version is read-only; the status of a version is not edited here (adoption changes it), nor
    its municipality; its key is its public URL."""

    list_display = ["label", "municipality_column", "key", "status", "effective_from", "effective_to", "decided_on"]
    list_filter = [("municipality", MunicipalityFilter), "status"]
    search_fields = ["label", "key"]
    list_select_related = ["municipality"]
    raw_id_fields = ["based_on"]
    url_fields = ("key",)

    def get_exclude(self, request, obj=None):
        return ["municipality"] if obj is not None else super().get_exclude(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["status", "municipality_column", *super().get_readonly_fields(request, obj)]
