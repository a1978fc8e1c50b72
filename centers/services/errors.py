"""What the services answer when they refuse: a broken rule (400 in the API) or a missing permission (403)."""

from django.core.exceptions import PermissionDenied, ValidationError


class EditRefused(ValidationError):
    """The change breaks a rule of the organisation; `message_dict` names the field."""


class NotPermitted(PermissionDenied):
    """The actor may not make this change (outside their portfolio or municipality, or a previous version)."""
