"""Verifying a file on /verifier/: a certificate's PDF, or its Open Badge credential.

The code check (views.verify) proves a certificate exists; these prove that the file
in someone's hands is the one issued. Both are public, rate-limited per client like
the code check, and never keep what they are given: the upload stays in memory
(uploads.py), is read once by the check, and only the verdict is logged.

The upload handlers must be set before anything reads `request.POST`, and the CSRF
middleware does: hence `csrf_exempt` on the outer view and `csrf_protect` on the
inner one, as Django's documentation prescribes for custom upload handlers.
"""

import logging

from django.core.exceptions import RequestDataTooBig
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from certificates import ratelimit
from certificates.forms import BadgeVerifyForm, DocumentVerifyForm, VerifyForm
from certificates.verdicts import BADGE_MAX_BYTES, PDF_MAX_BYTES, BadgeVerdict, DocumentVerdict
from courses.models.pages import format_duration

from .uploads import declared_too_large, use_memory_only

logger = logging.getLogger("reperes.certificates")

# A file check costs more than a code lookup (a signature to validate): fewer a minute.
FILE_LIMIT = 10
FILE_WINDOW = 60

DOCUMENT_CALLOUTS = {
    DocumentVerdict.AUTHENTIC: "callout--success",
    DocumentVerdict.MODIFIED: "callout--error",
    DocumentVerdict.UNKNOWN_SIGNATURE: "callout--warning",
}

# Why a badge is refused, as the page says it (codes from certificates/verdicts.py).
BADGE_REASONS = {
    "malformed": gettext_lazy(
        "Ce contenu n’est pas un badge lisible : un badge Open Badges de Repères est un "
        "fichier JSON ou un jeton JWT."
    ),
    "too_large": gettext_lazy("Ce contenu est trop volumineux pour être un badge."),
    "bad_signature": gettext_lazy(
        "La preuve cryptographique ne correspond pas au contenu : le badge a été modifié "
        "après sa délivrance."
    ),
    "unknown_key": gettext_lazy("Ce badge n’est pas signé par une clé de Repères."),
    "wrong_issuer": gettext_lazy("Ce badge n’a pas été délivré par Repères."),
    "not_a_badge": gettext_lazy("Ce contenu n’est pas un badge Open Badges 3.0."),
    "schema": gettext_lazy(
        "Ce contenu ne respecte pas le format Open Badges 3.0 : il n’a pas été délivré "
        "par Repères sous cette forme."
    ),
    "unknown_certificate": gettext_lazy("Aucun certificat de Repères ne correspond à ce badge."),
    "claims_mismatch": gettext_lazy(
        "Les informations du jeton ne correspondent pas à celles du badge : il a été fabriqué "
        "ou modifié."
    ),
    "content_mismatch": gettext_lazy(
        "Le contenu du badge ne correspond pas au certificat délivré : il a été modifié."
    ),
    "revoked": gettext_lazy("Ce badge a été révoqué : il n’atteste plus de la formation."),
    "replaced": gettext_lazy(
        "Ce badge a été remplacé par un badge plus récent, délivré à la même personne."
    ),
    "expired": gettext_lazy("La validité de ce badge a pris fin."),
    "not_yet_valid": gettext_lazy("Ce badge n’est pas encore valide."),
}
BADGE_REFUSED = gettext_lazy("Ce badge ne peut pas être tenu pour authentique.")


def _breadcrumbs(current):
    return [
        {"label": _("Accueil"), "url": "/"},
        {"label": _("Vérifier un certificat"), "url": reverse("certificates:verify_form")},
        {"label": current, "url": "", "current": True},
    ]


def _rate_limited(request):
    allowed, retry_after = ratelimit.hit(
        request, "certificate-verify-file", limit=FILE_LIMIT, window=FILE_WINDOW
    )
    if allowed:
        return None
    response = render(
        request,
        "certificates/rate_limited.html",
        {"limit": FILE_LIMIT, "retry_after": retry_after},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


def form_page(request, *, code_form=None, document_form=None, badge_form=None, status=200):
    """/verifier/ with its three ways to check; a bound form shows its errors."""
    from certificates.views import _breadcrumbs as home_breadcrumbs

    return render(
        request,
        "certificates/verify_form.html",
        {
            "form": code_form or VerifyForm(),
            "document_form": document_form or DocumentVerifyForm(),
            "badge_form": badge_form or BadgeVerifyForm(),
            "breadcrumb_items": home_breadcrumbs(
                {"label": _("Vérifier un certificat"), "url": "", "current": True}
            ),
        },
        status=status,
    )


def _refused_form(form_class, code, message):
    form = form_class(data={})
    form.full_clean()
    form.errors.clear()
    form.add_error(None, message)
    form.refusal = code
    return form


def _result(request, template, context):
    response = render(request, template, context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _certificate_context(certificate):
    if certificate is None:
        return {"certificate": None, "status": None}
    return {
        "certificate": certificate,
        "status": certificate.status(),
        "duration": format_duration(certificate.planned_minutes),
    }


@csrf_exempt
@never_cache
def verify_document(request):
    if request.method != "POST":
        return redirect("certificates:verify_form")
    limited = _rate_limited(request)
    if limited:
        return limited
    if declared_too_large(request, PDF_MAX_BYTES):
        form = _refused_form(
            DocumentVerifyForm,
            "too_large",
            _("Ce fichier dépasse 5 Mo : un certificat de Repères en pèse bien moins."),
        )
        return form_page(request, document_form=form, status=413)
    handler = use_memory_only(request, PDF_MAX_BYTES)
    return _verify_document(request, handler)


@csrf_protect
def _verify_document(request, handler):
    try:
        form = DocumentVerifyForm(request.POST, request.FILES)
    except RequestDataTooBig:
        form = _refused_form(DocumentVerifyForm, "too_large", _("Cet envoi est trop volumineux."))
        return form_page(request, document_form=form, status=413)
    if handler.too_large:
        form = _refused_form(
            DocumentVerifyForm,
            "too_large",
            _("Ce fichier dépasse 5 Mo : un certificat de Repères en pèse bien moins."),
        )
        return form_page(request, document_form=form, status=413)
    if not form.is_valid():
        return form_page(request, document_form=form, status=400)
    from certificates.signed_pdfs.verification import verify_pdf

    check = verify_pdf(form.cleaned_data["document"].read())
    logger.info(
        "certificate document checked",
        extra={
            "verdict": str(check.verdict),
            "reason": check.reason,
            "certificate": getattr(check.certificate, "number", ""),
        },
    )
    return _result(
        request,
        "certificates/verify_document.html",
        {
            "check": check,
            "callout_class": DOCUMENT_CALLOUTS[check.verdict],
            **_certificate_context(check.certificate),
            "breadcrumb_items": _breadcrumbs(_("Vérification d’un document")),
        },
    )


@csrf_exempt
@never_cache
def verify_badge(request):
    if request.method != "POST":
        return redirect("certificates:verify_form")
    limited = _rate_limited(request)
    if limited:
        return limited
    if declared_too_large(request, BADGE_MAX_BYTES):
        form = _refused_form(
            BadgeVerifyForm, "too_large", _("Ce contenu est trop volumineux pour être un badge.")
        )
        return form_page(request, badge_form=form, status=413)
    handler = use_memory_only(request, BADGE_MAX_BYTES)
    return _verify_badge(request, handler)


@csrf_protect
def _verify_badge(request, handler):
    try:
        form = BadgeVerifyForm(request.POST, request.FILES)
    except RequestDataTooBig:
        form = _refused_form(BadgeVerifyForm, "too_large", _("Cet envoi est trop volumineux."))
        return form_page(request, badge_form=form, status=413)
    if handler.too_large:
        form = _refused_form(
            BadgeVerifyForm,
            "too_large",
            _("Ce fichier est trop volumineux pour être un badge (256 Ko au plus)."),
        )
        return form_page(request, badge_form=form, status=413)
    if not form.is_valid():
        return form_page(request, badge_form=form, status=400)
    from certificates.badges.verification import verify_badge as check_badge

    check = check_badge(form.cleaned_data["credential_text"])
    logger.info(
        "certificate badge checked",
        extra={
            "verdict": str(check.verdict),
            "reason": check.reason,
            "certificate": getattr(check.certificate, "number", ""),
        },
    )
    valid = check.verdict == BadgeVerdict.VALID
    return _result(
        request,
        "certificates/verify_badge.html",
        {
            "check": check,
            "valid": valid,
            "reason_text": "" if valid else BADGE_REASONS.get(check.reason, BADGE_REFUSED),
            "callout_class": "callout--success" if valid else "callout--error",
            **_certificate_context(check.certificate),
            "breadcrumb_items": _breadcrumbs(_("Vérification d’un badge")),
        },
    )
