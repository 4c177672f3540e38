"""Each certificate's badge: built and signed once, kept on the certificate.

`ensure_badge` is called by the PDF task before it renders (the PDF carries the
badge), and by `manage.py issue_badges` for certificates issued before badges.
"""

import logging

from django.db import transaction

from certificates.models import Certificate
from certificates.signing_keys import signing_key_now

from .credentials import build_credential
from .signing import sign_credential

logger = logging.getLogger("reperes.certificates")


def ensure_badge(certificate) -> str:
    """The certificate's signed badge (compact JWS), made the first time only.

    Idempotent: a second call, or a parallel one (the row lock), returns the first
    badge. An anonymised certificate gets none: it no longer has a holder to name.
    Also sets `badge_jwt` on the instance given. Raises `SigningKeyError` (with its
    `code`) when no key is configured.
    """
    if certificate.badge_jwt or certificate.anonymised_at:
        return certificate.badge_jwt
    # Read (and recorded, the first time) outside the row lock: it is not the row's.
    key, key_row = signing_key_now()
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if not (locked.badge_jwt or locked.anonymised_at):
            locked.badge_jwt = sign_credential(build_credential(locked), key)
            fields = ["badge_jwt"]
            if locked.signing_key_id is None:
                locked.signing_key = key_row
                fields.append("signing_key")
            locked.save(update_fields=fields)
            logger.info(
                "certificate badge issued", extra={"certificate": locked.number, "kid": key.kid}
            )
    certificate.badge_jwt = locked.badge_jwt
    certificate.signing_key_id = locked.signing_key_id
    return locked.badge_jwt
