"""Authentication backends: Django's and allauth's, loading the signed-in person
through the shared cache (accounts/user_cache.py) instead of one query per request.

Sessions record the backend's dotted path: these are the project's two paths
(settings.AUTHENTICATION_BACKENDS); `MODEL_BACKEND` is the one tests and scripts name
when they sign someone in directly.
"""

from allauth.account import auth_backends
from django.contrib.auth import backends

from . import user_cache

MODEL_BACKEND = "accounts.backends.ModelBackend"


class CachedUserMixin:
    def get_user(self, user_id):
        user = user_cache.load(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(CachedUserMixin, backends.ModelBackend):
    pass


class AuthenticationBackend(CachedUserMixin, auth_backends.AuthenticationBackend):
    pass
