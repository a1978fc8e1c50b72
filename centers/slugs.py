"""Municipality slugs that cannot be used: the first path segment of the site's own pages.

A municipality lives at `/<slug>/`, and that route comes after the site's own top-level pages, so a municipality
with the slug of one of them could never be reached (and one added later would shadow a municipality). The
structure loader and the model validator both ask `reserved_slug_problem`; a test derives every literal first
path segment from the URL configuration and checks that it is here.
"""

from __future__ import annotations

from .invariants import Problem

RESERVED_SLUGS = frozenset(
    {
        "admin",  # the editing admin
        "api",  # the REST API (planned)
        "i18n",  # the language switch
        "soeg",  # the search page
        "static",  # STATIC_URL (whitenoise)
        "media",  # MEDIA_URL, should uploads ever be served
    }
)


def reserved_slug_problem(slug: str) -> Problem | None:
    """Why `slug` cannot be a municipality's slug, or None if it can."""
    if slug.lower() in RESERVED_SLUGS:
        return Problem("slug", "reserved_slug", {"slug": slug.lower()})
    return None
