"""Posts, their duties and tasks outside a unit's form; saved and deleted through `centers.services`."""

from django.contrib import admin

from centers.models import Duty, Post, Task

from .base import MunicipalityFilter, ServiceAdmin, ServiceInline
from .forms import DutyForm, DutyInlineForm, PostForm, TaskForm, VersionedInlineFormSet
from .units import VersionFromFilters


class VersionedRowAdmin(VersionFromFilters, ServiceAdmin):
    """A row stays in its version, and keeps its key (a post's key is its public URL; a task's key follows it
    across versions)."""

    url_fields = ("key",)
    row_relations = ("version", "unit")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.row_relations)

    def get_readonly_fields(self, request, obj=None):
        return ["version", *super().get_readonly_fields(request, obj)] if obj is not None else []


class DutyInline(ServiceInline, admin.TabularInline):
    """The duties the source gives the post, in the post's form."""

    model = Duty
    form = DutyInlineForm
    formset = VersionedInlineFormSet
    fk_name = "post"
    extra = 0
    fields = ["key", "name", "name_en", "source"]


@admin.register(Post)
class PostAdmin(VersionedRowAdmin):
    form = PostForm
    inlines = [DutyInline]
    list_display = ["title", "kind", "key", "unit", "holder", "version"]
    list_filter = [("version__municipality", MunicipalityFilter), "version", "kind"]
    search_fields = ["title", "key", "holder__name"]
    list_select_related = ["unit", "holder", "version", "version__municipality"]
    autocomplete_fields = ["holder"]


@admin.register(Task)
class TaskAdmin(VersionedRowAdmin):
    form = TaskForm
    list_display = ["name", "key", "unit", "version"]
    list_filter = [("version__municipality", MunicipalityFilter), "version"]
    search_fields = ["name", "key"]
    list_select_related = ["unit", "version", "version__municipality"]


@admin.register(Duty)
class DutyAdmin(VersionedRowAdmin):
    form = DutyForm
    list_display = ["name", "key", "post", "version"]
    list_filter = [("version__municipality", MunicipalityFilter), "version"]
    search_fields = ["name", "key", "post__title"]
    list_select_related = ["post", "version", "version__municipality"]
    row_relations = ("version", "post")
