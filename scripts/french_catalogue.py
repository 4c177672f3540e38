"""Keep locale/fr/ to what French needs from a catalogue: its plural forms.

French is the source language, so msgids are already French and need no translation.
Plurals are the exception: without a French catalogue, gettext falls back to the
English rule (singular only for 1) and prints « 0 réponses », where French says
« 0 réponse » (singular for 0 and 1). `make messages` runs this after makemessages:
every plural entry gets its own two forms as its translation, under the French rule
`plural=(n > 1)`; the other entries are dropped (they would translate to themselves).
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
PLURAL_FORMS = "nplurals=2; plural=(n > 1);"


def french_catalogue(source):
    catalogue = polib.POFile(wrapwidth=source.wrapwidth)
    catalogue.header = "Repères: the French plural forms (French is the source language)."
    catalogue.metadata = {
        "Project-Id-Version": "Repères",
        "PO-Revision-Date": source.metadata.get("POT-Creation-Date", ""),
        "Last-Translator": "Équipe Repères",
        "Language-Team": "Français",
        "Language": "fr",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": PLURAL_FORMS,
    }
    for entry in source:
        if entry.msgid_plural and not entry.obsolete:
            catalogue.append(
                polib.POEntry(
                    msgctxt=entry.msgctxt,
                    msgid=entry.msgid,
                    msgid_plural=entry.msgid_plural,
                    msgstr_plural={0: entry.msgid, 1: entry.msgid_plural},
                    flags=[flag for flag in entry.flags if flag != "fuzzy"],
                )
            )
    return catalogue


def main():
    catalogue = french_catalogue(polib.pofile(str(CATALOGUE)))
    catalogue.save(str(CATALOGUE))
    print(f"{CATALOGUE.relative_to(ROOT)}: {len(catalogue)} plural entries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
