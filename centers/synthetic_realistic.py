"""Realistic synthetic structure documents (orgmodel/1) for performance work: whole municipalities of 1,000-20,000
units and a national set of the 98 Danish municipalities, seeded and deterministic. Pure functions, no database.

Unlike `centers.synthetic` (a regular tree that tests depend on), these documents look like the fixtures: a
direktion, 3-5 direktørområder, centres, staffs and shared centres, departments, teams and many institutions,
Danish names with æøå and repeated names ("Administration", "Team Syd") under different parents, posts with
people and vacancies, tasks, committees with members and parties, committee services, forums, networks and
budget responsibilities.
"""

from __future__ import annotations

import csv
import itertools
import random
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.conf import settings

from centers import structure_format
from centers.slugs import reserved_slug_problem

MIN_UNITS = 60
# The 98 municipalities' kommunekoder and names, handed to us beside the project.
DEFAULT_KOMMUNER = Path(settings.BASE_DIR).parent / "shared" / "kommuner.csv"
KEY_LENGTH = 80  # unit keys leave room for the post keys made from them (schema: at most 100)
VACANCY_RATE = 0.07
TEAM_LEADER_RATE = 0.6

# Director areas: (name, standing committee, centres, institution templates (name, leader title), weight of
# institutions, task names). The first two are in every municipality.
THEMES = (
    (
        "Børn og Læring",
        "Børne- og Skoleudvalget",
        ("Center for Skole", "Center for Dagtilbud", "Center for Familie og Forebyggelse", "Center for PPR"),
        (
            ("{place}skolen", "Skoleleder"),
            ("Børnehuset {place}", "Dagtilbudsleder"),
            ("Vuggestuen {place}", "Dagtilbudsleder"),
            ("Børnehaven {place}", "Dagtilbudsleder"),
            ("SFO {place}", "SFO-leder"),
            ("Dagplejen {place}", "Dagplejeleder"),
        ),
        6,
        ("Skoleområdet", "Dagtilbud og pasning", "Specialundervisning", "Børne- og ungerådgivning", "Sundhedspleje"),
    ),
    (
        "Sundhed og Omsorg",
        "Social- og Sundhedsudvalget",
        ("Center for Ældre og Pleje", "Center for Sundhed", "Center for Visitation og Hjælpemidler"),
        (
            ("Plejecenter {place}", "Forstander"),
            ("Hjemmeplejen {place}", "Leder"),
            ("Aktivitetscentret {place}", "Leder"),
            ("Sundhedshuset {place}", "Leder"),
        ),
        3,
        ("Hjemmepleje", "Plejeboliger", "Genoptræning", "Visitation til hjælpemidler", "Forebyggelse og sundhed"),
    ),
    (
        "By, Land og Kultur",
        "Teknik- og Miljøudvalget",
        (
            "Center for Plan og Byg",
            "Center for Natur og Miljø",
            "Center for Kultur og Fritid",
            "Center for Vej og Park",
        ),
        (
            ("Biblioteket {place}", "Biblioteksleder"),
            ("Kulturhuset {place}", "Leder"),
            ("Idrætscentret {place}", "Centerleder"),
            ("Genbrugspladsen {place}", "Driftsleder"),
        ),
        1.5,
        ("Byggesagsbehandling", "Lokalplaner", "Vejdrift og vintertjeneste", "Natur- og miljøtilsyn", "Foreningsliv"),
    ),
    (
        "Job og Velfærd",
        "Beskæftigelsesudvalget",
        ("Center for Job og Ydelser", "Center for Socialpsykiatri og Handicap", "Center for Integration"),
        (
            ("Bostedet {place}", "Forstander"),
            ("Botilbuddet {place}", "Forstander"),
            ("Værestedet {place}", "Leder"),
            ("Ungehuset {place}", "Leder"),
        ),
        2,
        ("Jobcenteropgaver", "Kontanthjælp og ydelser", "Botilbud", "Socialpsykiatri", "Integration af flygtninge"),
    ),
    (
        "Økonomi og Digitalisering",
        "Udvalget for Digitalisering og Borgerservice",
        ("Center for Økonomi og Løn", "Center for Borgerservice", "Center for IT og Digitalisering"),
        (("Borgerservice {place}", "Leder"),),
        0.3,
        ("Budget og regnskab", "Lønudbetaling", "Borgerservice", "IT-drift", "Indkøb og udbud"),
    ),
    (
        "Klima og Erhverv",
        "Klima- og Erhvervsudvalget",
        ("Center for Klima og Forsyning", "Center for Erhverv og Turisme"),
        (("Turistbureauet {place}", "Leder"),),
        0.3,
        ("Klimatilpasning", "Erhvervsservice", "Turisme", "Kollektiv trafik"),
    ),
)
STAFFS = (
    ("Politik og Jura", ("Betjening af byråd og udvalg", "Juridisk rådgivning", "Aktindsigt")),
    ("HR og Arbejdsmiljø", ("Personalejura", "Arbejdsmiljø", "Lederudvikling")),
    ("Økonomi og Analyse", ("Budgetlægning", "Ledelsesinformation", "Økonomistyring")),
)
SHARED_CENTRES = (
    ("Fællescenter for Service og Ejendomme", ("Ejendomsdrift", "Kantine og rengøring", "Indkøb")),
    ("Center for Kommunikation og Digital Udvikling", ("Kommunikation", "Hjemmeside", "Digital udvikling")),
)
DISTRICTS = ("Nord", "Syd", "Øst", "Vest", "Midt")
DEPARTMENTS = (
    "Administration",
    "Sekretariat",
    "Myndighed",
    "Drift",
    "Udvikling",
    "Økonomi",
    "Rådgivning",
    "Kvalitet og Udvikling",
    "Planlægning",
    "Visitation",
    "Område Nord",
    "Område Syd",
    "Område Øst",
    "Område Vest",
)
TEAMS = ("Team Nord", "Team Syd", "Team Øst", "Team Vest", "Team Midt", "Team Børn", "Team Voksne", "Team Ældre")
TEAMS += ("Team Drift", "Team Sagsbehandling", "Team Økonomi", "Team Udvikling", "Team Jura", "Team Løn")
GENERIC_TASKS = ("Budgetopfølgning", "Sagsbehandling", "Tilsyn", "Klagesager", "Kvalitetsstandarder", "Høringssvar")
PLACES = (
    "Søndermark", "Højvang", "Egebjerg", "Åløkke", "Bøgely", "Kærby", "Østervang", "Vestervang", "Nørreport",
    "Fælledvej", "Strandgården", "Ådalen", "Skovlyst", "Møllevang", "Engbo", "Lærkereden", "Solsikken",
    "Tørning", "Grønnegade", "Hørhaven", "Æblehaven", "Kløverengen", "Birkely", "Lindegården", "Rønnebær",
    "Havnevej", "Kirkebakken", "Ørnereden", "Spiren", "Mælkebøtten", "Nøddebo", "Fjordbakken", "Bækkely",
    "Sønderbro", "Nordlys", "Humlebien", "Elmegården", "Bjørnehøj", "Stjernen", "Præstemarken",
)  # fmt: skip
FIRST_NAMES = (
    "Søren", "Jørgen", "Bjørn", "Åse", "Mette", "Lærke", "Anne", "Peter", "Mikkel", "Sofie", "Ida", "Frederik",
    "Kirsten", "Jens", "Hanne", "Lars", "Birgitte", "Niels", "Karen", "Morten", "Signe", "Thøger", "Bodil",
    "Rasmus", "Louise", "Torben", "Maja", "Søs", "Henrik", "Gitte", "Ærenfried", "Ole", "Lene", "Kåre", "Emma",
    "Ulla", "Christian", "Freja", "Jesper", "Dorthe",
)  # fmt: skip
MIDDLE_NAMES = ("Møller", "Bøgh", "Kjær", "Skov", "Dahl", "Lund", "Brøndum", "Holm", "Højgaard", "Ågaard")
LAST_NAMES = (
    "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen", "Rasmussen",
    "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Poulsen", "Johansen", "Knudsen",
    "Mortensen", "Møller", "Kjærgaard", "Bækgaard", "Søndergaard", "Østergaard", "Nørgaard", "Ålund", "Frølund",
    "Damsgaard", "Krøyer", "Lægaard",
)  # fmt: skip
PARTIES = ("A", "V", "C", "F", "Ø", "O", "B", "I", "Å", "D")
PARTY_WEIGHTS = (30, 22, 12, 9, 7, 5, 5, 4, 3, 3)
COUNCIL_SIZE = 15


def slugify(text: str) -> str:
    """A key or slug: æ→ae, ø→oe, å→aa, other accents dropped, lowercase, hyphens between words."""
    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def municipality_slug(name: str) -> str:
    """The slug of a municipality's name ("Lyngby-Taarbæk" → "lyngby-taarbaek"), never a reserved one."""
    slug = slugify(name) or "kommune"
    return f"{slug}-kommune" if reserved_slug_problem(slug) else slug


class _Keys:
    """Unique keys in one namespace: the slug of a name, then the slug with -2, -3 ... when it is taken."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, text: str, length: int = KEY_LENGTH) -> str:
        base = slugify(text)[:length].strip("-") or "x"
        key, number = base, 1
        while key in self.used:
            number += 1
            key = f"{base}-{number}"
        self.used.add(key)
        return key


class _Builder:
    """Builds one version's lists and the municipality's people, keeping keys unique."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.units: list[dict] = []
        self.posts: list[dict] = []
        self.people: list[dict] = []
        self.unit_keys, self.post_keys, self.task_keys, self.person_keys = _Keys(), _Keys(), _Keys(), _Keys()
        self.heads: dict[str, str] = {}  # unit key -> its head (or leader) post key
        self.parents: dict[str, str | None] = {}

    def person(self, name: str | None = None) -> str:
        rng = self.rng
        if name is None:
            middle = f" {rng.choice(MIDDLE_NAMES)}" if rng.random() < 0.3 else ""
            name = f"{rng.choice(FIRST_NAMES)}{middle} {rng.choice(LAST_NAMES)}"
        key = self.person_keys.take(name)
        self.people.append({"key": key, "name": name})
        return key

    def unit(self, name: str, kind: str, parent: str | None, *, responsible: str | None = None) -> str:
        key = self.unit_keys.take(name)
        self.units.append(
            {"key": key, "name": name, "kind": kind, "parent": parent, "head": None, "responsible": responsible}
        )
        self.parents[key] = parent
        return key

    def post(self, unit: str, title: str, kind: str, key: str | None = None, *, vacant_rate: float = VACANCY_RATE):
        """A post in `unit` that heads it, reporting to the nearest head above; held unless drawn vacant."""
        key = self.post_keys.take(key or f"chef-{unit}", length=100)
        above = self.parents[unit]
        while above is not None and above not in self.heads:
            above = self.parents[above]
        holder = None if self.rng.random() < vacant_rate else self.person()
        self.posts.append(
            {
                "key": key,
                "title": title,
                "kind": kind,
                "unit": unit,
                "holder": holder,
                "reports_to": self.heads.get(above) if above else None,
            }
        )
        self.heads[unit] = key
        self.units[self._position(unit)]["head"] = key
        return key

    def _position(self, unit: str) -> int:
        # Posts are added right after their unit, so the unit is nearly always the last one.
        for position in range(len(self.units) - 1, -1, -1):
            if self.units[position]["key"] == unit:
                return position
        raise KeyError(unit)

    def tasks(self, unit: str, names: Iterable[str]) -> None:
        """1-4 of `names` (and the generic tasks) as the unit's tasks."""
        pool = list(dict.fromkeys([*names, *GENERIC_TASKS]))
        chosen = self.rng.sample(pool, self.rng.randint(1, min(4, len(pool))))
        self.units[self._position(unit)]["tasks"] = [
            {"key": self.task_keys.take(f"{name} {unit}", length=100), "name": name} for name in chosen
        ]


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if index < total % parts else 0) for index in range(parts)]


def municipality_document(slug: str, name: str, kommunekode: int, unit_count: int, *, seed: int) -> dict:
    """A valid orgmodel/1 document of one municipality with one current version of exactly `unit_count` units.

    The same arguments always give the same document (and the same bytes through `structure_format.dump`).
    """
    if unit_count < MIN_UNITS:
        raise ValueError(f"unit_count must be at least {MIN_UNITS}, not {unit_count}")
    rng = random.Random(f"orgmodel-synthetic/{seed}/{slug}/{unit_count}")
    build = _Builder(rng)
    area_count = rng.randint(3, 5)
    themes = [*THEMES[:2], *rng.sample(THEMES[2:], area_count - 2)]
    staff_count, shared_count = rng.randint(2, 3), rng.randint(1, 2)

    top = 1 + area_count * 2 + staff_count + shared_count  # directorate, areas and their secretariats, staffs
    centre_count = max(2 * area_count, round(unit_count * 0.017))
    rest = unit_count - top - centre_count
    department_count = max(1, round(rest * 0.13))
    team_count = round(rest * 0.22)
    institution_count = rest - department_count - team_count

    directorate = build.unit("Direktionen", "directorate", None)
    chief = build.post(directorate, "Kommunaldirektør", "chief_executive", "kommunaldirektoer", vacant_rate=0)
    build.tasks(directorate, ("Samlet ledelse af administrationen", "Sammenhæng på tværs"))

    staffs, shared_centres = [], []
    for staff_name, staff_tasks in STAFFS[:staff_count]:
        staff = build.unit(staff_name, "staff", directorate, responsible=chief)
        build.post(staff, "Stabschef", "head")
        build.tasks(staff, staff_tasks)
        staffs.append(staff)
    for shared_name, shared_tasks in SHARED_CENTRES[:shared_count]:
        shared = build.unit(shared_name, "shared_centre", directorate, responsible=chief)
        build.post(shared, "Centerchef", "head")
        build.tasks(shared, shared_tasks)
        shared_centres.append(shared)

    areas: list[tuple[str, str, tuple]] = []  # (unit key, director post key, theme)
    centres: list[tuple[str, tuple]] = []  # (unit key, theme)
    secretariats = []
    for theme, centres_here in zip(themes, _split(centre_count, area_count), strict=True):
        area_name, _committee, centre_names, _templates, _weight, area_tasks = theme
        area = build.unit(area_name, "director_area", directorate)
        director = build.post(area, f"Direktør for {area_name}", "director", f"direktoer-{area}", vacant_rate=0.02)
        build.units[-1]["responsible"] = director
        build.tasks(area, area_tasks)
        areas.append((area, director, theme))
        secretariat = build.unit("Sekretariat", "secretariat", area, responsible=director)
        build.post(secretariat, "Sekretariatschef", "head")
        build.tasks(secretariat, ("Betjening af direktøren", "Politisk betjening", *GENERIC_TASKS[:2]))
        secretariats.append(secretariat)
        names = [*centre_names, *(f"{base} {district}" for district in DISTRICTS for base in centre_names)]
        for position in range(centres_here):
            centre_name = names[position] if position < len(names) else f"{centre_names[0]} {position + 1}"
            centre = build.unit(centre_name, "centre", area, responsible=director)
            build.post(centre, "Centerchef", "head")
            build.tasks(centre, area_tasks)
            centres.append((centre, theme))

    department_parents = [*(key for key, _theme in centres), *staffs, *shared_centres]
    themes_of = {key: theme for key, theme in centres}
    departments_of: dict[str, list[str]] = {}
    departments = []
    for position in range(department_count):
        if position < len(department_parents):
            parent = department_parents[position]
        else:
            parent = rng.choice(department_parents)
        department = build.unit(rng.choice(DEPARTMENTS), "department", parent)
        build.post(department, "Afdelingsleder", "head")
        theme_tasks = themes_of[parent][5] if parent in themes_of else ()
        build.tasks(department, theme_tasks)
        departments.append(department)
        departments_of.setdefault(parent, []).append(department)

    team_parents = [*departments, *secretariats]
    for _ in range(team_count):
        team = build.unit(rng.choice(TEAMS), "team", rng.choice(team_parents))
        if rng.random() < TEAM_LEADER_RATE:
            build.post(team, "Teamleder", "leader", f"leder-{team}")

    cum_weights = list(itertools.accumulate(theme[4] for _key, theme in centres))
    for _ in range(institution_count):
        centre, theme = rng.choices(centres, cum_weights=cum_weights)[0]
        parent = centre
        if departments_of.get(centre) and rng.random() < 0.25:
            parent = rng.choice(departments_of[centre])
        template, leader_title = rng.choice(theme[3])
        institution = build.unit(template.format(place=rng.choice(PLACES)), "institution", parent)
        build.post(institution, leader_title, "leader", f"leder-{institution}")

    document = {
        "format": structure_format.FORMAT,
        "municipality": {"slug": slug, "name": name, "kommunekode": kommunekode},
        "sources": [
            {
                "key": "syntetisk",
                "title": f"Syntetisk organisation, genereret med seed {seed}",
                "note": "Ikke en rigtig organisation: genereret af manage.py generate_synthetic til ydelsestest.",
            }
        ],
    }
    committees, memberships = _politics(build, themes)
    version = {
        "key": "syntetisk",
        "label": f"Syntetisk organisation med {unit_count:,} enheder".replace(",", "."),
        "status": "current",
        "effective_from": "2024-01-01",
        "effective_to": None,
        "decided_on": "2023-10-26",
        "decided_by": committees[0]["name"],
        "based_on": None,
        "source": "syntetisk",
        "units": build.units,
        "posts": build.posts,
        "committee_services": _services(build, areas, centres, staffs, shared_centres, chief),
        "forums": _forums(build, areas, centres, staffs, shared_centres, chief),
        "networks": _networks(build, departments, centres, staffs),
        "budget_responsibilities": _budgets(build, directorate, chief, areas, centres, staffs),
    }
    document.update(people=build.people, committees=committees, memberships=memberships, versions=[version])
    return document


def _politics(build: _Builder, themes: list[tuple]) -> tuple[list[dict], list[dict]]:
    """The council, Økonomiudvalget and one standing committee per director area, with members and parties."""
    rng = build.rng
    council_name = rng.choice(("Kommunalbestyrelsen", "Byrådet"))
    committees = [
        {"key": "kb", "name": council_name, "kind": "council"},
        {"key": "oeu", "name": "Økonomiudvalget", "kind": "finance"},
    ]
    committees += [{"key": slugify(theme[1]), "name": theme[1], "kind": "standing"} for theme in themes]
    politicians = [build.person() for _ in range(COUNCIL_SIZE)]
    party = dict(zip(politicians, rng.choices(PARTIES, weights=PARTY_WEIGHTS, k=COUNCIL_SIZE), strict=True))
    mayor = politicians[0]
    memberships = []
    for committee in committees:
        if committee["kind"] == "council":
            members, roles = politicians, ("borgmester", "1. viceborgmester")
        elif committee["kind"] == "finance":
            members = [mayor, *rng.sample(politicians[1:], rng.randint(8, 12))]
            roles = ("formand", "næstformand")
        else:
            members, roles = rng.sample(politicians, rng.randint(9, 13)), ("formand", "næstformand")
        for position, person in enumerate(members):
            memberships.append(
                {
                    "person": person,
                    "committee": committee["key"],
                    "role": roles[position] if position < len(roles) else "medlem",
                    "party": party[person],
                    "start": "2022-01-01",
                    "end": "2025-12-31",
                }
            )
    return committees, memberships


def _services(build, areas, centres, staffs, shared_centres, chief) -> list[dict]:
    """Centres serve their area's standing committee, staffs and shared centres Økonomiudvalget, the first staff
    is the secretariat of the council; directors attend their committee."""
    committee_of = {area: slugify(theme[1]) for area, _director, theme in areas}
    services = [
        {"committee": "kb", "unit": staffs[0], "post": None, "role": "secretariat"},
        {"committee": "oeu", "unit": staffs[0], "post": None, "role": "prepares_agenda"},
        {"committee": "oeu", "unit": None, "post": chief, "role": "attends"},
    ]
    for area, director, _theme in areas:
        services.append({"committee": committee_of[area], "unit": None, "post": director, "role": "attends"})
    for centre, _theme in centres:
        area = build.parents[centre]
        services.append({"committee": committee_of[area], "unit": centre, "post": None, "role": "serves"})
    for unit in [*staffs[1:], *shared_centres]:
        services.append({"committee": "oeu", "unit": unit, "post": None, "role": "serves"})
    return services


def _forums(build, areas, centres, staffs, shared_centres, chief) -> list[dict]:
    directors = [director for _area, director, _theme in areas]
    heads = [build.heads[unit] for unit in [*staffs, *shared_centres, *(centre for centre, _theme in centres)]]
    forums = [
        {
            "key": "direktionsmoede",
            "name": "Direktionsmødet",
            "kind": "executive_board",
            "chair": chief,
            "member_units": [build.units[0]["key"]],
            "member_posts": [chief, *directors],
            "members_text": "Kommunaldirektøren og direktørerne",
            "frequency": "Hver uge",
            "purpose": "Ledelse af den samlede organisation",
        },
        {
            "key": "lederkredsen",
            "name": "Lederkredsen",
            "kind": "leaders_circle",
            "chair": chief,
            "member_units": [],
            "member_posts": [chief, *directors, *heads],
            "members_text": "Direktionen, centerchefer og stabschefer",
            "frequency": "4 gange årligt",
            "purpose": "Fælles ledelse på tværs af centre",
        },
        {
            "key": "hovedmed",
            "name": "HovedMED",
            "kind": "med",
            "chair": chief,
            "member_units": [area for area, _director, _theme in areas] + list(staffs),
            "member_posts": [chief],
            "members_text": "Ledelses- og medarbejderrepræsentanter",
            "frequency": "Hver måned",
            "purpose": "Medindflydelse og medbestemmelse for hele kommunen",
        },
    ]
    for area, director, theme in areas:
        forums.append(
            {
                "key": f"med-{area}",
                "name": f"MED-udvalget for {theme[0]}",
                "kind": "med",
                "chair": director,
                "member_units": [area, *(centre for centre, _t in centres if build.parents[centre] == area)],
                "member_posts": [director],
                "members_text": None,
                "frequency": "6 gange årligt",
                "purpose": None,
            }
        )
    return forums


def _networks(build, departments, centres, staffs) -> list[dict]:
    rng = build.rng
    candidates = [*departments, *(centre for centre, _theme in centres)]
    specs = [
        ("vidensteam-digitalisering", "Vidensteam for Digitalisering", "knowledge_team"),
        ("netvaerk-oekonomi", "Netværk for Økonomimedarbejdere", "network"),
        ("innovationsnetvaerket", "Innovationsnetværket", "innovation_network"),
        ("vidensteam-boernesager", "Vidensteam for Børnesager", "knowledge_team"),
        ("netvaerk-ledelse", "Netværk for Nye Ledere", "network"),
    ]
    networks = []
    for key, name, kind in specs[: rng.randint(3, len(specs))]:
        members = rng.sample(candidates, min(len(candidates), rng.randint(5, 20)))
        networks.append(
            {
                "key": key,
                "name": name,
                "kind": kind,
                "leader": build.heads[members[0]],
                "owner": build.heads[rng.choice(staffs)],
                "member_units": members,
                "purpose": "Videndeling og fælles udvikling på tværs",
                "frequency": rng.choice(("Hver måned", "3-4 gange årligt", "Efter behov")),
            }
        )
    return networks


def _budgets(build, directorate, chief, areas, centres, staffs) -> list[dict]:
    """Three levels: the kommunaldirektør for everything, directors for their areas, centre heads for centres."""
    economy = staffs[2] if len(staffs) > 2 else staffs[0]
    budgets = [{"level": 1, "name": "Kommunaldirektør", "holder": chief, "scope": directorate, "supported_by": economy}]
    budgets += [
        {"level": 2, "name": "Direktørområde", "holder": director, "scope": area, "supported_by": economy}
        for area, director, _theme in areas
    ]
    budgets += [
        {"level": 3, "name": "Center", "holder": build.heads[centre], "scope": centre, "supported_by": economy}
        for centre, _theme in centres
    ]
    return budgets


def read_kommuner(path: str | Path) -> list[tuple[int, str]]:
    """The (kommunekode, navn) rows of a `kommunekode,navn` CSV file such as /work/shared/kommuner.csv."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or not {"kommunekode", "navn"} <= set(reader.fieldnames):
            raise ValueError(f"{path}: expected the columns kommunekode,navn, got {reader.fieldnames}")
        rows = []
        for line, row in enumerate(reader, start=2):
            try:
                rows.append((int(row["kommunekode"]), row["navn"].strip()))
            except (TypeError, ValueError) as exc:
                raise ValueError(f"{path}:{line}: bad kommunekode {row['kommunekode']!r}") from exc
        return rows


def national_documents(
    rows: Iterable[tuple[int, str]], *, seed: int, low: int = 1000, high: int = 3000
) -> Iterator[dict]:
    """One document per (kommunekode, navn) row: "<navn> Kommune", a slug from the name and a seeded unit count
    in [low, high]. Lazy, so a caller can write one file at a time."""
    if not MIN_UNITS <= low <= high:
        raise ValueError(f"need {MIN_UNITS} <= low <= high, got low={low}, high={high}")
    for kommunekode, navn in rows:
        count = random.Random(f"orgmodel-national/{seed}/{kommunekode}").randint(low, high)
        yield municipality_document(municipality_slug(navn), f"{navn} Kommune", kommunekode, count, seed=seed)
