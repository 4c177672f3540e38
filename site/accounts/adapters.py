"""allauth hooks: profile fields and default role at signup, queued e-mails with
links on the platform's public address, the client address behind proxies, failed-login
limits that spare known browsers, and two-factor authentication kept on for staff."""

from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.client_ip import client_ip
from core.links import absolute_url

from . import devices, mfa, mfa_secrets, services
from .tasks import send_account_email


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """Store the profile fields with the account, and give it its default role."""
        user = super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        user.profession = data.get("profession", "")
        user.organisation = data.get("organisation", "")
        user.sector = data.get("sector", "")
        user.workplace_commune = data.get("workplace_commune", "")
        user.workplace_departement = data.get("workplace_departement", "")
        if commit:
            with transaction.atomic():
                user.save()
                services.assign_default_role(user)
        return user

    def get_login_redirect_url(self, request):
        """Staff without a second factor go and enrol first (a `next` still wins:
        a staff page sends them to enrolment anyway)."""
        if mfa.second_factor_missing(request.user):
            messages.warning(request, mfa.enrolment_message())
            return reverse("mfa_activate_totp")
        return super().get_login_redirect_url(request)

    def pre_authenticate(self, request, **credentials):
        """A browser that signed in to this account before is not refused because
        strangers failed on it: counted per address and per browser (accounts/devices.py).
        """
        nonce = devices.recognised(request, credentials.get("email"))
        if nonce is None:
            return super().pre_authenticate(request, **credentials)
        # allauth rolls this usage back when the password is right (`authenticate`).
        self._login_failed_rl_usage = devices.consume_failed_login(request, nonce)
        if not self._login_failed_rl_usage:
            raise self.validation_error("too_many_login_attempts")
        return None

    def post_login(self, request, user, **kwargs):
        """Signed in (second factor included): this browser is known to the account."""
        response = super().post_login(request, user, **kwargs)
        devices.remember(request, response, user)
        return response

    # The links of allauth's e-mails: on the platform's public address
    # (core/links.py), never on the host the request named, which the client chooses.

    def get_email_confirmation_url(self, request, emailconfirmation):
        return absolute_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key):
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute_url(path.replace("UID-KEY", quote(key)))

    def send_account_already_exists_mail(self, email):
        context = {
            "signup_url": absolute_url(reverse("account_signup")),
            "password_reset_url": absolute_url(reverse("account_reset_password")),
        }
        self.send_mail("account/email/account_already_exists", email, context)

    def get_client_ip(self, request):
        """Rate limits count per client: the project's one rule (`client_ip`)."""
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def send_mail(self, template_prefix, email, context):
        """Render like allauth does, but hand the sending to the task queue."""
        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {
                "request": request,
                "email": email,
                "current_site": get_current_site(request),
                **context,
            },
        )
        alternatives = getattr(message, "alternatives", [])
        html_bodies = [body for body, mimetype in alternatives if mimetype == "text/html"]
        send_account_email.enqueue(
            subject=message.subject,
            body=message.body,
            from_email=message.from_email,
            to=list(message.to),
            html_body=html_bodies[0] if html_bodies else None,
        )


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "La double authentification est obligatoire pour les comptes de l'équipe "
            "Repères : ajoutez une autre méthode avant de retirer celle-ci."
        ),
    }

    def encrypt(self, text):
        """TOTP keys and recovery seeds are stored encrypted (accounts/mfa_secrets.py)."""
        return mfa_secrets.encrypt_secret(text)

    def decrypt(self, encrypted_text):
        return mfa_secrets.decrypt_secret(encrypted_text)

    def can_delete_authenticator(self, authenticator):
        """Staff keep at least one second factor; professionals may remove theirs."""
        if authenticator.type not in mfa.SECOND_FACTORS:
            return True
        user = authenticator.user
        if not mfa.is_staff_member(user):
            return True
        others = Authenticator.objects.filter(user_id=user.pk, type__in=mfa.SECOND_FACTORS)
        return others.exclude(pk=authenticator.pk).exists()
