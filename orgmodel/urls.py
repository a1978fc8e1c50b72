"""URL configuration: admin, language switch, and the apps' pages."""

from django.contrib import admin
from django.urls import include, path

from centers.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("governance.urls")),
    path("", include("centers.urls")),
]
