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
        "commune": "Villeneuve",
        "role": roles.PROFESSIONNEL,
    },
    {
        "email": "formateur@reperes.example",
        "first_name": "Karim",
        "last_name": "Benali",
        "profession": "associatif",
        "organisation": "Amicale du Nid",
        "role": roles.FORMATEUR,
    },
    {
        "email": "redaction@reperes.example",
        "first_name": "Claire",
        "last_name": "Dubois",
        "profession": "autre",
        "organisation": "Observatoire départemental des violences faites aux femmes",
        "role": roles.REDACTEUR,
    },
    {
        "email": "relecture@reperes.example",
        "first_name": "Hugo",
        "last_name": "Lefèvre",
        "profession": "autre",
        "organisation": "Département — direction des affaires juridiques",
        "role": roles.RELECTEUR_JURIDIQUE,
    },
    {
        "email": "coordination@reperes.example",
        "first_name": "Sophie",
        "last_name": "Garnier",
        "profession": "assistant-social",
        "organisation": "Département — aide sociale à l'enfance",
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


def _participant(first_name, last_name, profession, organisation, commune):
    return {
        "email": f"{slugify(first_name)}.{slugify(last_name)}@reperes.example",
        "first_name": first_name,
        "last_name": last_name,
        "profession": profession,
        "organisation": organisation,
        "commune": commune,
        "role": roles.PROFESSIONNEL,
    }


#: Professionals who fill the demo sessions (demo/sessions.py), same password.
DEMO_PARTICIPANTS = [
    _participant("Yasmine", "Haddad", "cpe", "Lycée des Lilas (exemple)", "Bobigny"),
    _participant(
        "Thomas",
        "Lambert",
        "educateur",
        "Service de prévention spécialisée (exemple)",
        "Saint-Denis",
    ),
    _participant(
        "Nadia", "Cissé", "assistant-social", "Service social départemental (exemple)", "Bobigny"
    ),
    _participant("Julien", "Roche", "enseignant", "Collège des Tilleuls (exemple)", "Montreuil"),
    _participant("Sarah", "Petit", "medecin", "Centre de santé municipal (exemple)", "Saint-Denis"),
    _participant(
        "Mehdi",
        "Ouali",
        "police-gendarmerie",
        "Brigade de protection des familles (exemple)",
        "Bobigny",
    ),
    _participant(
        "Laura", "Fontaine", "psychologue", "Centre médico-psychologique (exemple)", "Pantin"
    ),
    _participant("Antoine", "Mercier", "educateur", "Foyer de l'enfance (exemple)", "Bondy"),
    _participant(
        "Élodie", "Marchand", "infirmier-scolaire", "Lycée des Lilas (exemple)", "Bobigny"
    ),
    _participant(
        "Romain",
        "Girard",
        "educateur",
        "Maison d'enfants à caractère social (exemple)",
        "Saint-Denis",
    ),
]


def is_demo_staff(spec):
    """Whether this demo account is staff, so has the shared authenticator app."""
    return bool(spec.get("superuser")) or spec["role"] in roles.STAFF_ROLES


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
