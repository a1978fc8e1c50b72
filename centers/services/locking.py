"""Locks around tree writes. django-mptt's nested sets are not safe under concurrent writes on their own."""

from __future__ import annotations

from django.db import connection

from centers.models import OrgVersion

# Any constant shared by all writers: PostgreSQL serialises tree-id allocation on this advisory lock.
TREE_ALLOCATION_LOCK = 0x4F52474D


def lock_tree_allocation() -> None:
    """Serialise the allocation of MPTT tree ids (new roots) until the transaction ends.

    SQLite allows one writer at a time, so only PostgreSQL needs an explicit lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TREE_ALLOCATION_LOCK])


def lock_version(version: OrgVersion) -> OrgVersion:
    """Lock a version's tree for the rest of the transaction; every tree write of the version calls this."""
    return OrgVersion.objects.select_for_update().get(pk=version.pk)
