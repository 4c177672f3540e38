"""Fail when a committed .po file has no up-to-date compiled .mo beside it, or when a
plural of the English catalogue has no French forms (scripts/french_catalogue.py)."""

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    stale = []
    for po in sorted(ROOT.glob("locale/*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists():
            stale.append(f"{mo} is missing")
            continue
        with tempfile.NamedTemporaryFile(suffix=".mo") as fresh:
            subprocess.run(["msgfmt", "-o", fresh.name, str(po)], check=True)  # noqa: S603, S607
            if Path(fresh.name).read_bytes() != mo.read_bytes():
                stale.append(f"{mo} is not compiled from the current {po.name}")
    stale += missing_french_plurals()
    for line in stale:
        print(line, file=sys.stderr)
    return 1 if stale else 0


def missing_french_plurals():
    import polib

    english = polib.pofile(str(ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    french_path = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    if not french_path.exists():
        return [f"{french_path} is missing: run make messages"]
    french = {
        (entry.msgctxt, entry.msgid): entry
        for entry in polib.pofile(str(french_path))
        if entry.msgid_plural and all(entry.msgstr_plural.values())
    }
    return [
        f"French plural forms missing for {entry.msgid!r}: run make messages"
        for entry in english
        if entry.msgid_plural and not entry.obsolete and (entry.msgctxt, entry.msgid) not in french
    ]


if __name__ == "__main__":
    sys.exit(main())
