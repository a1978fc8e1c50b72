"""Adopt a draft or proposed organisation version from a date (as services.SYSTEM)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from centers import services
from centers.models import OrgVersion

from .clone_version import refusal_text, stored_version


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"bad date {value!r}: write it as YYYY-MM-DD") from error


class Command(BaseCommand):
    help = (
        "Adopt a draft or proposed version: it becomes current from --fra, and the version current until then "
        "becomes previous, ending the day before. Nothing is written if it is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", metavar="SLUG", help="the municipality")
        parser.add_argument("key", metavar="KEY", help="the draft or proposed version to adopt")
        parser.add_argument("--fra", required=True, metavar="YYYY-MM-DD", help="the date it applies from")
        parser.add_argument("--besluttet-den", metavar="YYYY-MM-DD", help="the date of the decision (default: today)")
        parser.add_argument("--besluttet-af", default="", metavar="TEXT", help="who decided it")

    def handle(self, *args, slug, key, fra, besluttet_den, besluttet_af, **options):
        effective_from = iso_date(fra)
        decided_on = iso_date(besluttet_den) if besluttet_den else None
        version = stored_version(slug, key)
        replaced = version.municipality.versions.filter(status=OrgVersion.Status.CURRENT).first()
        try:
            adopted = services.adopt_version(
                version, effective_from, actor=services.SYSTEM, decided_on=decided_on, decided_by=besluttet_af
            )
        except (services.EditRefused, services.NotPermitted) as error:
            raise CommandError(f"{slug}: version '{key}' was not adopted: {refusal_text(error)}") from error
        self.stdout.write(
            f"{slug}: version '{adopted.key}' ({adopted.label}) is current from {adopted.effective_from.isoformat()}, "
            f"decided on {adopted.decided_on.isoformat()}" + (f" by {adopted.decided_by}" if adopted.decided_by else "")
        )
        if replaced is not None:
            replaced.refresh_from_db()
            self.stdout.write(
                f"{slug}: version '{replaced.key}' ({replaced.label}) is previous, ending "
                f"{replaced.effective_to.isoformat()}"
            )
