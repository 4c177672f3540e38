"""What verifying a file says: the shared vocabulary of the PDF and badge checks.

`certificates/signed_pdfs/verification.py` (`verify_pdf`) and `certificates/badges/`
(`verify_badge`) return these; the verification page (`views.verify_form`) shows
them. Codes are stable (tests and logs use them), labels are what people read.
"""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

#: A PDF above this size is refused before it is read (read in memory, never stored).
PDF_MAX_BYTES = 5 * 1024 * 1024
#: A badge (JSON file or pasted text) above this size is refused before it is parsed.
BADGE_MAX_BYTES = 256 * 1024


class DocumentVerdict(models.TextChoices):
    AUTHENTIC = "authentic", _("Document authentique et intact")
    MODIFIED = "modified", _("Document modifié après sa délivrance")
    UNKNOWN_SIGNATURE = "unknown_signature", _("Signature inconnue")


class BadgeVerdict(models.TextChoices):
    VALID = "valid", _("Badge authentique")
    INVALID = "invalid", _("Badge refusé")


@dataclass(frozen=True)
class PdfCheck:
    """`verdict` of a PDF; `certificate` when the file names one of ours (its status is
    shown as on the code page); `reason`: a stable code of why (« signature_invalid »,
    « not_covering_whole_file », « hash_mismatch », « unknown_key », « no_signature »,
    « unsigned_copy » (with its certificate), « several_signatures », « unreadable »,
    « too_complex », « not_a_pdf », « too_large »; certificates/signed_pdfs/verification.py)."""

    verdict: DocumentVerdict
    reason: str = ""
    certificate: object = None


@dataclass(frozen=True)
class BadgeCheck:
    """`verdict` of an Open Badge credential; `reason` a stable code when refused
    (« malformed », « too_large », « bad_signature », « unknown_key », « wrong_issuer »,
    « not_a_badge », « schema », « revoked », « expired », « not_yet_valid »,
    « unknown_certificate »…); `credential` the decoded credential when it could be
    read; `certificate` our record when the credential names one."""

    verdict: BadgeVerdict
    reason: str = ""
    certificate: object = None
    credential: dict = field(default_factory=dict)
