"""Load structure files (orgmodel/1, YAML or JSON) into the database."""

from django.core.management.base import BaseCommand, CommandError

from centers import structure_format


class Command(BaseCommand):
    help = "Validate and load municipality structure files (YAML or JSON, format orgmodel/1)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--replace", action="store_true", help="Replace a municipality that is already loaded.")

    def handle(self, *args, files, replace, **options):
        for name in files:
            try:
                municipality = structure_format.load(structure_format.read_file(name), replace=replace)
            except structure_format.StructureInvalid as exc:
                shown = exc.errors[: structure_format.MAX_REPORTED_ERRORS]
                more = len(exc.errors) - len(shown)
                message = "\n".join(str(error) for error in shown)
                if more:
                    message += f"\n... and {more} more"
                raise CommandError(f"{name}: refused, nothing was written:\n{message}") from exc
            except structure_format.MunicipalityExists as exc:
                raise CommandError(str(exc)) from exc
            versions = municipality.versions.count()
            self.stdout.write(f"{name}: loaded {municipality.name} ({versions} versions)")
