"""Demo accounts, one per role, and the participants of the demo sessions.

Never created in production without --force. Every name is fictitious and every
organisation says « (exemple) ».
"""

import logging

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.text import slugify

from accounts import roles
from accounts.communes import DEPARTEMENT, match_commune
from accounts.mfa import add_totp_authenticator

logger = logging.getLogger(__name__)

DEMO_PASSWORD = "reperes-demo-2026"  # noqa: S105  (printed to the person running the demo)
# Staff must have a second factor (accounts/mfa.py): the staff demo accounts share this
# authenticator-app secret; `manage.py demo_totp` prints the current code.
DEMO_TOTP_SECRET = "KJSXAZLSMVZUIZLNN4ZDAMRWKRXXI4BB"  # noqa: S105  (demo only, printed)

DEMO_ACCOUNTS = [
    {
        "email": "professionnelle@reperes.example",
        "first_name": "Inès",
        "last_name": "Moreau",
        "profession": "infirmier-scolaire",
        "organisation": "Collège Jean-Moulin (exemple)",
        "sector": "education_nationale",
        "workplace_commune": "93079",  # Villetaneuse
        "workplace_departement": "93",
        "role": roles.PROFESSIONNEL,
    },
    {
        "email": "formateur@reperes.example",
        "first_name": "Karim",
        "last_name": "Benali",
        "profession": "associatif",
        "organisation": "Amicale du Nid",
        "sector": "association",
        "workplace_commune": "93066",  # Saint-Denis
        "workplace_departement": "93",
        "role": roles.FORMATEUR,
    },
    {
        "email": "redaction@reperes.example",
        "first_name": "Claire",
        "last_name": "Dubois",
        "profession": "autre",
        "organisation": "Observatoire départemental des violences faites aux femmes",
        "sector": "ase_departement",
        "workplace_commune": "93008",  # Bobigny
        "workplace_departement": "93",
        "role": roles.REDACTEUR,
    },
    {
        "email": "relecture@reperes.example",
        "first_name": "Hugo",
        "last_name": "Lefèvre",
        "profession": "autre",
        "organisation": "Département — direction des affaires juridiques",
        "sector": "collectivite",
        "workplace_commune": "93008",
        "workplace_departement": "93",
        "role": roles.RELECTEUR_JURIDIQUE,
    },
    {
        "email": "coordination@reperes.example",
        "first_name": "Sophie",
        "last_name": "Garnier",
        "profession": "assistant-social",
        "organisation": "Département — aide sociale à l'enfance",
        "sector": "ase_departement",
        "workplace_commune": "93008",
        "workplace_departement": "93",
        "role": roles.COORDINATION,
    },
    {
        "email": "admin@reperes.example",
        "first_name": "Admin",
        "last_name": "Repères",
        "profession": "autre",
        "organisation": "Département",
        "role": None,
        "superuser": True,
    },
]


def _participant(first_name, last_name, profession, organisation, sector, commune):
    """`commune`: the name of a commune of Seine-Saint-Denis, or « hors NN »."""
    if commune.startswith("hors "):
        workplace = {"workplace_departement": commune.removeprefix("hors ")}
    else:
        code = match_commune(commune)
        workplace = {"workplace_commune": code, "workplace_departement": DEPARTEMENT}
    return {
        "email": f"{slugify(first_name)}.{slugify(last_name)}@reperes.example",
        "first_name": first_name,
        "last_name": last_name,
        "profession": profession,
        "organisation": organisation,
        "sector": sector,
        **workplace,
        "role": roles.PROFESSIONNEL,
    }


#: Professionals who fill the demo sessions (demo/sessions.py), same password.
DEMO_PARTICIPANTS = [
    _participant(
        "Yasmine", "Haddad", "cpe", "Lycée des Lilas (exemple)", "education_nationale", "Les Lilas"
    ),
    _participant(
        "Thomas",
        "Lambert",
        "educateur",
        "Service de prévention spécialisée (exemple)",
        "association",
        "Saint-Denis",
    ),
    _participant(
        "Nadia",
        "Cissé",
        "assistant-social",
        "Service social départemental (exemple)",
        "ase_departement",
        "Bobigny",
    ),
    _participant(
        "Julien",
        "Roche",
        "enseignant",
        "Collège des Tilleuls (exemple)",
        "education_nationale",
        "Montreuil",
    ),
    _participant(
        "Sarah", "Petit", "medecin", "Centre de santé municipal (exemple)", "sante", "Saint-Denis"
    ),
    _participant(
        "Mehdi",
        "Ouali",
        "police-gendarmerie",
        "Brigade de protection des familles (exemple)",
        "police_gendarmerie",
        "Bobigny",
    ),
    _participant(
        "Laura",
        "Fontaine",
        "psychologue",
        "Centre médico-psychologique (exemple)",
        "sante",
        "Pantin",
    ),
    _participant(
        "Antoine",
        "Mercier",
        "educateur",
        "Foyer de l'enfance (exemple)",
        "ase_departement",
        "Bondy",
    ),
    _participant(
        "Élodie",
        "Marchand",
        "infirmier-scolaire",
        "Lycée des Lilas (exemple)",
        "education_nationale",
        "hors 75",
    ),
    _participant(
        "Romain",
        "Girard",
        "educateur",
        "Maison d'enfants à caractère social (exemple)",
        "association",
        "Saint-Denis",
    ),
]


def is_demo_staff(spec):
    """Whether this demo account is staff, so has the shared authenticator app."""
    return bool(spec.get("superuser")) or spec["role"] in roles.STAFF_ROLES


PROFILE_FIGURES = ("sector", "workplace_commune", "workplace_departement")


def _fill_blank_workplace(user, spec):
    """Demo accounts made before sector and workplace existed get them (never overwritten)."""
    if user.sector or user.workplace_departement:
        return
    values = {name: spec[name] for name in PROFILE_FIGURES if spec.get(name)}
    if values:
        for name, value in values.items():
            setattr(user, name, value)
        user.save(update_fields=list(values))


def ensure_demo_accounts():
    """Create the demo accounts; existing ones keep their data (idempotent)."""
    User = get_user_model()
    created = []
    for spec in DEMO_ACCOUNTS + DEMO_PARTICIPANTS:
        staff = is_demo_staff(spec)
        spec = dict(spec)
        role = spec.pop("role")
        superuser = spec.pop("superuser", False)
        email = spec.pop("email")
        user, was_created = User.objects.get_or_create(email=email, defaults=spec)
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.is_superuser = user.is_staff = superuser
            user.save()
            created.append(email)
        else:
            _fill_blank_workplace(user, spec)
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if role:
            user.groups.add(Group.objects.get(name=role))
        if staff:
            add_totp_authenticator(user, DEMO_TOTP_SECRET)
    if created:
        logger.info("demo accounts created: %s", ", ".join(created))
    return created
