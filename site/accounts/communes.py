"""Where a professional works: one of the communes of Seine-Saint-Denis, or « hors département ».

The list is a data file, `accounts/data/communes-93.json`, made by
`scripts/communes_93.py` from the Insee's Code officiel géographique (the npm package
`@etalab/decoupage-administratif`; the file records the COG year and package version).
It is read once per process. A person's workplace is stored as two fields
(accounts.models.User): `workplace_commune`, the INSEE code of the commune (or ""), and
`workplace_departement`, "93" with a commune, else the département number given for
« hors département » ("75", "2A", "971"), else "".

`match_commune` recognises a commune typed freely (the old free-text profile field, see
migration 0007): case, accents, hyphens and spaces, « St »/« Saint », « Ste »/« Sainte »
and a trailing « (93) » or postal code do not matter.
"""

import functools
import json
import re
import unicodedata
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DATA_FILE = Path(__file__).resolve().parent / "data" / "communes-93.json"
#: The département of the plan.
DEPARTEMENT = "93"
#: The workplace select's value for « Hors Seine-Saint-Denis » (never stored).
OUTSIDE = "hors"
OUTSIDE_LABEL = gettext_lazy("Hors Seine-Saint-Denis")


@functools.cache
def data():
    """The data file, parsed once."""
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


#: INSEE code → official name, in code order.
COMMUNES: dict[str, str] = {row["code"]: row["name"] for row in data()["communes"]}
#: The département numbers accepted for « hors département » (01…95, 2A, 2B, 971…976).
DEPARTEMENTS: tuple[str, ...] = tuple(row["code"] for row in data()["departements"])
#: Where the list comes from, for pages and exports.
SOURCE = {key: data()[key] for key in ("source", "source_url", "year", "package_version")}


def _fold(text):
    """Lower case without accents."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def sort_key(name):
    """French alphabetical order: « Épinay » with the E, not after Z."""
    return _fold(name)


#: (code, name) pairs in alphabetical order, for selects.
COMMUNE_CHOICES: list[tuple[str, str]] = sorted(
    COMMUNES.items(), key=lambda item: sort_key(item[1])
)


def commune_label(code, departement):
    """« Bobigny », « Hors département (75) » or « Non renseignée »."""
    if code:
        # An unknown code is shown as is rather than hidden: it should not exist.
        return COMMUNES.get(code, code)
    if departement and departement != DEPARTEMENT:
        return _("Hors département (%(number)s)") % {"number": departement}
    return _("Non renseignée")


def normalise_departement(text):
    """The département number typed for « hors département », or None if it is not one.

    « 2a » is 2A, « 7 » is 07; anything that is not in the official list is refused.
    """
    text = (text or "").strip().upper()
    if len(text) == 1 and text.isdigit():
        text = f"0{text}"
    return text if text in DEPARTEMENTS else None


def validate_commune(value):
    """Model validator of `User.workplace_commune`: one of the communes, or blank."""
    if value and value not in COMMUNES:
        raise ValidationError(_("Choisissez une commune de la liste."), code="unknown_commune")


def validate_departement(value):
    """Model validator of `User.workplace_departement`: a French département, or blank."""
    if value and value not in DEPARTEMENTS:
        raise ValidationError(
            _("Indiquez un numéro de département français (par exemple 75, 2A ou 971)."),
            code="unknown_departement",
        )


def workplace_errors(commune, departement):
    """What is wrong with this pair of stored values (a commune goes with "93")."""
    if commune and departement != DEPARTEMENT:
        return _("Une commune de Seine-Saint-Denis va avec le département 93.")
    if departement == DEPARTEMENT and not commune:
        return _("Choisissez votre commune de Seine-Saint-Denis dans la liste.")
    return ""


# --- Recognising a commune typed freely -----------------------------------------------------

ABBREVIATIONS = {"st": "saint", "ste": "sainte"}
ARTICLES = ("le ", "la ", "les ", "l ")
#: Names people still use for a commune renamed (Saint-Ouen became Saint-Ouen-sur-Seine
#: in 2018) or known under a longer name.
ALIASES = {"saint ouen": "93070", "montreuil sous bois": "93048"}
_TRAILING_93 = re.compile(r"\s*(\(\s*(93|seine saint denis)\s*\)|\b93)\s*$")
_POSTAL_CODE = re.compile(r"^93\d{3}\b|\b93\d{3}$")


def normalise_name(text):
    """The comparison key of a commune's name (see the module docstring)."""
    text = _fold(text or "")
    text = re.sub(r"\bs/", " sur ", text)  # « Épinay s/ Seine »
    text = re.sub(r"[^a-z0-9()]+", " ", text).strip()
    text = _POSTAL_CODE.sub(" ", text).strip()
    text = _TRAILING_93.sub("", text)
    text = re.sub(r"[()]", " ", text)
    return " ".join(ABBREVIATIONS.get(word, word) for word in text.split())


@functools.cache
def _index():
    index = {}
    names = [(row["name"], row["code"]) for row in data()["communes"]]
    # A former commune now part of another (Pierrefitte-sur-Seine in Saint-Denis).
    names += [(row["name"], row["commune"]) for row in data()["communes_deleguees"]]
    for name, code in names:
        key = normalise_name(name)
        index[key] = code
        # « Blanc-Mesnil » for « Le Blanc-Mesnil ».
        for article in ARTICLES:
            if key.startswith(article):
                index.setdefault(key[len(article) :], code)
    for key, code in ALIASES.items():
        index.setdefault(key, code)
    return index


def match_commune(text):
    """The INSEE code of the commune of Seine-Saint-Denis `text` names, or ""."""
    text = (text or "").strip()
    if text in COMMUNES:  # the code itself
        return text
    return _index().get(normalise_name(text), "")
