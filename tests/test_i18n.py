import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils.translation import trans_real

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po"))


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("ru-RU,ru;q=0.9", "/ru/"),
        ("ky-KG,ky;q=0.9,ru;q=0.8", "/ky/"),
        ("en-US,en;q=0.9", "/ky/"),
        ("", "/ky/"),
    ],
)
def test_root_redirects_by_accept_language_kyrgyz_when_unsure(
    client, db, accept_language, expected
):
    response = client.get("/", headers={"accept-language": accept_language})
    assert response.status_code == 302
    assert response["Location"] == expected


def test_language_switcher_keeps_the_current_page(client, municipality):
    content = client.get("/ky/contacts/?x=1").content.decode()
    assert 'href="/ru/contacts/?x=1"' in content
    content = client.get("/ru/contacts/").content.decode()
    assert 'href="/ky/contacts/"' in content


def test_both_catalogues_exist():
    languages = {path.parts[-3] for path in CATALOGUES}
    assert languages == {"ky", "ru"}


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_catalogue_has_no_untranslated_or_fuzzy_entry(po):
    catalogue = polib.pofile(str(po))
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


# Placeholders (%(name)s, %s, {name}) and HTML tags are not words.
PLACEHOLDER = re.compile(r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[a-z]|%[a-z%]|\{[^{}]*\}|<[^>]*>")
WORD = re.compile(r"[^\W\d_]+")


def mixed_script_words(text):
    """Words with Latin and Cyrillic letters together, such as "Cайт" with a Latin C."""
    mixed = []
    for word in WORD.findall(PLACEHOLDER.sub(" ", text)):
        scripts = {unicodedata.name(letter, "").split(" ")[0] for letter in word}
        if {"LATIN", "CYRILLIC"} <= scripts:
            mixed.append(word)
    return mixed


def test_mixed_script_words_are_found():
    assert mixed_script_words("Cайт") == ["Cайт"]  # a Latin C
    assert mixed_script_words("Бaрак жана сайт") == ["Бaрак"]  # a Latin a
    assert mixed_script_words("%(count)sтар, {name}дын <strong>жок</strong> Mac'те") == []


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_no_translation_mixes_latin_and_cyrillic_in_a_word(po):
    mixed = []
    for entry in polib.pofile(str(po)):
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            mixed += [(entry.msgid, word) for word in mixed_script_words(text)]
    assert mixed == []


SOURCES = ["portal", "groups", "hearings", "budget", "projects", "templates", "locale"]


def test_every_string_in_the_sources_is_in_the_catalogues(tmp_path, monkeypatch):
    """makemessages over a copy of the sources adds nothing the catalogues lack.

    It runs in a copy: makemessages writes to every locale/ it can see, and
    the real catalogues must stay as they are.
    """
    for name in SOURCES:
        if (ROOT / name).exists():
            shutil.copytree(
                ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo")
            )
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command("makemessages", locale=["ky", "ru"], verbosity=0)
    for language in ("ky", "ru"):
        catalogue = polib.pofile(str(tmp_path / "locale" / language / "LC_MESSAGES" / "django.po"))
        missing = [e.msgid for e in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]
        assert missing == [], f"{language}: {missing}"


@pytest.mark.parametrize("language", ["ky", "ru"])
@pytest.mark.parametrize(
    ("app", "domain"),
    [
        ("admin", "django"),
        ("admin", "djangojs"),
        ("auth", "django"),
        ("contenttypes", "django"),
        ("sessions", "django"),
        ("core", "django"),  # form errors and widgets that public forms show too
    ],
)
def test_the_admin_is_wholly_translated(language, app, domain):
    import django

    package = Path(django.__file__).parent
    package = package / "conf" if app == "core" else package / "contrib" / app
    source = package / "locale" / "en" / "LC_MESSAGES"
    if domain == "django":
        catalog = trans_real.translation(language)._catalog
    else:
        # What the admin's jsi18n view serves: the app's catalogue, then ours.
        catalog = trans_real.DjangoTranslation(
            language, domain="djangojs", localedirs=[source.parent.parent]
        )._catalog
    missing = []
    for entry in polib.pofile(str(source / f"{domain}.po")):
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            key = (key, 0)
        if key not in catalog:
            missing.append(entry.msgid)
    assert missing == [], f"{len(missing)} {app} strings lack {language}: {missing[:5]}"


def test_languages_are_kyrgyz_then_russian():
    assert settings.LANGUAGE_CODE == "ky"
    assert [code for code, _ in settings.LANGUAGES] == ["ky", "ru"]
