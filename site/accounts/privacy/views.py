"""« Mes données » (/espace/mes-donnees/): see, download, and delete one's account.

Every page but the final confirmation asks for the password (or a second factor)
again, through allauth's reauthentication (valid five minutes): a session left open
on a shared computer must not be enough to take someone's data or delete them.
Deletion is a POST with an explicit confirmation; a GET never deletes anything.
"""

import json
import logging

from allauth.account.decorators import reauthentication_required
from django import forms
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.privacy import erasure, registry
from accounts.privacy.export import personal_data
from accounts.services import AccountError
from core.audit import log_data_export

logger = logging.getLogger("reperes.accounts")


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("Je demande la suppression définitive de mon compte et de mes données."),
        error_messages={"required": gettext_lazy("Cochez la case pour confirmer la suppression.")},
    )


def _breadcrumbs(*items):
    return [
        {"label": _("Accueil"), "url": "/"},
        {"label": _("Mon espace"), "url": reverse("courses:dashboard")},
        *items,
    ]


# Personal pages (`never_cache`: private, no-store): never kept by a browser or a proxy.
@never_cache
@login_required
@reauthentication_required
@require_GET
def my_data(request):
    context = {
        "data": personal_data(request.user, language=request.LANGUAGE_CODE),
        # The other apps' parts of the page, each from its own template.
        "sections": registry.sections(),
        "retention_years": settings.CERTIFICATE_RETENTION_YEARS,
        "breadcrumb_items": _breadcrumbs({"label": _("Mes données"), "url": "", "current": True}),
    }
    logger.info("personal data viewed", extra={"user_id": request.user.pk})
    return render(request, "accounts/privacy/my_data.html", context)


def export_filename():
    return f"reperes-mes-donnees-{timezone.localdate():%Y-%m-%d}.json"


@never_cache
@login_required
@reauthentication_required
@require_GET
def my_data_json(request):
    data = personal_data(request.user, language=request.LANGUAGE_CODE)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export_filename()}"'
    # In the audit log too: a stolen session that takes someone's data leaves a trace.
    log_data_export(request.user, request.user, what="personal_data", export_format="json", count=1)
    return response


@never_cache
@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    user = request.user
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    context = {
        "form": form,
        "refused": user.is_superuser,
        # What the apps will do (seats given back, certificates kept), in their words.
        "notices": erasure.notices(user),
        "breadcrumb_items": _breadcrumbs(
            {"label": _("Mes données"), "url": reverse("account_my_data")},
            {"label": _("Supprimer mon compte"), "url": "", "current": True},
        ),
    }
    if request.method == "POST" and not user.is_superuser and form.is_valid():
        try:
            erasure.delete_account(user, reason="self", by=user)
        except AccountError as error:
            logger.warning("account deletion refused: %s", error.code, extra={"user_id": user.pk})
            form.add_error(None, _("Votre compte n'a pas pu être supprimé."))
        else:
            # The account is gone: end this session too (the others died with it), and
            # drop its pages from the browser's cache, as a logout does (accounts.views.LogoutView).
            logout(request)
            response = redirect("account_deleted")
            response["Clear-Site-Data"] = '"cache"'
            return response
    status = 403 if user.is_superuser and request.method == "POST" else 200
    return render(request, "accounts/privacy/delete_account.html", context, status=status)


@require_GET
def account_deleted(request):
    """The last page: the same for everyone, it says nothing about who was deleted."""
    return render(
        request,
        "accounts/privacy/account_deleted.html",
        {"retention_years": settings.CERTIFICATE_RETENTION_YEARS},
    )
