"""Load structure files (orgmodel/1, YAML or JSON) into the database: all the files of one command or none."""

from django.core.management.base import BaseCommand, CommandError

from centers import structure_format


def _listed(errors: list[structure_format.StructureError]) -> str:
    shown = errors[: structure_format.MAX_REPORTED_ERRORS]
    text = "\n".join(str(error) for error in shown)
    if len(errors) > len(shown):
        text += f"\n... and {len(errors) - len(shown)} more"
    return text


def refusal(files: list[str], errors: list[structure_format.StructureError]) -> str:
    """The errors file by file, in the order the files were given."""
    by_file: dict[str, list[structure_format.StructureError]] = {}
    for error in errors:
        by_file.setdefault(error.file, []).append(error)
    refused = [name for name in dict.fromkeys(files) if name in by_file]
    refused += [name for name in by_file if name not in refused]
    if len(files) == 1:
        return f"{refused[0]}: refused, nothing was written:\n{_listed(by_file[refused[0]])}"
    parts = [f"{name}: refused:\n{_listed(by_file[name])}" for name in refused]
    return "\n".join([*parts, f"{len(refused)} of {len(files)} files refused, nothing was written"])


class Command(BaseCommand):
    help = (
        "Validate and load municipality structure files (YAML or JSON, format orgmodel/1). Every file is "
        "validated before anything is written, and the files are loaded in one transaction: all or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--replace", action="store_true", help="Replace a municipality that is already loaded.")

    def handle(self, *args, files, replace, **options):
        documents, errors = [], []
        for name in files:
            try:
                documents.append(structure_format.read_file(name))
            except structure_format.StructureInvalid as exc:
                errors.extend(exc.errors)
        try:
            if errors:  # report the problems of the files that could be read too
                raise structure_format.StructureInvalid([*errors, *structure_format.check_documents(documents)])
            municipalities = structure_format.load_all(documents, replace=replace)
        except structure_format.StructureInvalid as exc:
            raise CommandError(refusal(files, exc.errors)) from exc
        except structure_format.MunicipalityExists as exc:
            raise CommandError(str(exc)) from exc
        for document, municipality in zip(documents, municipalities, strict=True):
            self.stdout.write(f"{document.name}: loaded {municipality.name} ({municipality.versions.count()} versions)")
