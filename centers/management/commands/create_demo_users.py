"""Demo users, one per role and municipality, for trying the admin on a development machine."""

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count

from centers import rules, selectors, services
from centers.models import Municipality, OrgVersion, Person, Post, PostKind, Unit

PASSWORD_VARIABLE = "ORGMODEL_DEMO_PASSWORD"
ADMINISTRATOR_USERNAME = "administrator"
DEMO_DIRECTOR_KEY = "demo-direktoer"
SHOWN_PORTFOLIO_UNITS = 4


def candidate_versions(municipality: Municipality) -> list[OrgVersion]:
    """Where to look for the demo director's post: the current version, else the version a visitor sees first,
    then the other editable (proposed, draft) versions, newest first."""
    versions = list(municipality.versions.all())
    current = [version for version in versions if version.status == OrgVersion.Status.CURRENT]
    editable = sorted(
        (version for version in versions if not version.is_read_only),
        key=lambda version: (version.effective_from is not None, version.effective_from, version.pk),
        reverse=True,
    )
    ordered = [*current, selectors.default_version(municipality), *editable]
    return [version for index, version in enumerate(ordered) if version is not None and version not in ordered[:index]]


def responsible_director_post(versions: list[OrgVersion]) -> Post | None:
    """In the first version that has one: the director post answerable for the most units (ties: by key)."""
    for version in versions:
        post = (
            Post.objects.filter(version=version, kind=PostKind.DIRECTOR)
            .annotate(units=Count("responsible_for"))
            .filter(units__gt=0)
            .select_related("holder", "version")
            .order_by("-units", "key")
            .first()
        )
        if post is not None:
            return post
    return None


class Command(BaseCommand):
    help = (
        "Create or update demo users (staff, not superusers) for every loaded municipality: <slug>-laeser "
        "(Læser), <slug>-direktoer (Direktør), <slug>-kommunaldirektoer (Kommunaldirektør), and one "
        "'administrator' (Administrator). The director is linked to the person holding the director post "
        "responsible for the most units of the current version (else of the default, then of a proposed or draft "
        "version); if that post is vacant, this CHANGES THE DATA: "
        "a person 'Demo-direktør (<slug>)' is created and appointed to it. The password is taken from "
        f"{PASSWORD_VARIABLE}, else generated and printed once. Refused when DEBUG is off."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "create_demo_users only runs with DEBUG on (DJANGO_DEBUG=1): demo users are not for production."
            )
        password = os.environ.get(PASSWORD_VARIABLE) or ""
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        rows: list[tuple[str, str, str, str]] = []
        with transaction.atomic():
            for municipality in Municipality.objects.order_by("slug"):
                rows += self.municipality_users(municipality, password)
            administrator = self.demo_user(ADMINISTRATOR_USERNAME, rules.ADMINISTRATOR, password)
            rows.append((administrator.username, rules.ADMINISTRATOR, "", ""))
        if len(rows) == 1:
            self.stdout.write("No municipality is loaded: only the administrator was created (run load_structure).")
        self.print_table(rows)
        if generated:
            self.stdout.write(
                f"\nPassword of all {len(rows)} demo users (generated, shown only now; set {PASSWORD_VARIABLE} "
                f"to choose it): {password}"
            )
        else:
            self.stdout.write(f"\nPassword of all {len(rows)} demo users: the value of {PASSWORD_VARIABLE}.")

    def municipality_users(self, municipality: Municipality, password: str) -> list[tuple[str, str, str, str]]:
        slug = municipality.slug
        reader = self.demo_user(f"{slug}-laeser", rules.READER, password, municipality)
        director = self.demo_user(f"{slug}-direktoer", rules.DIRECTOR, password, municipality)
        chief = self.demo_user(f"{slug}-kommunaldirektoer", rules.CHIEF_EXECUTIVE, password, municipality)
        portfolio = self.link_director(director, municipality)
        return [
            (reader.username, rules.READER, slug, ""),
            (director.username, rules.DIRECTOR, slug, portfolio),
            (chief.username, rules.CHIEF_EXECUTIVE, slug, ""),
        ]

    def demo_user(self, username: str, role: str, password: str, municipality: Municipality | None = None):
        """A staff user in one role group, working in `municipality` (none: an administrator, who is global)."""
        user, _created = get_user_model().objects.update_or_create(
            username=username, defaults={"is_staff": True, "is_superuser": False, "is_active": True}
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        user.groups.set([Group.objects.get(name=role)])
        user.municipalities.set([municipality] if municipality else [])
        return user

    def link_director(self, user, municipality: Municipality) -> str:
        """Link the demo director to the holder of the responsible director post; describe the portfolio."""
        post = responsible_director_post(candidate_versions(municipality))
        version = post.version if post else None
        holder = post.holder if post else None
        if post is not None and holder is None:
            if version.is_read_only:
                self.stderr.write(f"{municipality.slug}: '{post.title}' is vacant in a read-only version; not linked.")
            else:
                holder = Person.objects.filter(municipality=municipality, key=DEMO_DIRECTOR_KEY).first()
                if holder is None:
                    holder = Person(
                        municipality=municipality, key=DEMO_DIRECTOR_KEY, name=f"Demo-direktør ({municipality.slug})"
                    )
                    services.save_row(holder, actor=services.SYSTEM)
                services.assign_holder(post, holder, actor=services.SYSTEM)
                self.stdout.write(
                    f"{municipality.slug}: DATA CHANGED: '{post.title}' ({version.label}) was vacant; "
                    f"'{holder.name}' now holds it."
                )
        for linked in Person.objects.filter(user=user).exclude(pk=getattr(holder, "pk", None)):
            linked.user = None
            services.save_row(linked, actor=services.SYSTEM)
        if holder is None:
            if post is None:
                self.stderr.write(
                    f"{municipality.slug}: no director post is responsible for a unit (Unit.responsible) in the "
                    "current, default, proposed or draft version; the demo director has no portfolio."
                )
            return "(none)"
        if holder.user_id != user.pk:
            if holder.user_id is not None:
                self.stderr.write(
                    f"{municipality.slug}: {holder.name} was linked to user id {holder.user_id}; relinked."
                )
            holder.user = user
            services.save_row(holder, actor=services.SYSTEM)
        roots = list(rules.portfolio_units(user, version).order_by("tree_id", "lft"))
        count = Unit.objects.get_queryset_descendants(
            Unit.objects.filter(pk__in=[unit.pk for unit in roots]), include_self=True
        ).count()
        names = ", ".join(unit.name for unit in roots[:SHOWN_PORTFOLIO_UNITS])
        if len(roots) > SHOWN_PORTFOLIO_UNITS:
            names += f" and {len(roots) - SHOWN_PORTFOLIO_UNITS} more"
        return f"{holder.name}, {post.title}: {names} ({count} units in all, in {version.label})"

    def print_table(self, rows: list[tuple[str, str, str, str]]) -> None:
        header = ("username", "role", "municipality", "portfolio (directors)")
        widths = [max(len(row[column]) for row in [header, *rows]) for column in range(3)]
        for row in [header, *rows]:
            cells = [cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)]
            self.stdout.write("  ".join([*cells, row[3]]).rstrip())
