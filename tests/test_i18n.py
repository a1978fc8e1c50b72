"""Danish-first UI with an English translation: the default language, the language switch, Accept-Language,
and a complete English catalogue (locale/en/LC_MESSAGES/django.po) that covers every string in the sources."""

import html
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from centers import structure_format

ROOT = Path(__file__).resolve().parent.parent
ENGLISH_PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
# What `makemessages` reads: everything but the tools' and the tests' folders (see the .po's header command).
NOT_SOURCES = {".venv", "node_modules", "tests", "staticfiles", "static", "locale", "test-artifacts", ".git"}

UNIT = ("testby", "2014", "center-trafik-ejendomme")
COMMITTEE = ("testby", "2014", "oeu")


def visible_text(content: str) -> str:
    """The text a reader sees in the page body, tags removed and whitespace collapsed."""
    body = content[content.index("<body") :] if "<body" in content else content
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def unit_url() -> str:
    return reverse("centers:unit", args=UNIT)


def committee_url() -> str:
    return reverse("governance:committee", args=COMMITTEE)


# --- the catalogue ----------------------------------------------------------------------------------


def parse_po(path: Path) -> list[dict]:
    """The entries of a .po file as dicts: 'flags' (set), 'msgctxt', 'msgid', 'msgid_plural', 'msgstr' (list)."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry = {"flags": set(), "msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": []}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif match := re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$', line):
                key = match.group(1)
                if key.startswith("msgstr"):
                    entry["msgstr"].append("")
                entry_value(entry, key, unescape(match.group(2)))
            elif line.startswith('"') and key:
                entry_value(entry, key, unescape(line[1:-1]))
        if entry["msgid"] is not None:
            entries.append(entry)
    return entries


def entry_value(entry: dict, key: str, text: str) -> None:
    if key.startswith("msgstr"):
        entry["msgstr"][-1] += text
    else:
        entry[key] = (entry[key] or "") + text


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def placeholders(text: str) -> list[str]:
    """The %(name)s / %d and {name} placeholders of a string, which a translation must keep."""
    return sorted(re.findall(r"%\(\w+\)[sd]|%[sd]|\{\w+\}", text))


def catalogue_key(entry: dict) -> tuple:
    return entry["msgctxt"], entry["msgid"], entry["msgid_plural"]


@pytest.fixture(scope="module")
def english_catalogue() -> list[dict]:
    entries = parse_po(ENGLISH_PO)
    header = entries[0]
    assert header["msgid"] == "", "the .po starts with its header"
    return entries


def test_english_catalogue_header(english_catalogue):
    header = english_catalogue[0]
    assert "fuzzy" not in header["flags"]
    assert "Language: en\n" in header["msgstr"][0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header["msgstr"][0]
    assert "Content-Type: text/plain; charset=UTF-8\n" in header["msgstr"][0]


def test_every_english_message_is_translated_and_not_fuzzy(english_catalogue):
    messages = english_catalogue[1:]
    assert len(messages) > 200
    untranslated = [e["msgid"] for e in messages if not e["msgstr"] or not all(s.strip() for s in e["msgstr"])]
    fuzzy = [e["msgid"] for e in messages if "fuzzy" in e["flags"]]
    assert untranslated == [], "untranslated in locale/en/LC_MESSAGES/django.po"
    assert fuzzy == [], "fuzzy (unchecked) in locale/en/LC_MESSAGES/django.po"
    plurals = [e for e in messages if e["msgid_plural"] is not None]
    assert plurals and all(len(e["msgstr"]) == 2 for e in plurals), "English has two plural forms"


def test_translations_keep_their_placeholders(english_catalogue):
    broken = []
    for entry in english_catalogue[1:]:
        sources = [entry["msgid"], entry["msgid_plural"] or entry["msgid"]]
        for index, translation in enumerate(entry["msgstr"]):
            source = sources[min(index, 1)]
            # A singular form may spell the number out ("1 sub-unit"), so only the plural must keep them all.
            if placeholders(translation) != placeholders(source) and not (
                entry["msgid_plural"] is not None
                and index == 0
                and set(placeholders(translation)) <= set(placeholders(source))
            ):
                broken.append((entry["msgid"], translation))
    assert broken == []


def test_catalogue_covers_every_translatable_string_in_the_sources(english_catalogue, settings, tmp_path, monkeypatch):
    """Runs makemessages on a copy of the sources: a string added to a template or to Python code without
    its English translation fails here, naming the string (fix: makemessages -l en, translate, compile)."""
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=lambda folder, names: [
            name
            for name in names
            if (Path(folder) == ROOT and name in NOT_SOURCES) or name == "__pycache__" or name.endswith(".sqlite3")
        ],
    )
    (copy / "locale").mkdir()
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["en"], verbosity=0)
    extracted = {catalogue_key(e) for e in parse_po(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")[1:]}
    translated = {catalogue_key(e) for e in english_catalogue[1:] if all(s.strip() for s in e["msgstr"])}
    assert len(extracted) > 200
    assert sorted(extracted - translated, key=str) == []


# --- Danish by default -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_site_is_danish_by_default(client, valid_document):
    structure_format.load(valid_document)

    home = client.get(reverse("home")).content.decode()
    assert '<html lang="da">' in home
    assert "Kommuner og organisationsversioner" in visible_text(home)
    assert "gældende" in visible_text(home) and "tidligere" in visible_text(home)

    unit = client.get(unit_url()).content.decode()
    text = visible_text(unit)
    assert '<html lang="da">' in unit
    assert "<h1>Center for Trafik og Ejendomme</h1>" in unit
    for label in ("Organisationsdiagram", "Udvalg", "Fora", "Netværk", "Økonomiansvar"):
        assert f">{label}</a>" in unit, label
    assert '<span class="kind-badge kind-centre">Fagcenter</span>' in unit
    assert "Ansvarlig direktør" in text and "Rapporteringslinje" in text and "Vejdrift" in text

    committee = client.get(committee_url()).content.decode()
    assert '<html lang="da">' in committee
    assert "<h1>Økonomiudvalget</h1>" in committee
    assert "<dd>Økonomiudvalg</dd>" in committee
    assert "<strong>Betjener</strong>" in committee
    assert "Medlemmer" in visible_text(committee)


# --- switching to English ----------------------------------------------------------------------------


def assert_unit_page_in_english(content: str) -> None:
    text = visible_text(content)
    assert '<html lang="en">' in content
    assert "<h1>Centre for Traffic and Property</h1>" in content
    for label in ("Organisation chart", "Committees", "Forums", "Networks", "Budget responsibility"):
        assert f">{label}</a>" in content, label
    assert '<span class="kind-badge kind-centre">Specialist centre</span>' in content
    assert "Responsible director" in text and "Reporting line" in text and "Road operations" in text
    assert "Skip to content" in content
    for danish in ("Organisationsdiagram", "Fagcenter", "Ansvarlig direktør", "Rapporteringslinje", "Vejdrift"):
        assert danish not in text, danish


def assert_committee_page_in_english(content: str) -> None:
    text = visible_text(content)
    assert '<html lang="en">' in content
    assert "<h1>Finance Committee</h1>" in content
    assert "<dd>Finance committee</dd>" in content
    assert "<strong>Serves</strong>" in content
    assert "Members" in text and "Unit or post" in text
    for danish in ("Økonomiudvalg", "Betjener", "Medlemmer", "Enhed eller stilling", "Udvalg"):
        assert danish not in text, danish


@pytest.mark.django_db
def test_language_switch_offers_english_and_returns_to_the_same_page(client, valid_document):
    structure_format.load(valid_document)
    content = client.get(unit_url()).content.decode()
    switch = content[content.index('<form class="language-switch"') :]
    switch = switch[: switch.index("</form>")]
    assert f'action="{reverse("set_language")}"' in switch
    assert f'name="next" type="hidden" value="{unit_url()}"' in switch
    assert re.search(r'<button type="submit" name="language" value="en" lang="en"', switch)
    assert re.search(r'value="da"[^>]*aria-current="true" disabled', switch)

    response = client.post(reverse("set_language"), {"language": "en", "next": unit_url()})
    assert response.status_code == 302
    assert response["Location"] == unit_url()
    assert client.cookies["django_language"].value == "en"


@pytest.mark.django_db
@pytest.mark.parametrize("accept_language", ["da", "en"])
def test_each_language_is_named_in_itself_on_the_switch(client, valid_document, accept_language):
    """settings.LANGUAGES: a Danish reader must not see English called 'engelsk', nor the reverse."""
    structure_format.load(valid_document)
    content = client.get(unit_url(), HTTP_ACCEPT_LANGUAGE=accept_language).content.decode()
    assert re.search(r'value="en" lang="en"[^>]*>\s*English\s*</button>', content)
    assert re.search(r'value="da" lang="da"[^>]*>\s*Dansk\s*</button>', content)


@pytest.mark.django_db
def test_switching_to_english_translates_home_unit_and_committee_pages(client, valid_document):
    structure_format.load(valid_document)
    client.post(reverse("set_language"), {"language": "en", "next": unit_url()})

    home = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in home
    assert "Municipalities and organisation versions" in visible_text(home)
    assert "current" in visible_text(home) and "previous" in visible_text(home)
    assert "gældende" not in visible_text(home)

    assert_unit_page_in_english(client.get(unit_url()).content.decode())
    assert_committee_page_in_english(client.get(committee_url()).content.decode())

    client.post(reverse("set_language"), {"language": "da", "next": unit_url()})
    back = client.get(unit_url()).content.decode()
    assert '<html lang="da">' in back and "<h1>Center for Trafik og Ejendomme</h1>" in back


@pytest.mark.django_db
@pytest.mark.parametrize("accept_language", ["en", "en-GB,en;q=0.9,da;q=0.5"])
def test_accept_language_english_gives_english_pages(client, valid_document, accept_language):
    structure_format.load(valid_document)
    assert_unit_page_in_english(client.get(unit_url(), HTTP_ACCEPT_LANGUAGE=accept_language).content.decode())
    assert_committee_page_in_english(client.get(committee_url(), HTTP_ACCEPT_LANGUAGE=accept_language).content.decode())


@pytest.mark.django_db
def test_unsupported_accept_language_falls_back_to_danish(client, valid_document):
    structure_format.load(valid_document)
    content = client.get(unit_url(), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<html lang="da">' in content and "Fagcenter" in content


def test_assens_committee_page_in_english_names_roles_and_posts_in_english(client, load_fixture):
    """Assens notat 003 afsnit 6: the Social and Health Committee's deputy director prepares the agenda, attends
    and serves; in English the roles and the post titles are English."""
    load_fixture("assens")
    url = reverse("governance:committee", args=["assens", "2014", "social-og-sundhedsudvalget"])
    content = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    row = content[content.index('data-server="vicedirektoer-social-sundhed-og-arbejdsmarked"') :]
    row = visible_text("<body>" + row[: row.index("</tr>")])
    assert "<h1>Social and Health Committee</h1>" in content
    assert "<dd>Standing committee</dd>" in content
    assert re.search(
        r"Deputy Director of Social Affairs, Health and Labour Market.*Prepares the agenda.*Attends the meetings.*"
        r"Serves",
        row,
    )
    assert "Forbereder dagsorden" not in row and "Vicedirektør" not in row


# --- one language at a time ----------------------------------------------------------------------------

# Words only Danish has (or only English), as they occur in the site's own texts (not "med": MED, the
# co-determination committees, is a name in both languages).
DANISH_WORDS = {
    "og",
    "af",
    "til",
    "ikke",
    "fra",
    "som",
    "der",
    "den",
    "det",
    "på",
    "er",
    "enhed",
    "enheder",
    "stilling",
    "stillinger",
    "udvalg",
    "kilde",
    "gældende",
    "tidligere",
    "foreslået",
    "opgaver",
    "leder",
    "søg",
    "hent",
    "vis",
    "ingen",
    "diagrammet",
    "organisationen",
    "kommune",
    "kommuner",
    "direktør",
    "ubesat",
}
ENGLISH_WORDS = {
    "the",
    "and",
    "of",
    "with",
    "from",
    "is",
    "are",
    "this",
    "not",
    "unit",
    "units",
    "post",
    "posts",
    "committee",
    "committees",
    "source",
    "current",
    "previous",
    "proposed",
    "tasks",
    "head",
    "search",
    "download",
    "show",
    "none",
    "chart",
    "municipality",
    "director",
    "vacant",
    "page",
}


def data_strings(document: structure_format.Document) -> list[str]:
    """Every text of the loaded document (names, titles, notes, sources ...): data, shown as the sources give it."""
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str) and len(node) > 1:
            found.append(node)

    walk(document.data)
    return sorted(set(found), key=len, reverse=True)


def chrome_words(content: str, data: list[str]) -> set[str]:
    """The words of a page's own text: the visible text with every data string taken out."""
    text = visible_text(content)
    for value in data:
        text = text.replace(" ".join(value.split()), " ")
    return {word.lower() for word in re.findall(r"[^\W\d_]+", text)}


def fixed_pages() -> list[str]:
    slug, version, unit = UNIT
    return [
        reverse("home"),
        reverse("centers:chart", args=[slug, version]),
        reverse("centers:chart", args=[slug, "2011"]) + "?dato=2012-06-01",
        reverse("centers:unit", args=UNIT),
        reverse("centers:unit-panel", args=UNIT),
        reverse("centers:unit-reporting-line", args=UNIT),
        reverse("centers:post", args=[slug, version, "centerchef-trafik"]),
        reverse("governance:committees", args=[slug, version]),
        committee_url(),
        reverse("governance:forums", args=[slug, version]),
        reverse("governance:networks", args=[slug, version]),
        reverse("governance:budget", args=[slug, version]),
        reverse("centers:search") + "?q=center",
        reverse("centers:municipality", args=[slug]) + "?dato=1990-01-01",
        reverse("centers:compare", args=[slug]) + "?fra=2011&til=2014",
        reverse("centers:person", args=[slug, "anne"]),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "foreign"), [("en", DANISH_WORDS), ("da", ENGLISH_WORDS)])
def test_no_page_mixes_in_the_other_language(client, valid_document, language, foreign):
    """The site's own words on a fixed set of pages are all in the page's language; only data (names, notes,
    sources), which the documents give in Danish, may differ."""
    structure_format.load(valid_document)
    data = data_strings(valid_document)
    mixed = {}
    for url in fixed_pages():
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code in (200, 404), url
        words = chrome_words(response.content.decode(), data) & foreign
        if words:
            mixed[url] = sorted(words)
    assert mixed == {}
