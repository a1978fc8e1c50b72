"""Request hardening around every view: input PostgreSQL cannot store is refused, the Content-Security-Policy
is set (django-csp), and the login lockout (django-axes) applies to every login that comes through a request."""

from axes.backends import AxesStandaloneBackend
from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.core.exceptions import BadRequest
from django.http import HttpRequest, JsonResponse

# PostgreSQL refuses NUL in any text value ("A string literal cannot contain NUL (0x00) characters"); a URL
# or a query value carrying one would otherwise reach the ORM and end as a 500.
REFUSED_CHARACTERS = ("\x00",)


def _refused(text: str) -> bool:
    return any(character in text for character in REFUSED_CHARACTERS)


class RefuseUnstorableInputMiddleware:
    """Answers 400 when the path, a query parameter's name or value, or a cookie holds a NUL character, the
    same on SQLite and PostgreSQL (in JSON under /api/). Form fields need no check here: Django's form fields
    refuse NUL already."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if (
            _refused(request.path)
            or _refused(request.path_info)
            or any(_refused(key) or any(_refused(value) for value in values) for key, values in request.GET.lists())
            or any(_refused(key) or _refused(value) for key, value in request.COOKIES.items())
        ):
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": "NUL character in the URL, the query or a cookie"}, status=400)
            raise BadRequest("NUL character in the URL, the query or a cookie")
        return self.get_response(request)


class LoginLockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout for every login made through a request (the admin's login form).

    `authenticate()` without a request (a management command, the test client's `login()`) has no client
    address to count failures against; axes would raise there, so the check is left out and the next backend
    decides. Logins over HTTP always pass the request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class SiteCSPMiddleware(CSPMiddleware):
    """settings.CONTENT_SECURITY_POLICY everywhere; in the admin also inline style attributes, with which
    django-mptt's tree (and the unit list's indented names) indent the rows."""

    ADMIN_ADDITIONS = {"style-src-attr": [UNSAFE_INLINE]}

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        match = getattr(request, "resolver_match", None)
        if not report_only and match is not None and "admin" in match.app_names:
            parts.update = {**self.ADMIN_ADDITIONS, **(parts.update or {})}
        return parts
