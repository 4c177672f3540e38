"""The people dimensions the figures break down by: profession today, sector and
workplace commune once the profile fields (owner P, i14-profile) exist.

Each dimension knows its user field, its choices (for the filter) and the label of
a stored value. A dimension whose field is not in the database yet is simply absent:
no filter, no table, no error.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from accounts.professions import Profession

#: Filter values for « not given » and « outside the département ».
NOT_GIVEN = "non-renseigne"
OUTSIDE = "hors-departement"


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str
    field: str  # on the user model
    choices: tuple  # ((value, label), …) for the filter, the blank one excluded

    def label_of(self, value):
        if not value:
            return str(_("Non renseigné"))
        return str(dict(self.choices).get(value, value))


def user_has_field(name):
    try:
        get_user_model()._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def sector_choices():
    try:
        from accounts.sectors import Sector
    except ImportError:
        return ()
    return tuple(Sector.choices)


def commune_choices():
    try:
        from accounts.communes import COMMUNES
    except ImportError:
        return ()
    return tuple(sorted(COMMUNES.items(), key=lambda item: item[1]))


def available_dimensions():
    """Profession, then sector and commune when the profile fields exist."""
    dimensions = [Dimension("profession", _("Profession"), "profession", tuple(Profession.choices))]
    if user_has_field("sector"):
        dimensions.append(Dimension("sector", _("Secteur"), "sector", sector_choices()))
    if user_has_field("workplace_commune"):
        dimensions.append(
            Dimension("commune", _("Commune d'exercice"), "workplace_commune", commune_choices())
        )
    return dimensions


def dimension(key):
    return next((item for item in available_dimensions() if item.key == key), None)
