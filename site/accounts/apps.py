from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Comptes")

    def ready(self):
        from allauth.mfa.models import Authenticator
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete, post_save

        from .audit import staff_logged_in
        from .inactivity import clear_inactivity_warning
        from .mfa import authenticators_changed
        from .privacy import log_actions  # noqa: F401  (log actions register on import)
        from .user_cache import user_changed

        # A login clears the « compte inactif » warning (accounts/inactivity.py).
        user_logged_in.connect(clear_inactivity_warning, dispatch_uid="inactivity-login")
        user_logged_in.connect(staff_logged_in, dispatch_uid="audit-staff-login")

        # The signed-in person is read from the shared cache (accounts/user_cache.py).
        user_model = get_user_model()
        post_save.connect(user_changed, sender=user_model, dispatch_uid="user-cache-save")
        post_delete.connect(user_changed, sender=user_model, dispatch_uid="user-cache-delete")

        post_save.connect(authenticators_changed, sender=Authenticator, dispatch_uid="mfa-save")
        post_delete.connect(authenticators_changed, sender=Authenticator, dispatch_uid="mfa-delete")
