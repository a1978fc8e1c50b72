"""The REST API under /api/: one router for the apps' routes, the OpenAPI schema and its documentation."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from centers.api.views import register as register_organisation
from governance.api.views import register as register_governance


class Router(DefaultRouter):
    include_format_suffixes = False


router = Router()
register_organisation(router)
register_governance(router)

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]
