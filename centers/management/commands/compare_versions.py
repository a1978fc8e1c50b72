"""Print the changes between two versions of a municipality, as sentences under headings or as JSON."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from centers.comparison import compare_versions
from centers.models import Municipality, OrgVersion


class Command(BaseCommand):
    help = "Compare two versions of a municipality: grouped sentences (text) or the comparison as JSON."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("before", help="Key of the version to compare from.")
        parser.add_argument("after", help="Key of the version to compare to.")
        parser.add_argument("--format", choices=["text", "json"], default="text", dest="fmt")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help=f"Language of headings and sentences (default {settings.LANGUAGE_CODE}).",
        )

    def handle(self, *args, slug, before, after, fmt, language, **options):
        try:
            municipality = Municipality.objects.get(slug=slug)
        except Municipality.DoesNotExist as exc:
            known = ", ".join(Municipality.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"unknown municipality '{slug}' (loaded: {known})") from exc
        try:
            comparison = compare_versions(municipality, before, after)
        except OrgVersion.DoesNotExist as exc:
            raise CommandError(str(exc)) from exc
        with translation.override(language):
            if fmt == "json":
                self.stdout.write(json.dumps(comparison.as_dict(), ensure_ascii=False, indent=2))
                return
            groups = comparison.groups()
            if not groups:
                self.stdout.write(_("Ingen ændringer"))
            for position, (heading, changes) in enumerate(groups):
                if position:
                    self.stdout.write("")
                self.stdout.write(heading)
                for change in changes:
                    self.stdout.write(f"  {change.describe()}")
