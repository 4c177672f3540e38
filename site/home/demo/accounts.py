"""Demo accounts, one per role. Never created in production without --force."""

import logging

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts import roles

logger = logging.getLogger(__name__)

DEMO_PASSWORD = "reperes-demo-2026"  # noqa: S105  (printed to the person running the demo)

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


def ensure_demo_accounts():
    """Create the demo accounts; existing ones keep their data (idempotent)."""
    User = get_user_model()
    created = []
    for spec in DEMO_ACCOUNTS:
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
    if created:
        logger.info("demo accounts created: %s", ", ".join(created))
    return created
