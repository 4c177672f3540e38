"""Public verification (/verifier/) and the holder's certificates (/espace/certificats/).

Verification is public and answers every code the same way: one query, one
template, one status code, whether the code is valid, unknown or malformed, so the
response tells nothing beyond what the page says. It is rate-limited per client
through the shared cache.

The holder's views look certificates up through `request.user`: another person's
certificate is a 404, like an unknown one. PDFs are streamed from the private
storage, never from a public URL.
"""

import logging
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.prepared import INT, FieldValue, PreparedQuery
from core.storage_errors import open_stored_file
from courses.models.pages import format_duration

from . import ratelimit
from .codes import format_code, normalise_code
from .forms import VerifyForm
from .models import Certificate, CertificateKind, CertificateStatus
from .sharing import linkedin_url

logger = logging.getLogger("reperes.certificates")

# 20 lookups a minute from one client: plenty for a person checking papers, and
# (with 60-bit codes) useless for guessing.
VERIFY_LIMIT = 20
VERIFY_WINDOW = 60
# « Mon espace » shows the latest few; « Mes certificats » has them all.
DASHBOARD_CERTIFICATES = 3

# What the public page may read: never the holder's e-mail, profession or
# organisation, nor the revocation reason (internal to Coordination).
PUBLIC_FIELDS = (
    "kind",
    "number",
    "code",
    "holder_first_name",
    "holder_last_name",
    "title",
    "publisher_name",
    "planned_minutes",
    "started_on",
    "completed_on",
    "issuer_name",
    "signatory_name",
    "signatory_role",
    "issued_at",
    "expires_on",
    "revoked_at",
    "replaced_at",
    "anonymised_at",
)
HOLDER_FIELDS = (
    "uuid",
    "kind",
    "number",
    "title",
    "issued_at",
    "expires_on",
    "revoked_at",
    "replaced_at",
    "pdf",
    "holder_id",
)
# What the « en préparation » and « plus disponible » pages read: the status and the
# file (certificate_filename needs the rest only for a file).
DOWNLOAD_FIELDS = (*HOLDER_FIELDS, "holder_last_name", "module_id")
# What a download reads, raw (no conversion needed on any database): whether the file
# may be handed out (a file, neither revoked nor replaced), the file, the number for
# the log line and what the file's name is made of (`certificates.pdf.filename_of`).
DOWNLOAD_COLUMNS = (
    "pdf",
    "revoked_at",
    "replaced_at",
    "number",
    "kind",
    "module__slug",
    "title",
    "holder_last_name",
)
UNAVAILABLE = {CertificateStatus.REVOKED, CertificateStatus.REPLACED}

# For the holder « Authentique » reads oddly: their own certificate is « en vigueur ».
HOLDER_LABELS = {
    CertificateStatus.VALID: gettext_lazy("En vigueur"),
    CertificateStatus.EXPIRED: gettext_lazy("Expiré"),
    CertificateStatus.REVOKED: gettext_lazy("Révoqué"),
    CertificateStatus.REPLACED: gettext_lazy("Remplacé"),
}
TAG_CLASSES = {
    CertificateStatus.VALID: "tag--success",
    CertificateStatus.EXPIRED: "tag--warning",
    CertificateStatus.REVOKED: "tag--error",
    CertificateStatus.REPLACED: "tag--warning",
}
CALLOUT_CLASSES = {
    CertificateStatus.VALID: "callout--success",
    CertificateStatus.EXPIRED: "callout--warning",
    CertificateStatus.REVOKED: "callout--error",
    CertificateStatus.REPLACED: "callout--warning",
}


def _noindex(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _breadcrumbs(*items):
    return [{"label": _("Accueil"), "url": "/"}, *items]


# --- Public verification ---------------------------------------------------------------------


@require_GET
def verify_form(request):
    """Type a code (a well-formed one goes to its verification page as typed), or send
    the certificate's PDF or its badge (certificates/verifier/views.py)."""
    from .verifier.views import form_page

    form = VerifyForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        return redirect("certificates:verify", code=form.cleaned_data["code"])
    return form_page(request, code_form=form)


def rate_limited(request, scope, *, limit, window):
    """The « trop de vérifications » page (429) once the client is over `limit` checks in
    `window` seconds in `scope`, else None (the check is counted)."""
    allowed, retry_after = ratelimit.hit(request, scope, limit=limit, window=window)
    if allowed:
        return None
    response = render(
        request,
        "certificates/rate_limited.html",
        {"limit": limit, "retry_after": retry_after},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


def find_by_code(raw_code):
    """The certificate with this code (folded as Crockford base32 does), or None.

    Always exactly one query, also for input that cannot be a code, so that a
    malformed, an unknown and a real code cost the same.
    """
    code = normalise_code(raw_code)
    return Certificate.objects.only(*PUBLIC_FIELDS).filter(code=code or "").first()


def certificate_facts(certificate):
    """What every verification answer shows of the certificate found (or of none):
    the code's page, and the file checks' (certificates/verifier/views.py)."""
    if certificate is None:
        return {"certificate": None, "status": None, "duration": ""}
    return {
        "certificate": certificate,
        "status": certificate.status(),
        "duration": format_duration(certificate.planned_minutes),
    }


def shown_code(raw_code):
    """The code as the page repeats it: canonical when well formed, else as typed."""
    code = normalise_code(raw_code)
    return format_code(code) if code else raw_code[:64]


@never_cache
@require_GET
def verify(request, code):
    limited = rate_limited(request, "certificate-verify", limit=VERIFY_LIMIT, window=VERIFY_WINDOW)
    if limited:
        return _noindex(limited)
    facts = certificate_facts(find_by_code(code))
    context = {
        **facts,
        "callout_class": CALLOUT_CLASSES.get(facts["status"], "callout--error"),
        "shown_code": shown_code(code),
        "breadcrumb_items": _breadcrumbs(
            {"label": _("Vérifier un certificat"), "url": reverse("certificates:verify_form")},
            {"label": _("Résultat"), "url": "", "current": True},
        ),
    }
    return _noindex(render(request, "certificates/verify.html", context))


# --- The holder's certificates ---------------------------------------------------------------


def holder_certificates(user):
    """The user's certificates, newest first, with only what the lists show."""
    return (
        Certificate.objects.filter(holder=user).only(*HOLDER_FIELDS).order_by("-issued_at", "-id")
    )


def completion_certificate(user, module):
    """The attestation in force for `user`'s completion of `module`, or None (one query)."""
    return (
        holder_certificates(user)
        .filter(
            module=module,
            kind=CertificateKind.COMPLETION,
            revoked_at__isnull=True,
            replaced_at__isnull=True,
        )
        .first()
    )


# The kinds' labels, looked up once a row (not `get_kind_display`, which rebuilds its
# table of choices at each call).
KIND_LABELS = dict(CertificateKind.choices)


def with_holder_status(certificates):
    """Attach the status as the holder reads it (label and tag colour) and the kind's label."""
    today = timezone.localdate()
    for certificate in certificates:
        certificate.kind_label = KIND_LABELS.get(certificate.kind, certificate.kind)
        certificate.state = certificate.status(today)
        certificate.state_label = HOLDER_LABELS[certificate.state]
        certificate.state_tag = TAG_CLASSES[certificate.state]
        certificate.downloadable = certificate.state not in UNAVAILABLE
    return certificates


# « Mon espace » runs it on every visit: compiled once per process (core.prepared).
_LATEST = PreparedQuery(lambda user: holder_certificates(user)[:DASHBOARD_CERTIFICATES], user=INT)


def latest_certificates(user):
    """The latest few for « Mon espace »: one query, whatever the user holds."""
    return with_holder_status(_LATEST.instances(user=user.pk))


def _my_breadcrumbs(*items):
    return _breadcrumbs(
        {"label": _("Mon espace"), "url": reverse("courses:dashboard")},
        *items,
    )


# « Mes certificats » also offers the badge and the LinkedIn link: what they need, and
# whether a badge exists (not the badge itself, a few kilobytes a row).
SHARING_FIELDS = ("code", "issuer_name", "signed_at")


def certificates_to_share(user):
    certificates = with_holder_status(
        list(
            holder_certificates(user)
            .only(*HOLDER_FIELDS, *SHARING_FIELDS)
            .annotate(has_badge=ExpressionWrapper(~Q(badge_jwt=""), output_field=BooleanField()))
        )
    )
    for certificate in certificates:
        if certificate.downloadable:
            certificate.linkedin_url = linkedin_url(certificate)
    return certificates


@login_required
@require_GET
def my_certificates(request):
    return render(
        request,
        "certificates/list.html",
        {
            "certificates": certificates_to_share(request.user),
            "breadcrumb_items": _my_breadcrumbs(
                {"label": _("Mes certificats"), "url": "", "current": True}
            ),
        },
    )


def _own_certificate(request, uuid, queryset=None):
    """The user's certificate with this UUID; anyone else's, or none, is a 404."""
    queryset = queryset if queryset is not None else Certificate.objects.only(*HOLDER_FIELDS)
    return get_object_or_404(queryset, uuid=uuid, holder=request.user)


def _download_lookup(uuid, holder):
    return (
        Certificate.objects.filter(uuid=uuid, holder=holder)
        .order_by()
        .values_list(*DOWNLOAD_COLUMNS)
    )


# Compiled once per thread (core/prepared.py): a download costs its SQL only. The
# sample UUID is one no certificate holds.
DOWNLOAD_ROW = PreparedQuery(
    _download_lookup, holder=INT, uuid=FieldValue(Certificate._meta.get_field("uuid"), UUID(int=0))
)


@login_required
@require_GET
def download(request, uuid):
    """The stored PDF, or a page saying why not yet (202) or not any more (410).

    Revoked and replaced certificates are not handed out again: the paper would
    no longer verify as « Authentique ». Expired ones are: they still prove the
    training was followed, and the verification page says they have expired.

    The holder's own certificate only: another person's is a 404, like an unknown one.
    """
    rows = DOWNLOAD_ROW.rows(uuid=uuid, holder=request.user.pk)
    if not rows:
        raise Http404
    pdf, revoked_at, replaced_at, number, *name_parts = rows[0]
    if pdf and revoked_at is None and replaced_at is None:
        return _pdf_response(request, pdf, number, name_parts)
    return _download_page(request, uuid)


def _download_page(request, uuid):
    """Why there is no file: not yet (202) or not any more (410)."""
    # Only what the pages read; the module's slug goes into the file name: read along
    # (one column, not the module's page rows).
    certificate = _own_certificate(
        request,
        uuid,
        Certificate.objects.only(*DOWNLOAD_FIELDS).annotate(module_slug=F("module__slug")),
    )
    with_holder_status([certificate])
    context = {
        "certificate": certificate,
        "breadcrumb_items": _my_breadcrumbs(
            {"label": _("Mes certificats"), "url": reverse("certificates:list")},
            {"label": certificate.number, "url": "", "current": True},
        ),
    }
    if not certificate.downloadable:
        response = render(request, "certificates/unavailable.html", context, status=410)
    elif not certificate.pdf:
        response = render(request, "certificates/preparing.html", context, status=202)
    else:
        # Rendered between the two reads: the file, as the next click would get it.
        return _pdf_response(
            request,
            certificate.pdf.name,
            certificate.number,
            (
                certificate.kind,
                certificate.module_slug,
                certificate.title,
                certificate.holder_last_name,
            ),
        )
    add_never_cache_headers(response)
    return response


def _pdf_response(request, pdf_name, number, name_parts):
    from certificates.pdf import filename_of

    try:
        # A store that does not answer raises StorageUnavailable: the « réessayez dans
        # quelques minutes » page (503), core/storage_errors.py.
        handle = open_stored_file(Certificate._meta.get_field("pdf").storage, pdf_name)
    except FileNotFoundError:
        # The row says rendered but the file is gone: an operations problem, not
        # something the holder can fix by waiting.
        logger.error("certificate pdf missing", extra={"certificate": number})
        raise Http404 from None
    logger.info("certificate downloaded", extra={"certificate": number, "user_id": request.user.pk})
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename_of(*name_parts),
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


BADGE_COLUMNS = ("badge_jwt", "revoked_at", "replaced_at", "number")


@login_required
@require_GET
def badge(request, uuid):
    """The holder's Open Badge credential as a file (certificates/badges/envelope.py).

    Like the PDF: the holder's own only (404 otherwise), not handed out once revoked
    or replaced (410 page), not before it is signed (404: the list shows no link).
    """
    from .badges import envelope

    row = (
        Certificate.objects.filter(uuid=uuid, holder=request.user)
        .order_by()
        .values_list(*BADGE_COLUMNS)
        .first()
    )
    if row is None:
        raise Http404
    jwt, revoked_at, replaced_at, number = row
    if revoked_at or replaced_at:
        return _download_page(request, uuid)
    if not jwt:
        raise Http404
    logger.info(
        "certificate badge downloaded", extra={"certificate": number, "user_id": request.user.pk}
    )
    response = HttpResponse(envelope.file_bytes(jwt), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{envelope.filename_for(number)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def status(request, uuid):
    """{"ready": bool} for the « en préparation » page's script (holder only)."""
    certificate = _own_certificate(request, uuid)
    response = JsonResponse({"ready": bool(certificate.pdf)})
    add_never_cache_headers(response)
    return response
