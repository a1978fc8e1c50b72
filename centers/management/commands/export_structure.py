"""Export a municipality's structure in the orgmodel/1 format."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from centers import structure_format
from centers.models import Municipality, OrgVersion


class Command(BaseCommand):
    help = "Export a municipality (or one version of it) as YAML or JSON in the orgmodel/1 format."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--format", choices=["yaml", "json"], default="yaml", dest="fmt")
        # --version picks an organisation version (the documented interface); it replaces Django's own --version
        # flag, which would print the Django version.
        parser._optionals.conflict_handler = "resolve"
        parser.add_argument("--version", dest="version_key", metavar="KEY", help="Export only this version.")
        parser.add_argument("--output", metavar="FILE", help="Write to FILE instead of standard output.")

    def handle(self, *args, slug, fmt, version_key, output, **options):
        try:
            municipality = Municipality.objects.get(slug=slug)
        except Municipality.DoesNotExist as exc:
            known = ", ".join(Municipality.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"unknown municipality '{slug}' (loaded: {known})") from exc
        try:
            document = structure_format.export(municipality, version_key)
        except OrgVersion.DoesNotExist as exc:
            raise CommandError(str(exc)) from exc
        text = structure_format.dump(document, fmt)
        if output:
            Path(output).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
