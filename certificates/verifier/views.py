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
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import RequestDataTooBig
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from certificates.forms import BadgeVerifyForm, DocumentVerifyForm, VerifyForm
from certificates.verdicts import BADGE_MAX_BYTES, PDF_MAX_BYTES, BadgeVerdict, DocumentVerdict
from certificates.views import _breadcrumbs, _noindex, certificate_facts, rate_limited

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


def _answer_breadcrumbs(current):
    return _breadcrumbs(
        {"label": _("Vérifier un certificat"), "url": reverse("certificates:verify_form")},
        {"label": current, "url": "", "current": True},
    )


def form_page(request, *, code_form=None, document_form=None, badge_form=None, status=200):
    """/verifier/ with its three ways to check; a bound form shows its errors."""
    return render(
        request,
        "certificates/verify_form.html",
        {
            "form": code_form or VerifyForm(),
            "document_form": document_form or DocumentVerifyForm(),
            "badge_form": badge_form or BadgeVerifyForm(),
            "breadcrumb_items": _breadcrumbs(
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


@dataclass(frozen=True)
class FileCheck:
    """One way to check a file: its form, its size limit, its check and its answer."""

    form_class: type
    form_key: str
    limit: int
    too_large: str
    log_message: str
    check: Callable
    answer: Callable


def _start(request, spec):
    """Before anything reads the body: method, rate limit, declared size, handlers."""
    if request.method != "POST":
        return redirect("certificates:verify_form")
    limited = rate_limited(request, "certificate-verify-file", limit=FILE_LIMIT, window=FILE_WINDOW)
    if limited:
        return limited
    if declared_too_large(request, spec.limit):
        return _refused(request, spec, spec.too_large)
    handler = use_memory_only(request, spec.limit)
    return _read(request, spec, handler)


def _refused(request, spec, message):
    form = _refused_form(spec.form_class, "too_large", message)
    return form_page(request, status=413, **{spec.form_key: form})


@csrf_protect
def _read(request, spec, handler):
    try:
        form = spec.form_class(request.POST, request.FILES)
    except RequestDataTooBig:
        return _refused(request, spec, _("Cet envoi est trop volumineux."))
    if handler.too_large:
        return _refused(request, spec, spec.too_large)
    if not form.is_valid():
        return form_page(request, status=400, **{spec.form_key: form})
    check = spec.check(form.cleaned_data)
    logger.info(
        spec.log_message,
        extra={
            "verdict": str(check.verdict),
            "reason": check.reason,
            "certificate": getattr(check.certificate, "number", ""),
        },
    )
    return spec.answer(request, check)


def _check_document(cleaned_data):
    from certificates.signed_pdfs.verification import verify_pdf

    return verify_pdf(cleaned_data["document"].read())


def _document_answer(request, check):
    return _noindex(
        render(
            request,
            "certificates/verify_document.html",
            {
                "check": check,
                "callout_class": DOCUMENT_CALLOUTS[check.verdict],
                **certificate_facts(check.certificate),
                "breadcrumb_items": _answer_breadcrumbs(_("Vérification d’un document")),
            },
        )
    )


def _check_badge(cleaned_data):
    from certificates.badges.verification import verify_badge as check_badge

    return check_badge(cleaned_data["credential_text"])


def _badge_answer(request, check):
    valid = check.verdict == BadgeVerdict.VALID
    return _noindex(
        render(
            request,
            "certificates/verify_badge.html",
            {
                "check": check,
                "valid": valid,
                "reason_text": "" if valid else BADGE_REASONS.get(check.reason, BADGE_REFUSED),
                "callout_class": "callout--success" if valid else "callout--error",
                **certificate_facts(check.certificate),
                "breadcrumb_items": _answer_breadcrumbs(_("Vérification d’un badge")),
            },
        )
    )


DOCUMENT_CHECK = FileCheck(
    form_class=DocumentVerifyForm,
    form_key="document_form",
    limit=PDF_MAX_BYTES,
    too_large=gettext_lazy(
        "Ce fichier dépasse 5 Mo : un certificat de Repères en pèse bien moins."
    ),
    log_message="certificate document checked",
    check=_check_document,
    answer=_document_answer,
)
BADGE_CHECK = FileCheck(
    form_class=BadgeVerifyForm,
    form_key="badge_form",
    limit=BADGE_MAX_BYTES,
    too_large=gettext_lazy("Ce contenu est trop volumineux pour être un badge (256 Ko au plus)."),
    log_message="certificate badge checked",
    check=_check_badge,
    answer=_badge_answer,
)


@csrf_exempt
@never_cache
def verify_document(request):
    return _start(request, DOCUMENT_CHECK)


@csrf_exempt
@never_cache
def verify_badge(request):
    return _start(request, BADGE_CHECK)
