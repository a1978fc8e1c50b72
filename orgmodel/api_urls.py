"""The REST API under /api/: one router for the apps' routes, the OpenAPI schema and its documentation."""

from django.urls import include, path, re_path
from django.utils.translation import gettext as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.decorators import api_view, permission_classes, schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from centers.api.views import register as register_organisation
from governance.api.views import register as register_governance


class Router(DefaultRouter):
    include_format_suffixes = False


router = Router()
register_organisation(router)
register_governance(router)


@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@permission_classes([AllowAny])
@schema(None)
def unknown_address(request, rest):
    """Any other address under /api/ answers the API's JSON 404, not the site's HTML page."""
    raise NotFound(_("Ukendt adresse i API'et: /api/%(rest)s") % {"rest": rest})


app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
    re_path(r"^(?P<rest>.*)$", unknown_address),
]
