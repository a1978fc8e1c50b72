"""The API's answer to a refusal: a broken rule is 400 with the fields it names, a missing permission 403 with
the rule that stops the caller, a missing element 404, never 500 (DRF's own handler knows none of Django's
ValidationError, and the services' refusals are ValidationError and PermissionDenied)."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def field_errors(error: ValidationError) -> dict[str, list[str]]:
    """A Django ValidationError as DRF's field errors ({"field": ["message"]}; unattached ones as "detail")."""
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if field == NON_FIELD_ERRORS else field): messages
            for field, messages in error.message_dict.items()
        }
    return {"non_field_errors": list(error.messages)}


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, ValidationError):
        return Response(field_errors(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PermissionDenied) and str(exc):
        # the services' NotPermitted says which rule stops the caller; DRF's own mapping would drop it
        exc = exceptions.PermissionDenied(str(exc))
    return drf_exception_handler(exc, context)
