"""Municipality slugs and version keys that cannot be used: the path segments of the site's own pages.

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
        "api",  # the REST API
        "i18n",  # the language switch
        "soeg",  # the search page
        "static",  # STATIC_URL (whitenoise)
        "media",  # MEDIA_URL, should uploads ever be served
    }
)

# Literal segments that follow a municipality's slug in the site's own pages (/<slug>/personer/<person>/). Those
# routes come before the version pages (/<slug>/<version>/...), so a version with such a key would lose its
# pages to them; the loader and the model refuse it, and a test derives the segments from the URL configuration.
RESERVED_VERSION_KEYS = frozenset({"personer", "sammenlign"})


def reserved_version_key_problem(key: str) -> Problem | None:
    """Why `key` cannot be a version's key, or None if it can."""
    if key.lower() in RESERVED_VERSION_KEYS:
        return Problem("key", "reserved_version_key", {"key": key.lower()})
    return None


def reserved_slug_problem(slug: str) -> Problem | None:
    """Why `slug` cannot be a municipality's slug, or None if it can."""
    if slug.lower() in RESERVED_SLUGS:
        return Problem("slug", "reserved_slug", {"slug": slug.lower()})
    return None
