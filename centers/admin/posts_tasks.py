"""Posts and tasks outside a unit's form; saved and deleted through `centers.services`."""

from django.contrib import admin

from centers.models import Post, Task

from .base import ServiceAdmin
from .forms import PostForm, TaskForm
from .units import VersionFromFilters


class VersionedRowAdmin(VersionFromFilters, ServiceAdmin):
    def get_queryset(self, request):
        return super().get_queryset(request).select_related("version", "unit")

    def get_readonly_fields(self, request, obj=None):
        return ["version", "key"] if obj is not None else []


@admin.register(Post)
class PostAdmin(VersionedRowAdmin):
    form = PostForm
    list_display = ["title", "kind", "key", "unit", "holder", "version"]
    list_filter = ["version__municipality", "version", "kind"]
    search_fields = ["title", "key", "holder__name"]
    list_select_related = ["unit", "holder", "version", "version__municipality"]


@admin.register(Task)
class TaskAdmin(VersionedRowAdmin):
    form = TaskForm
    list_display = ["name", "key", "unit", "version"]
    list_filter = ["version__municipality", "version"]
    search_fields = ["name", "key"]
    list_select_related = ["unit", "version", "version__municipality"]
