"""Revocation as a W3C Bitstring Status List, published by the platform.

Each badge names one bit (`credentialStatus`): certificate pk → list `pk // SIZE + 1`,
index `pk % SIZE`. The pk, not a random index as the Bitstring spec suggests for
« herd privacy »: the badge already shows its certificate's number, which says as
much about the order of issue, and the pk never changes nor is reused. A revoked or
a replaced certificate has its bit set (`statusPurpose` revocation: either way it
is no longer the one in force).

The list is a `BitstringStatusListCredential` (VC data model 2.0), signed as VC-JWT
like the badges. It is rebuilt at most once per change: the signed JWT is kept in
the shared cache under a version token that `revoke_certificate` and
`reissue_certificate` replace when their transaction commits (`invalidate`). The
version is read *before* the database, so a list built from data older than a
change can only be stored under the version that change retired. Entries also
expire (`CACHE_SECONDS`), should an invalidation be lost with the cache.

Building one costs a constant number of queries whatever the number of certificates:
the revoked and replaced pks of the list's range (one `values_list`), the range's
existence, the signing key.
"""

import base64
import gzip
import secrets

from django.core.cache import cache
from django.db.models import Max, Q
from django.utils import timezone

from certificates.models import Certificate

STATUS_PURPOSE = "revocation"
#: Bits per list: the Bitstring Status List minimum (16 KB before compression).
SIZE = 131072
CACHE_SECONDS = 600
#: How long a verifier may keep a list (`ttl` of the list, in milliseconds; the HTTP
#: `max-age` of the endpoint, in seconds).
TTL_SECONDS = 60
VERSION_KEY = "badges:status-lists:version"


def position(certificate_pk: int) -> tuple[int, int]:
    """(list number, index in it) of a certificate."""
    return certificate_pk // SIZE + 1, certificate_pk % SIZE


def pk_range(number: int) -> tuple[int, int]:
    start = (number - 1) * SIZE
    return start, start + SIZE


def withdrawn_indexes(number: int) -> list[int]:
    """Indexes of the revoked or replaced certificates of list `number` (one query)."""
    start, end = pk_range(number)
    pks = (
        Certificate.objects.filter(pk__gte=start, pk__lt=end)
        .filter(Q(revoked_at__isnull=False) | Q(replaced_at__isnull=False))
        .values_list("pk", flat=True)
    )
    return [pk - start for pk in pks]


def list_exists(number: int) -> bool:
    """Lists are served up to the one of the newest certificate: a bounded set."""
    if number < 1:
        return False
    last_pk = Certificate.objects.aggregate(last=Max("pk"))["last"]
    return last_pk is not None and number <= position(last_pk)[0]


def encode(indexes) -> str:
    """The `encodedList`: « u » (multibase base64url) + base64url, without padding, of
    the GZIP-compressed bitstring; index 0 is the most significant bit of byte 0."""
    bits = bytearray(SIZE // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def build_status_list_credential(number: int) -> dict:
    from . import credentials, links

    url = links.status_list_url(number)
    return {
        "@context": [credentials.CREDENTIALS_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": links.issuer_url(),
        "validFrom": credentials.utc_timestamp(timezone.now()),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": STATUS_PURPOSE,
            "encodedList": encode(withdrawn_indexes(number)),
            "ttl": TTL_SECONDS * 1000,
        },
    }


def signed_status_list(number: int) -> str:
    from certificates.signing_keys import signing_key_now

    from .signing import sign_credential

    key, _row = signing_key_now()
    return sign_credential(build_status_list_credential(number), key)


def current_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, secrets.token_hex(8), timeout=None)
        version = cache.get(VERSION_KEY) or "lost"
    return version


def status_list_jwt(number: int) -> str | None:
    """The signed list `number`, from the cache or built; None if there is no such list."""
    key = f"badges:status-list:{number}:{current_version()}"
    jwt = cache.get(key)
    if jwt is not None:
        return jwt
    if not list_exists(number):
        return None
    jwt = signed_status_list(number)
    cache.set(key, jwt, timeout=CACHE_SECONDS)
    return jwt


def invalidate() -> None:
    """Retire every cached list: call on commit of a revocation or a replacement."""
    cache.set(VERSION_KEY, secrets.token_hex(8), timeout=None)
