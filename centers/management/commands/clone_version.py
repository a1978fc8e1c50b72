"""Draft a new organisation version from any version of a municipality (as services.SYSTEM)."""

from django.core.management.base import BaseCommand, CommandError

from centers import services
from centers.models import OrgVersion


def refusal_text(error: Exception) -> str:
    """A service's refusal in the rule's words, without the field names."""
    return " ".join(getattr(error, "messages", None) or [str(error)])


def stored_version(slug: str, key: str) -> OrgVersion:
    """The version `key` of the municipality `slug`, or a CommandError naming what is unknown."""
    version = OrgVersion.objects.select_related("municipality").filter(municipality__slug=slug, key=key).first()
    if version is None:
        known = list(OrgVersion.objects.filter(municipality__slug=slug).order_by("pk").values_list("key", flat=True))
        if not known:
            raise CommandError(f"unknown municipality '{slug}'")
        raise CommandError(f"{slug} has no version '{key}'; its versions: {', '.join(known)}")
    return version


class Command(BaseCommand):
    help = (
        "Make a draft version of a municipality from one of its versions (any status): the same units (each formed "
        "from itself), posts, duties, tasks and governance rows, undated and undecided. Nothing is written if it is "
        "refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", metavar="SLUG", help="the municipality")
        parser.add_argument("key", metavar="KEY", help="the version to start from")
        parser.add_argument("new_key", metavar="NEW_KEY", help="the key (address) of the new draft")
        parser.add_argument("--label", help='the new draft\'s label (default: "Udkast baseret på <label>")')

    def handle(self, *args, slug, key, new_key, label, **options):
        version = stored_version(slug, key)
        try:
            clone = services.clone_version(version, new_key, actor=services.SYSTEM, label=label)
        except (services.EditRefused, services.NotPermitted) as error:
            raise CommandError(f"{slug}: version '{new_key}' was not made: {refusal_text(error)}") from error
        self.stdout.write(
            f"{slug}: made draft '{clone.key}' ({clone.label}) from version '{version.key}': "
            f"{clone.units.count()} units, {clone.posts.count()} posts, {clone.tasks.count()} tasks"
        )
