"""What the certificates app holds about a person, for « Mes données » and deletion.

Registered with the accounts app (`accounts.privacy.registry`) by
CertificatesConfig.ready. Certificates already issued stay on deletion, as issued
(they are snapshots): their holder link becomes empty and they keep answering on the
verification page until `certificates.retention` anonymises them. The deletion counts
them, for its log entry and for the e-mail that tells the person.
"""

from django.conf import settings
from django.utils import timezone

from accounts.privacy import registry
from certificates.models import Certificate
from certificates.views import HOLDER_LABELS

CERTIFICATE_FIELDS = (
    "uuid",
    "kind",
    "number",
    "code",
    "title",
    "publisher_name",
    "holder_first_name",
    "holder_last_name",
    "holder_profession",
    "holder_organisation",
    "completed_on",
    "issued_at",
    "expires_on",
    "revoked_at",
    "replaced_at",
    "holder_id",
)


def register():
    registry.register_section(
        registry.Section(
            name="certificates",
            order=50,
            export={"certificates": certificates},
            template="certificates/privacy/my_data.html",
        )
    )
    # Before the sessions' part (30): the delete page says what stays, then what goes.
    registry.register_erasure(
        registry.Erasure(
            name="certificates",
            order=25,
            prepare=count_kept_certificates,
            notice="certificates/privacy/deletion_notice.html",
            preview=deletion_preview,
        )
    )


def count_kept_certificates(user, now):
    return {"certificates": user.certificates.count()}


def deletion_preview(user, now):
    return {
        "certificates": user.certificates.count(),
        "retention_years": settings.CERTIFICATE_RETENTION_YEARS,
    }


def certificates(user):
    today = timezone.localdate()
    rows = Certificate.objects.filter(holder=user).only(*CERTIFICATE_FIELDS)
    return [certificate_data(row, today) for row in rows.order_by("issued_at", "pk")]


def certificate_data(certificate, today):
    status = certificate.status(today)
    return {
        "number": certificate.number,
        "kind": certificate.kind,
        "kind_label": str(certificate.get_kind_display()),
        "title": certificate.title,
        "publisher": certificate.publisher_name,
        "holder_name": certificate.holder_name,
        "holder_profession": certificate.holder_profession,
        "holder_organisation": certificate.holder_organisation,
        "completed_on": certificate.completed_on,
        "issued_at": certificate.issued_at,
        "expires_on": certificate.expires_on,
        "status": status.value,
        # As « Mes certificats » says it to the holder (« En vigueur », not « Authentique »).
        "status_label": str(HOLDER_LABELS[status]),
        "verification_url": certificate.get_verification_url(),
    }
