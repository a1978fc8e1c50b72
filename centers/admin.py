"""Admin registration for the organisation models (read and edit; directors' editing is built on this)."""

from django.contrib import admin
from mptt.admin import MPTTModelAdmin

from .models import Municipality, OrgVersion, Person, Post, Source, Task, Unit


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kommunekode"]
    search_fields = ["name", "slug"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["key", "title", "municipality", "file"]
    list_filter = ["municipality"]
    search_fields = ["title", "key"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["name", "key"]


@admin.register(OrgVersion)
class OrgVersionAdmin(admin.ModelAdmin):
    list_display = ["label", "municipality", "key", "status", "effective_from", "effective_to", "decided_on"]
    list_filter = ["municipality", "status"]
    search_fields = ["label", "key"]
    list_select_related = ["municipality"]
    raw_id_fields = ["based_on"]


class PostInline(admin.TabularInline):
    model = Post
    fk_name = "unit"
    extra = 0
    fields = ["key", "title", "kind", "holder", "reports_to"]
    raw_id_fields = ["holder", "reports_to"]


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0
    fields = ["key", "name", "name_en", "version"]
    raw_id_fields = ["version"]


@admin.register(Unit)
class UnitAdmin(MPTTModelAdmin):
    list_display = ["name", "kind", "key", "version"]
    list_filter = ["version__municipality", "version", "kind"]
    search_fields = ["name", "name_en", "key"]
    list_select_related = ["version", "version__municipality"]
    raw_id_fields = ["version", "parent", "head", "responsible", "formed_from"]
    inlines = [PostInline, TaskInline]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "key", "unit", "holder", "version"]
    list_filter = ["version__municipality", "version", "kind"]
    search_fields = ["title", "key", "holder__name"]
    list_select_related = ["unit", "holder", "version", "version__municipality"]
    raw_id_fields = ["version", "unit", "holder", "reports_to"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "unit", "version"]
    list_filter = ["version__municipality", "version"]
    search_fields = ["name", "key"]
    list_select_related = ["unit", "version", "version__municipality"]
    raw_id_fields = ["version", "unit"]
