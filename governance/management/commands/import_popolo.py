"""Import the committees, people and committee memberships of a Popolo JSON document into a municipality."""

from django.core.management.base import BaseCommand, CommandError

from centers import services, structure_format
from centers.models import Municipality
from governance.popolo_import import PopoloInvalid, import_popolo, read_document


class Command(BaseCommand):
    help = (
        "Import a Popolo JSON document (https://www.popoloproject.com/specs/, as /<slug>/popolo.json exports it) "
        "into a loaded municipality: its persons are created or renamed, its committees (organizations classified "
        "council, finance, standing, special or other, with ids committee:<key>) created or updated, and the "
        "memberships of those committees replaced by the document's. Units, posts and post holdings in the "
        "document are ignored: they belong to the structure file (load_structure). The document is checked whole "
        "first, and nothing is written unless it is valid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--municipality", required=True, metavar="SLUG", help="The municipality to import into.")

    def handle(self, *args, file, municipality, **options):
        try:
            target = Municipality.objects.get(slug=municipality)
        except Municipality.DoesNotExist as exc:
            known = ", ".join(Municipality.objects.order_by("slug").values_list("slug", flat=True)) or "none"
            raise CommandError(f"unknown municipality '{municipality}' (loaded: {known})") from exc
        document = None
        try:
            document = read_document(file)
            summary = import_popolo(target, document.data, actor=services.SYSTEM)
        except PopoloInvalid as exc:
            raise CommandError(refusal(file, document, exc)) from exc
        self.stdout.write(f"{file}: imported into {target.name}")
        for line in summary.lines():
            self.stdout.write(f"  {line}")


def refusal(file: str, document, error: PopoloInvalid) -> str:
    """Every problem as `file:line path: message`, the first MAX_REPORTED_ERRORS of them."""
    limit = structure_format.MAX_REPORTED_ERRORS
    lines = []
    for problem in error.problems[:limit]:
        line = problem.line or (document.line(problem.path) if document is not None else 1)
        lines.append(f"{file}:{line} {problem}" if problem.path else f"{file}:{line}: {problem}")
    if len(error.problems) > limit:
        lines.append(f"... and {len(error.problems) - limit} more")
    return f"{file}: refused, nothing was written:\n" + "\n".join(lines)
