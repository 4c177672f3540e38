"""The security audit log: what a security officer asks to see, in Wagtail's log tables.

Entries are ordinary Wagtail log entries (`ModelLogEntry`, `PageLogEntry`): the
services already log certificate issue / revoke / re-issue / export, attendance
marks and role assignment there. This module adds what nothing logged yet — staff
logins, role changes made in the admin, MFA changes, exports of personal data — and
defines which entries make up the audit log that Coordination reads in the admin
(`home/audit_views.py`, Rapports → « Journal d'audit »).

The ground floor knows no app: who counts as staff is the accounts app's rule, so
the staff-login receiver lives there (`accounts/audit.py`) and calls
`log_staff_login` here.

Log data never holds a password, token, verification code or free text typed by
the person logging in: ids, numbers, role names, formats and counts only
(tests/core/test_audit.py sweeps every entry a full journey writes).
"""

import logging

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.signals import m2m_changed, pre_delete
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import log

from core.client_ip import client_ip

logger = logging.getLogger("reperes.audit")

STAFF_LOGIN = "reperes.staff_login"
ROLE_ADDED = "reperes.role_added"
ROLE_REMOVED = "reperes.role_removed"
MFA_ADDED = "reperes.mfa_added"
MFA_REMOVED = "reperes.mfa_removed"
DATA_EXPORT = "reperes.data_export"

LOG_ACTIONS = {
    STAFF_LOGIN: _("Connexion d'un membre de l'équipe"),
    ROLE_ADDED: _("Rôle ajouté"),
    ROLE_REMOVED: _("Rôle retiré"),
    MFA_ADDED: _("Double authentification ajoutée"),
    MFA_REMOVED: _("Double authentification retirée"),
    DATA_EXPORT: _("Export de données"),
}

#: Every action shown in the audit log. Attendance marks only when they are
#: corrections (a trainer's marks in the room are routine, and many).
AUDIT_ACTIONS = (
    *LOG_ACTIONS,
    # Not "reperes.role_assign": the role given at signup is also a ROLE_ADDED entry
    # (the m2m signal below sees every change), listing both doubled each signup.
    "reperes.certificate_issue",
    "reperes.certificate_revoke",
    "reperes.certificate_reissue",
    "reperes.certificate_export",
    "reperes.session_certificate_by_hand",
    "reperes.account_delete",  # accounts/privacy/log_actions.py
)
CORRECTION_ACTION = "reperes.attendance_mark"


def audit_condition():
    """The `Q` that selects audit entries in any Wagtail log entry table."""
    return Q(action__in=AUDIT_ACTIONS) | Q(action=CORRECTION_ACTION, data__method="correction")


@hooks.register("register_log_actions")
def register_audit_actions(actions):
    for action, label in LOG_ACTIONS.items():
        actions.register_action(action, label, label)


def log_data_export(user, instance, *, what, export_format, count):
    """Record that personal data left the platform (a list of participants…).

    `instance` is what the export is about (a session, a page…), so the entry also
    shows in that object's history.
    """
    data = {"what": what, "format": export_format, "count": count}
    logger.info("data exported", extra={"user_id": getattr(user, "pk", None), **data})
    log(instance=instance, action=DATA_EXPORT, user=user, data=data)


def log_entries(entries):
    """Several Wagtail log entries in one INSERT: [(instance, action, user, data), …].

    The rows are those `wagtail.log_actions.log` writes (same label, content type,
    log context, validation of the action), minus two round trips each: Wagtail's
    `save()` runs `full_clean()`, which checks with a SELECT that the content type
    and the user exist, when the one comes from the content-type cache and the other
    is the instance in hand. For hot paths (a module completed: its certificate, its
    surveys). Instances without a `ModelLogEntry`-like log (pages) go through `log`.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from wagtail.log_actions import get_active_log_context, registry

    registry.scan_for_actions()
    context = get_active_log_context()
    rows = {}
    for instance, action, user, data in entries:
        model = registry.get_log_model_for_instance(instance)
        if model is None:
            continue
        if not any(field.name == "object_id" for field in model._meta.fields):
            log(instance=instance, action=action, user=user, data=data)
            continue
        if instance.pk is None:
            raise ValueError(f"Attempted to log an action for {instance!r} with an empty pk")
        entry = model(
            content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
            label=model.objects.get_instance_title(instance),
            action=action,
            timestamp=timezone.now(),
            data=data or {},
            user=user or context.user,
            uuid=context.uuid,
            object_id=str(instance.pk),
        )
        # What `save()` checks, the foreign keys aside (the action registered…).
        entry.full_clean(exclude=["content_type", "user", "revision"])
        rows.setdefault(model, []).append(entry)
    for model, batch in rows.items():
        model.objects.bulk_create(batch)


# --- Receivers ---------------------------------------------------------------------------------


def log_staff_login(user, request):
    """A member of staff signed in (the caller decides who is staff), with their IP."""
    log(instance=user, action=STAFF_LOGIN, user=user, data={"ip": client_ip(request)})


def roles_changed(sender, instance, action, pk_set, reverse, **kwargs):
    """Groups added to / removed from a user, from any side of the relation.

    The acting user comes from Wagtail's log context (set by every admin view);
    outside the admin (a command, a migration) the entry has no user.
    """
    from django.contrib.auth.models import Group

    if action not in {"post_add", "post_remove"} or not pk_set:
        return
    entry = ROLE_ADDED if action == "post_add" else ROLE_REMOVED
    if reverse:  # group.user_set.add(…): instance is the group, pk_set are users
        group_names = {instance.pk: instance.name}
        users = list(get_user_model().objects.filter(pk__in=pk_set))
        pairs = [(user, instance.pk) for user in users]
    else:
        group_names = dict(Group.objects.filter(pk__in=pk_set).values_list("pk", "name"))
        pairs = [(instance, group_id) for group_id in pk_set]
    for user, group_id in pairs:
        log(instance=user, action=entry, data={"role": group_names.get(group_id, "")})


def roles_cleared(sender, instance, action, reverse, **kwargs):
    """`user.groups.clear()` sends no pk_set after the fact: log before it happens."""
    if action != "pre_clear" or reverse:
        return
    for name in instance.groups.values_list("name", flat=True):
        log(instance=instance, action=ROLE_REMOVED, data={"role": name})


def mfa_added(sender, request, user, authenticator, **kwargs):
    log(instance=user, action=MFA_ADDED, user=user, data={"type": authenticator.type})


def mfa_removed(sender, request, user, authenticator, **kwargs):
    log(instance=user, action=MFA_REMOVED, user=user, data={"type": authenticator.type})


def user_deleted(sender, instance, **kwargs):
    """Keep the audit entries about a deleted account readable: label them by id."""
    from wagtail.models import ModelLogEntry

    ModelLogEntry.objects.for_instance(instance).update(label=f"#{instance.pk}")


def connect():
    from allauth.mfa import signals as mfa_signals

    User = get_user_model()
    m2m_changed.connect(roles_changed, sender=User.groups.through, dispatch_uid="audit-roles")
    m2m_changed.connect(roles_cleared, sender=User.groups.through, dispatch_uid="audit-roles-clear")
    mfa_signals.authenticator_added.connect(mfa_added, dispatch_uid="audit-mfa-added")
    mfa_signals.authenticator_removed.connect(mfa_removed, dispatch_uid="audit-mfa-removed")
    pre_delete.connect(user_deleted, sender=User, dispatch_uid="audit-user-deleted")
