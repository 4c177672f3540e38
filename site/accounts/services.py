"""Account actions: default role at signup, profile updates, the « Mon espace » prompt.

Each action is atomic, idempotent and logged (Python logging plus a Wagtail log
entry visible in the admin). Logs name the fields that changed, never their values:
names and employers are personal data.
"""

import logging

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from . import roles
from .models import User

logger = logging.getLogger(__name__)

PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "profession",
    "organisation",
    "sector",
    "workplace_commune",
    "workplace_departement",
    "learning_reminders",
)


class AccountError(Exception):
    """A refused account action; `code` is stable, the message is for people."""

    def __init__(self, code, message=""):
        super().__init__(message or code)
        self.code = code


def assign_default_role(user):
    """Put a newly registered person in the Professionnel·le group (idempotent)."""
    try:
        group = Group.objects.get(name=roles.PROFESSIONNEL)
    except Group.DoesNotExist as exc:
        raise AccountError("missing_role", "Run the accounts migrations.") from exc
    with transaction.atomic():
        if user.groups.filter(pk=group.pk).exists():
            return user
        user.groups.add(group)
        log(instance=user, action="reperes.role_assign", user=user, data={"role": group.name})
    logger.info("user %s joined group %s", user.pk, group.name)
    return user


def update_profile(user, **data):
    """Update the profile fields of `user`; returns the names of the changed fields.

    Only the profile fields can be changed here; e-mail and password go through
    allauth (verification, notifications). Calling it again with the same data
    changes nothing and logs nothing.
    """
    unknown = set(data) - set(PROFILE_FIELDS)
    if unknown:
        raise AccountError("unknown_field", f"Not profile fields: {sorted(unknown)}")
    # Names are compared as they would be stored (accounts/names.py: NFC, spaces).
    data = {name: User._meta.get_field(name).to_python(value) for name, value in data.items()}
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        changed = [name for name, value in data.items() if getattr(locked, name) != value]
        if not changed:
            return []
        for name in changed:
            setattr(locked, name, data[name])
        try:
            locked.full_clean(exclude=[f.name for f in User._meta.fields if f.name not in changed])
        except ValidationError as exc:
            raise AccountError("invalid_profile", str(exc.message_dict)) from exc
        locked.save(update_fields=changed)
        for name in changed:
            setattr(user, name, data[name])
        log(instance=locked, action="reperes.profile_update", user=user, data={"fields": changed})
    logger.info("user %s updated profile fields %s", user.pk, ",".join(changed))
    return changed


def answer_profile_prompt(user, *, dismissed=False, **data):
    """The person answered the « Mon espace » prompt: save what they gave, never ask again.

    `dismissed` is « Ne plus me demander »: nothing of the profile changes. Otherwise
    `data` (sector, workplace_commune, workplace_departement) goes through
    `update_profile`. Either way `profile_prompt_answered_at` is set once; answering
    again later changes nothing more than the profile fields. Returns the changed fields.
    """
    if dismissed and data:
        raise AccountError("dismissed_with_data", "A dismissed prompt carries no data.")
    with transaction.atomic():
        changed = update_profile(user, **data) if data else []
        # The row is locked by update_profile when it changed; lock it here otherwise.
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.profile_prompt_answered_at is None:
            locked.profile_prompt_answered_at = timezone.now()
            locked.save(update_fields=["profile_prompt_answered_at"])
            log(
                instance=locked,
                action="reperes.profile_prompt",
                user=user,
                data={"dismissed": dismissed, "fields": changed},
            )
            logger.info("user %s answered the profile prompt (dismissed=%s)", user.pk, dismissed)
        user.profile_prompt_answered_at = locked.profile_prompt_answered_at
    return changed
