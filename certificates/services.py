"""Issuing, revoking and re-issuing certificates.

Every action is atomic, idempotent where it can be, logged (application log and
Wagtail's audit log) and refused with a stable `CertificateError.code`.

Numbering: `RP-<year>-<000123>`, sequential per calendar year (Europe/Paris),
allocated from `CertificateSequence` under a row lock in the issuing transaction,
so that concurrent issues get consecutive numbers and a rolled-back issue leaves no
gap. One certificate in force per holder and module is enforced by a partial unique
constraint; concurrent calls for the same completion serialise on the completion
row and the later ones return the first certificate.
"""

import base64
import logging
import re
from datetime import date

from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.text import Truncator

from accounts.professions import Profession
from certificates.badges import status_lists
from certificates.codes import new_code
from certificates.errors import CertificateError
from certificates.models import (
    Certificate,
    CertificateKind,
    CertificateSequence,
    CertificateTemplate,
)
from certificates.signatory import signature_data_url
from core.audit import log_entries

logger = logging.getLogger("reperes.certificates")

NUMBER_PREFIX = "RP"
OBJECTIVES_SUMMARY_LENGTH = 600
# The logo is copied onto the certificate at this size at most (the signature is
# stored at it: certificates/signatory.py).
IMAGE_SPEC = "max-600x240|format-png"


def record(action, certificate, user=None, **data):
    """Log to the application log and to Wagtail's audit log (visible to Coordination).

    Never logs the verification code: it is what proves a paper genuine.
    """
    logger.info(
        action,
        extra={"certificate": certificate.number, "user_id": getattr(user, "pk", None), **data},
    )
    log_entries([(certificate, action, user, {"number": certificate.number, **data})])


# --- Numbering ------------------------------------------------------------------------


def allocate_number(year):
    """The next number of `year`, e.g. (2026, 123, "RP-2026-000123"). Call inside atomic.

    One statement (PostgreSQL and SQLite alike): the year's row is created at 1 or
    incremented, and stays locked by the upsert until the issuing transaction ends,
    so that parallel issues wait for each other and get consecutive numbers.
    """
    table = connection.ops.quote_name(CertificateSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (year, last_number) VALUES (%s, 1) "  # noqa: S608 (our table)
            f"ON CONFLICT (year) DO UPDATE SET last_number = {table}.last_number + 1 "
            "RETURNING last_number",
            [year],
        )
        (last_number,) = cursor.fetchone()
    return last_number, f"{NUMBER_PREFIX}-{year}-{last_number:06d}"


def _unique_code():
    code = new_code()
    # 60 random bits: a collision is astronomically unlikely, but the unique index
    # would turn one into a failed issue, so draw again instead.
    while Certificate.objects.filter(code=code).exists():
        code = new_code()
    return code


# --- Snapshots ----------------------------------------------------------------------------


def holder_snapshot(user):
    with translation.override("fr"):
        profession = str(Profession(user.profession).label) if user.profession else ""
    return {
        "holder_first_name": user.first_name.strip(),
        "holder_last_name": user.last_name.strip(),
        "holder_profession": profession,
        "holder_organisation": user.organisation.strip(),
    }


def image_data_url(image):
    """A small PNG copy of a Wagtail image as a data: URL, or "" without one."""
    if image is None:
        return ""
    try:
        rendition = image.get_rendition(IMAGE_SPEC)
        with rendition.file.open("rb") as handle:
            content = handle.read()
    except (OSError, ValueError):
        logger.warning("certificate image unreadable", extra={"image_id": image.pk})
        return ""
    return "data:image/png;base64," + base64.b64encode(content).decode("ascii")


def issuer_snapshot(publisher):
    """Issuer fields from the publisher's certificate template (or its bare name)."""
    template = (
        CertificateTemplate.objects.select_related("logo").filter(publisher=publisher).first()
        if publisher is not None
        else None
    )
    if template is None:
        return {
            "issuer_name": publisher.name if publisher else "Repères",
            "logo_data": image_data_url(getattr(publisher, "logo", None)),
        }
    return {
        "issuer_name": template.issuer_name,
        "signatory_name": template.signatory_name,
        "signatory_role": template.signatory_role,
        "signature_data": signature_data_url(template),
        "logo_data": image_data_url(template.logo or publisher.logo),
        "accent_colour": template.accent_colour,
        "footer_text": template.footer_text,
    }


def module_snapshot(module, completion):
    from courses.models import Enrolment

    started = (
        Enrolment.objects.filter(user_id=completion.user_id, module=module)
        .values_list("started_at", flat=True)
        .first()
    )
    objectives = objectives_text(module.objectives)
    return {
        "title": module.title,
        "publisher_name": module.publisher.name if module.publisher else "",
        "objectives_summary": Truncator(objectives).chars(OBJECTIVES_SUMMARY_LENGTH),
        "planned_minutes": module.duration_total_minutes,
        "achieved_minutes": completion.time_spent_seconds // 60,
        "started_on": timezone.localdate(started) if started else None,
        "completed_on": timezone.localdate(completion.completed_at),
        "score": completion.score,
    }


def objectives_text(html):
    """Rich-text objectives as one line: list items and paragraphs joined by « ; »."""
    parts = re.split(r"</(?:li|p|h[1-6])>|<br\s*/?>", html or "", flags=re.IGNORECASE)
    items = [" ".join(strip_tags(part).split()) for part in parts]
    return " ; ".join(item for item in items if item)


def expiry_for(module, issued_on):
    years = getattr(module, "certificate_validity_years", None)
    if not years:
        return None
    try:
        return issued_on.replace(year=issued_on.year + years)
    except ValueError:  # 29 February
        return date(issued_on.year + years, 3, 1)


# --- Issue ----------------------------------------------------------------------------------


def issue_certificate(completion, *, by=None, just_completed=False):
    """The attestation de fin de formation of a module completion (created once).

    Returns the certificate in force for this holder and module: a second call, or
    twenty parallel ones, return the same row. A revoked certificate is not replaced
    by calling again: Coordination re-issues explicitly.

    `just_completed`: the completion was created in the caller's transaction, which
    is still open (the `module_completed` receiver). Its row is then locked by its
    INSERT until that transaction ends, so it is not locked (read) again, and its
    user and module are those in hand; the issue shares the caller's savepoint
    (any error undoes the completion, as it would anyway).
    """
    from courses.models import ModuleCompletion

    if completion is None or completion.pk is None:
        raise CertificateError("module_not_completed")
    with transaction.atomic(savepoint=not just_completed):
        if not just_completed:
            try:
                completion = (
                    ModuleCompletion.objects.select_for_update(of=("self",))
                    .select_related("user", "module__publisher")
                    .get(pk=completion.pk)
                )
            except ModuleCompletion.DoesNotExist:
                raise CertificateError("module_not_completed") from None
        existing = (
            Certificate.objects.filter(
                holder=completion.user, module=completion.module, kind=CertificateKind.COMPLETION
            )
            .order_by("-issued_at", "-id")
            .first()
        )
        if existing is not None:
            if existing.revoked_at:
                raise CertificateError("certificate_revoked")
            while existing.replaced_at:  # follow the chain to the one in force
                existing = existing.replaced_by
            return existing
        module = completion.module
        now = timezone.now()
        fields = {
            **holder_snapshot(completion.user),
            **module_snapshot(module, completion),
            **issuer_snapshot(module.publisher),
        }
        certificate = _create(
            kind=CertificateKind.COMPLETION,
            holder=completion.user,
            module=module,
            completion=completion,
            issued_at=now,
            expires_on=expiry_for(module, timezone.localdate(now)),
            **fields,
        )
        record("reperes.certificate_issue", certificate, by, module_id=module.pk)
    return certificate


def _create(**fields):
    """Number, code and row, then the PDF task once the transaction commits."""
    issued_at = fields["issued_at"]
    sequence, number = allocate_number(timezone.localtime(issued_at).year)
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                number=number,
                year=timezone.localtime(issued_at).year,
                sequence=sequence,
                code=_unique_code(),
                **fields,
            )
    except IntegrityError:
        # Another transaction issued it first (the completion lock makes this rare):
        # the constraint kept one row; the caller's transaction rolls back the number.
        raise CertificateError("already_issued") from None
    transaction.on_commit(lambda: _enqueue_pdf(certificate.pk))
    return certificate


def _enqueue_pdf(certificate_id):
    from certificates.tasks import render_certificate_pdf

    render_certificate_pdf.enqueue(certificate_id)


# --- Revoke and re-issue --------------------------------------------------------------------


def _clean_reason(reason):
    reason = " ".join((reason or "").split())
    if not reason:
        raise CertificateError("reason_required")
    if len(reason) > 1000:
        raise CertificateError("reason_too_long")
    return reason


def _lock(certificate):
    return Certificate.objects.select_for_update().get(pk=certificate.pk)


def revoke_certificate(certificate, *, by, reason):
    """Revoke a certificate in force; revoking it again returns it unchanged."""
    reason = _clean_reason(reason)
    with transaction.atomic():
        certificate = _lock(certificate)
        if certificate.revoked_at:
            return certificate
        if certificate.replaced_at:
            raise CertificateError("certificate_replaced")
        certificate.revoked_at = timezone.now()
        certificate.revoked_by = by
        certificate.revocation_reason = reason
        certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
        record("reperes.certificate_revoke", certificate, by, reason=reason)
        transaction.on_commit(status_lists.invalidate)  # its bit is set in the next list
    return certificate


def reissue_certificate(certificate, *, by, reason):
    """A new certificate (new number and code) replacing one in force.

    What was certified and by whom is carried over unchanged; the holder's identity
    is read again from their profile (the usual reason is a change of name). The old
    certificate is marked « remplacé » and its verification page says so.
    """
    reason = _clean_reason(reason)
    with transaction.atomic():
        old = _lock(certificate)
        if old.revoked_at:
            raise CertificateError("certificate_revoked")
        if old.replaced_at:
            raise CertificateError("certificate_replaced")
        if old.holder is None:
            raise CertificateError("holder_deleted")
        now = timezone.now()
        old.replaced_at = now
        old.save(update_fields=["replaced_at"])
        transaction.on_commit(status_lists.invalidate)  # its bit is set in the next list
        carried = {
            field: getattr(old, field)
            for field in (
                "kind",
                "module_id",
                "completion_id",
                "session_id",
                "elearning_minutes",
                "title",
                "publisher_name",
                "objectives_summary",
                "planned_minutes",
                "achieved_minutes",
                "started_on",
                "completed_on",
                "score",
                "issuer_name",
                "signatory_name",
                "signatory_role",
                "signature_data",
                "logo_data",
                "accent_colour",
                "footer_text",
                "expires_on",
            )
        }
        new = _create(
            holder=old.holder,
            issued_at=now,
            replaces=old,
            reissue_reason=reason,
            **holder_snapshot(old.holder),
            **carried,
        )
        record("reperes.certificate_reissue", new, by, reason=reason, replaces=old.number)
        # The old certificate's own history says what replaced it, too.
        record("reperes.certificate_reissue", old, by, reason=reason, replaced_by=new.number)
    return new
