"""The admin of the organisation: every change goes through `centers.services` as the requesting user, every
permission comes from `centers.rules`; previous versions are read-only for everyone, superusers included."""

from . import posts_tasks, reference, units
from .base import HistoryAdmin, RulePermissions, ServiceAdmin, ServiceCheckedForm, ServiceInline, parse_id

__all__ = [
    "HistoryAdmin",
    "RulePermissions",
    "ServiceAdmin",
    "ServiceCheckedForm",
    "ServiceInline",
    "parse_id",
    "posts_tasks",
    "reference",
    "units",
]
