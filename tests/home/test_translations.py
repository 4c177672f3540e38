"""English catalogue: the switcher turns the interface to English; nothing else does.

French is the source language (msgids are French), so an untranslated entry would
show French text in the English interface: the catalogue must be complete.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

PO_FILE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}|</?\w+[^>]*>")


def parse_po(path):
    """Entries as dicts of keyword -> unescaped text, comments under "#"."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        entry, keyword = {"#": []}, None
        for line in block.splitlines():
            if line.startswith("#"):
                entry["#"].append(line)
                continue
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"$', line)
            if match:
                keyword = match.group(1)
                entry[keyword] = match.group(2)
            else:
                entry[keyword] += line.strip()[1:-1]
        entries.append(entry)
    return [entry for entry in entries if entry.get("msgid")]


def translations(entry):
    return [text for keyword, text in entry.items() if keyword.startswith("msgstr")]


@pytest.mark.django_db
def test_switcher_turns_the_home_page_to_english(client, django_assert_max_num_queries):
    response = client.post("/langue/", {"language": "en", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    with django_assert_max_num_queries(10):
        response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert ">Skip to content</a>" in html
    assert 'aria-label="Main navigation"' in html
    assert ">Search</a>" in html
    assert ">Sign in</a>" in html
    assert "Aller au contenu" not in html
    assert "Navigation principale" not in html


@pytest.mark.django_db
def test_browser_language_alone_keeps_the_home_page_french(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="fr">' in html
    assert ">Aller au contenu</a>" in html
    assert 'aria-label="Navigation principale"' in html
    assert "Skip to content" not in html


def test_every_english_entry_is_translated_and_not_fuzzy():
    entries = parse_po(PO_FILE)
    assert len(entries) > 100
    untranslated = [e["msgid"] for e in entries if not all(translations(e))]
    fuzzy = [e["msgid"] for e in entries if any("fuzzy" in c for c in e["#"] if c[:2] == "#,")]
    assert untranslated == []
    assert fuzzy == []


def source_of(entry, keyword):
    """The French text a translation renders: the plural forms (msgstr[1]…) render
    msgid_plural, which may name a placeholder the singular leaves out."""
    if "msgid_plural" in entry and keyword not in ("msgstr", "msgstr[0]"):
        return entry["msgid_plural"]
    return entry["msgid"]


def test_english_entries_keep_placeholders_and_markup():
    mismatched = [
        entry["msgid"]
        for entry in parse_po(PO_FILE)
        for keyword, text in entry.items()
        if keyword.startswith("msgstr")
        and sorted(PLACEHOLDER.findall(text))
        != sorted(PLACEHOLDER.findall(source_of(entry, keyword)))
    ]
    assert mismatched == []


@pytest.mark.skipif(shutil.which("msgattrib") is None, reason="gettext tools not installed")
def test_msgattrib_finds_no_untranslated_or_fuzzy_entry():
    for option in ("--untranslated", "--only-fuzzy"):
        result = subprocess.run(
            ["msgattrib", option, str(PO_FILE)], capture_output=True, text=True, check=True
        )
        assert result.stdout == "", option


def test_every_plural_has_its_french_forms():
    """Without them French says « 0 réponses » (gettext's fallback rule is English)."""
    import importlib.util

    path = Path(settings.BASE_DIR) / "scripts" / "check_translations.py"
    spec = importlib.util.spec_from_file_location("check_translations", path)
    check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check)
    assert check.missing_french_plurals() == []
    french = (Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po").read_text()
    assert "Plural-Forms: nplurals=2; plural=(n > 1);" in french
