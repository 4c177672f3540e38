"""The public addresses a badge names: issuer, keys, achievements, status lists.

Absolute, on the platform's public address (`core.links.absolute_url`), never the
host of a request: a credential names them for years, and a verifier dereferences
them. Their paths are stable (certificates/badges/urls.py); changing one would
orphan every badge already issued.
"""

from django.urls import reverse

from core.links import absolute_url

NAMESPACE = "certificates:badges"


def _url(name, **kwargs):
    return absolute_url(reverse(f"{NAMESPACE}:{name}", kwargs=kwargs or None))


def issuer_url() -> str:
    """The issuer profile: `issuer.id` of every credential, `iss` of every JWT."""
    return _url("issuer")


def jwks_url() -> str:
    return _url("jwks")


def key_url(kid: str) -> str:
    """The JOSE `kid`: a URI that dereferences to the key (Open Badges 3.0, « JSON Web Token Proof Format »)."""
    return f"{jwks_url()}#{kid}"


def module_achievement_url(module_id: int) -> str:
    return _url("module_achievement", module_id=module_id)


def session_achievement_url(session_id: int) -> str:
    return _url("session_achievement", session_id=session_id)


def status_list_url(number: int) -> str:
    return _url("status_list", number=number)
