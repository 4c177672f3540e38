"""Staff logins in the audit log (`core.audit`), with the MFA rule's definition of staff."""

from core.audit import log_staff_login

from .mfa import is_staff_member


def staff_logged_in(sender, request, user, **kwargs):
    if is_staff_member(user):  # the same definition of staff as the MFA rule
        log_staff_login(user, request)
