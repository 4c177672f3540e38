"""Two-factor authentication: required for every staff account (issue 6).

Staff are superusers, `is_staff` accounts, the staff roles (`roles.STAFF_ROLES`) and
anyone another group lets into the Wagtail admin. A staff account without a second
factor (an authenticator app, or a security key where enabled) reaches no staff page:
`StaffMFAMiddleware` sends it to the enrolment page instead, and so does the login
redirect (`AccountAdapter.get_login_redirect_url`). Professionals may enable it too.

Cost. Staff pages live under the admin and the trainer area; the middleware only
looks at those paths, so anonymous visitors and professionals on ordinary pages pay
nothing. There the answer comes from the shared cache, under the `ACCESS` generation
of `core.content_cache` (dropped whenever groups, permissions, user flags or, through
`authenticators_changed`, authenticators change): one cache read at most.
"""

import logging

from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from core.content_cache import ACCESS

from . import roles

logger = logging.getLogger(__name__)

# Recovery codes alone are no second factor: they only stand in for a lost one.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
# Where the enrolment redirect came from, offered as « Continuer » once enrolled.
NEXT_SESSION_KEY = "reperes_mfa_next"
# URL names of the staff areas' roots (resolved once, so mount points can move).
STAFF_AREAS = ("wagtailadmin_home", "trainer:sessions")
# Under those roots, what must stay open to someone not yet enrolled.
OPEN_STAFF_PATHS = ("reperes_admin_login", "reperes_admin_logout")


def is_staff_member(user):
    """Whether `user` holds a staff role or admin access (a query or three, uncached)."""
    if user.is_superuser or user.is_staff:
        return True
    if user.groups.filter(name__in=roles.STAFF_ROLES).exists():
        return True
    return user.has_perm("wagtailadmin.access_admin")


def has_second_factor(user):
    return Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS).exists()


def second_factor_missing(user):
    """Whether `user` is staff without a second factor (cached per user under ACCESS)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return ACCESS.get_or_build(
        f"reperes:mfa-missing:{user.pk}",
        lambda: is_staff_member(user) and not has_second_factor(user),
    )


def authenticators_changed(sender, instance, created=True, **kwargs):
    """post_save / post_delete of an Authenticator: whoever gained or lost a second
    factor may now reach staff pages, or not (connected in AccountsConfig.ready)."""
    if created and instance.type in SECOND_FACTORS:
        ACCESS.changed(using=kwargs.get("using") or "default")


class StaffMFAMiddleware:
    """Send staff without a second factor from staff pages to the enrolment page."""

    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def staff_areas(self):
        return tuple(reverse(name) for name in STAFF_AREAS)

    @cached_property
    def open_paths(self):
        return frozenset(reverse(name) for name in OPEN_STAFF_PATHS)

    def __call__(self, request):
        path = request.path
        if (
            path.startswith(self.staff_areas)
            and path not in self.open_paths
            and second_factor_missing(request.user)
        ):
            return self.send_to_enrolment(request)
        return self.get_response(request)

    def send_to_enrolment(self, request):
        logger.info(
            "mfa_enrolment_required: user %s sent from a staff page to enrolment",
            request.user.pk,
        )
        if request.method == "GET":
            # A staff path, so a local one: safe to offer back after enrolment.
            request.session[NEXT_SESSION_KEY] = request.get_full_path()
        messages.warning(request, enrolment_message())
        return redirect("mfa_activate_totp")


def enrolment_message():
    return _(
        "Votre compte donne accès aux outils de l'équipe Repères : la double "
        "authentification y est obligatoire. Activez-la pour continuer."
    )


def add_totp_authenticator(user, secret):
    """Give `user` an authenticator app with this base32 `secret` (demo and tests).

    People enrol through allauth's pages; this is for accounts made by code, with a
    secret known in advance. Stored the way allauth's own activation stores it.
    """
    authenticator, _created = Authenticator.objects.get_or_create(
        user=user,
        type=Authenticator.Type.TOTP,
        defaults={"data": {"secret": get_adapter().encrypt(secret)}},
    )
    return authenticator


def totp_code(secret, at=None):
    """The current code of an authenticator app holding `secret` (demo and tests).

    allauth's own algorithm (internal module, pinned by the `<66` requirement), so
    the code is exactly what the login page accepts.
    """
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int(time.time() if at is None else at) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))
