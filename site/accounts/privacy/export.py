"""« Mes données »: everything Repères holds about one person, and nothing about anyone else.

`personal_data(user)` returns plain data (dicts, lists, strings, numbers, dates) that
the view sends as JSON or shows as a printable page: the account, its addresses and
second factors, then every section another app registered (`registry`: modules,
sessions, certificates). Each reads its kind of row once for all of them
(select_related / prefetch): the number of queries does not grow with the person's
history (tests/accounts/test_privacy_export.py).

What is left out on purpose, and said so in the export: secrets (password hash, second
factor keys, recovery codes, the calendar feed's token, the device fingerprint of a
check-in) and the bytes of signature drawings (the export says one is stored). Other
people appear only as the trainer who marked an attendance, by their name.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.privacy import registry

#: 2: the free-text « commune » became sector and workplace (codes and labels), issue 14.
FORMAT_VERSION = 2


def personal_data(user, *, language=""):
    """Everything about `user`, as plain data (see the module docstring)."""
    return {
        "export": {
            "site": "Repères",
            "format_version": FORMAT_VERSION,
            "generated_at": timezone.now(),
            "not_included": _(
                "Mot de passe, clés de double authentification, codes de récupération, "
                "adresse secrète de l'agenda et dessins des signatures : ils existent "
                "mais ne sont jamais exportés."
            ),
        },
        "account": account(user, language),
        "email_addresses": email_addresses(user),
        "two_factor_authentication": two_factor(user),
        # Then what the other apps hold, each in its own words (`registry`).
        **{
            key: read(user)
            for section in registry.sections()
            for key, read in section.export.items()
        },
    }


# --- Account -----------------------------------------------------------------------------


def account(user, language):
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "profession": user.profession,
        "profession_label": str(user.get_profession_display()) if user.profession else "",
        "organisation": user.organisation,
        "sector": user.sector,
        "sector_label": str(user.get_sector_display()) if user.sector else "",
        "workplace_commune": user.workplace_commune,
        "workplace_departement": user.workplace_departement,
        "workplace_label": user.workplace_label,
        "profile_prompt_answered_at": user.profile_prompt_answered_at,
        # Not stored on the account: a cookie of the browser that asked.
        "interface_language": language,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "inactivity_warning_sent_at": user.inactivity_warned_at,
        "learning_reminders": user.learning_reminders,
    }


def email_addresses(user):
    return [
        {"email": row.email, "verified": row.verified, "primary": row.primary}
        for row in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    ]


def two_factor(user):
    methods = [
        {
            "type": row.type,
            "label": str(row.get_type_display()),
            "created_at": row.created_at,
            "last_used_at": row.last_used_at,
        }
        # Never `data`: it holds the secret key and the recovery codes.
        for row in Authenticator.objects.filter(user=user)
        .only("type", "created_at", "last_used_at")
        .order_by("created_at")
    ]
    return {"enabled": bool(methods), "methods": methods}
