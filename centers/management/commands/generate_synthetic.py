"""Write realistic synthetic structure files (orgmodel/1) for performance work: municipalities of a given size and,
with --national, one file per Danish municipality. Seeded: the same options always write the same bytes."""

import itertools
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from centers import structure_format
from centers.synthetic_realistic import (
    DEFAULT_KOMMUNER,
    MIN_UNITS,
    municipality_document,
    national_documents,
    read_kommuner,
)

DEFAULT_SIZES = (5000, 20000)
FIRST_KOMMUNEKODE = 901  # above the real kommunekoder (101-860), so the files load next to the national set
BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Write seeded synthetic structure files: DIR/synthetic-<units>.yaml for every --units (5000 and 20000 "
        "unless --units or --national is given) and, with --national, DIR/national/<slug>.yaml for every "
        "municipality of the --kommuner file. Load them with load_structure."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, metavar="DIR", help="Folder to write the files into.")
        parser.add_argument(
            "--units", type=int, action="append", metavar="N", help="Units of one synthetic municipality (repeatable)."
        )
        parser.add_argument("--national", action="store_true", help="Also write one file per Danish municipality.")
        parser.add_argument("--kommuner", metavar="FILE", help=f"kommunekode,navn CSV (default {DEFAULT_KOMMUNER}).")
        parser.add_argument("--low", type=int, default=1000, help="Fewest units of a national municipality.")
        parser.add_argument("--high", type=int, default=3000, help="Most units of a national municipality.")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same bytes (default 1).")
        parser.add_argument("--format", choices=["yaml", "json"], default="yaml", dest="fmt", help="Default yaml.")

    def handle(self, *args, output, units, national, kommuner, low, high, seed, fmt, **options):
        sizes = units if units is not None else ([] if national else list(DEFAULT_SIZES))
        if len(set(sizes)) != len(sizes):
            raise CommandError("--units: each size once (the file names are synthetic-<units>)")
        if len(sizes) > 999 - FIRST_KOMMUNEKODE + 1:
            raise CommandError(f"at most {999 - FIRST_KOMMUNEKODE + 1} --units")
        too_small = [size for size in sizes if size < MIN_UNITS]
        if too_small:
            raise CommandError(f"--units {too_small[0]}: a synthetic municipality has at least {MIN_UNITS} units")
        if national and not MIN_UNITS <= low <= high:
            raise CommandError(f"--low and --high: need {MIN_UNITS} <= low <= high, got {low} and {high}")
        rows = self._kommuner(Path(kommuner) if kommuner else DEFAULT_KOMMUNER) if national else []
        folder = Path(output)
        (folder / "national" if national else folder).mkdir(parents=True, exist_ok=True)

        sized = (
            municipality_document(
                f"synthetic-{size}", f"Syntetisk Kommune {size}", FIRST_KOMMUNEKODE + position, size, seed=seed
            )
            for position, size in enumerate(sizes)
        )
        names = [f"synthetic-{size}.{fmt}" for size in sizes]
        total, started, written_units = len(sizes) + len(rows), time.perf_counter(), 0
        documents = itertools.chain(sized, national_documents(rows, seed=seed, low=low, high=high))
        limit, oversized = settings.ORGMODEL_MAX_STRUCTURE_BYTES, []
        for done, document in enumerate(documents, start=1):
            name = names[done - 1] if done <= len(names) else f"national/{document['municipality']['slug']}.{fmt}"
            content = structure_format.dump(document, fmt).encode("utf-8")
            (folder / name).write_bytes(content)
            if len(content) > limit:
                oversized.append((name, len(content)))
            count = len(document["versions"][0]["units"])
            written_units += count
            self._progress(done, total, name, count)
        seconds = time.perf_counter() - started
        files = "1 file" if total == 1 else f"{total} files"
        self.stdout.write(f"{files}, {written_units:,} units in {seconds:.1f} s, written to {folder}")
        for name, size in oversized:
            needed = -(-size // 1_048_576) * 1_048_576  # whole MiB, rounded up
            self.stderr.write(
                f"{name} is {size / 1_048_576:.1f} MB, more than load_structure reads "
                f"({limit / 1_048_576:.1f} MB): load it with ORGMODEL_MAX_STRUCTURE_BYTES={needed}"
            )

    def _kommuner(self, path: Path) -> list[tuple[int, str]]:
        if not path.is_file():
            raise CommandError(f"kommuner file not found: {path} (give a kommunekode,navn CSV with --kommuner FILE)")
        try:
            return read_kommuner(path)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

    def _progress(self, done: int, total: int, name: str, count: int) -> None:
        """A bar rewritten in place on a terminal; a line per file otherwise (logs, pipes, tests)."""
        if self.stdout.isatty():
            filled = BAR_WIDTH * done // total
            label = Path(name).stem
            bar = f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total} {label}"
            self.stdout.write(f"{bar:<{BAR_WIDTH + 40}}", ending="\n" if done == total else "")
            self.stdout.flush()
        else:
            self.stdout.write(f"wrote {name} ({count:,} units)")
