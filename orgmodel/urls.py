"""URL configuration: admin, language switch, the REST API, and the apps' pages."""

from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from centers.views import HomeView

admin.site.site_header = _("Orgmodel: redigering")
admin.site.site_title = "Orgmodel"
admin.site.index_title = _("Organisation og politik")

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    # Pages link their icon; this answers browsers that ask for /favicon.ico anyway (the admin's pages).
    path("favicon.ico", lambda request: redirect(static("favicon.svg"), permanent=True)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Before the apps' pages: their "<slug:slug>/" would take /api/ for a municipality ("api" is reserved).
    path("api/", include("orgmodel.api_urls")),
    path("", include("governance.urls")),
    path("", include("centers.urls")),
]
