from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Comptes")

    def ready(self):
        from allauth.mfa.models import Authenticator
        from django.db.models.signals import post_delete, post_save

        from .mfa import authenticators_changed

        post_save.connect(authenticators_changed, sender=Authenticator, dispatch_uid="mfa-save")
        post_delete.connect(authenticators_changed, sender=Authenticator, dispatch_uid="mfa-delete")
