"""Locks around tree writes. django-mptt's nested sets are not safe under concurrent writes on their own.

Every edit locks its version's row (`SELECT … FOR UPDATE`): edits of one version are serialised. On PostgreSQL
the allocation of tree ids is guarded by an advisory lock: edits inside existing trees take it shared (so two
municipalities never wait for each other), while anything that creates a tree or shifts tree ids (a new
directorate, a root-level move, a load, deleting a version) takes it exclusively. SQLite has one writer anyway.
"""

from __future__ import annotations

from django.db import connection
from django.utils.translation import gettext as _

from centers.models import OrgVersion

from .errors import NotPermitted

# Any constant shared by all writers: PostgreSQL serialises tree-id allocation on this advisory lock.
TREE_ALLOCATION_LOCK = 0x4F52474D


def lock_tree_allocation(*, exclusive: bool = True) -> None:
    """Hold the tree-id allocation lock until the transaction ends (shared: only keep allocation out)."""
    if connection.vendor == "postgresql":
        function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {function}(%s)", [TREE_ALLOCATION_LOCK])


def lock_version(version: OrgVersion) -> OrgVersion:
    """Lock a version's tree for the rest of the transaction; every tree write of the version calls this."""
    return OrgVersion.objects.select_related("municipality").select_for_update(of=("self",)).get(pk=version.pk)


def lock_editable(version: OrgVersion, *, allocates: bool = False) -> OrgVersion:
    """Lock a version for an edit, refusing a previous (read-only) version."""
    lock_tree_allocation(exclusive=allocates)
    version = lock_version(version)
    if version.is_read_only:
        raise NotPermitted(_("Versionen «%(version)s» er historisk og kan ikke ændres.") % {"version": version.label})
    return version
