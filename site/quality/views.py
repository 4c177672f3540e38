"""/reclamation/: anyone files a complaint; /reclamation/envoyee/ confirms it.

Thin views: the form parses, `quality.services.file_complaint` files. Rate-limited
per client and per e-mail address in the shared cache (certificates/ratelimit.py),
so that every app server counts the same. The confirmation follows a redirect
(POST-redirect-GET): the reference travels in the session, never in the URL.
"""

import math

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from certificates import ratelimit
from quality.forms import ComplaintForm
from quality.services import file_complaint

# Five complaints an hour from one connection, three from one address: far more
# than a person needs, and a robot gets nowhere.
CLIENT_LIMIT = 5
EMAIL_LIMIT = 3
WINDOW = 3600
SESSION_KEY = "quality_complaint_reference"


def breadcrumbs(*items):
    return [{"label": _("Accueil"), "url": "/"}, *items]


def rate_limited(request, retry_after):
    response = render(
        request,
        "quality/rate_limited.html",
        {"retry_minutes": math.ceil(retry_after / 60)},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def complaint(request):
    form = ComplaintForm(request.POST or None, user=request.user)
    if request.method == "POST":
        allowed, retry_after = ratelimit.hit(
            request, "complaint-client", limit=CLIENT_LIMIT, window=WINDOW
        )
        if not allowed:
            return rate_limited(request, retry_after)
        if form.is_valid():
            return file(request, form)
    return render(
        request,
        "quality/complaint.html",
        {
            "form": form,
            "breadcrumb_items": breadcrumbs(
                {"label": _("Signaler un problème"), "url": "", "current": True}
            ),
        },
    )


def file(request, form):
    if form.is_spam:
        # Answered as if it were filed: a robot learns nothing.
        request.session.pop(SESSION_KEY, None)
        return redirect("quality:complaint_sent")
    arguments = form.service_arguments()
    email = request.user.email if form.user is not None else arguments["email"]
    allowed, retry_after = ratelimit.hit_key(
        "complaint-email", email.lower(), limit=EMAIL_LIMIT, window=WINDOW
    )
    if not allowed:
        return rate_limited(request, retry_after)
    filing = file_complaint(user=form.user, **arguments)
    request.session[SESSION_KEY] = filing.complaint.reference
    return redirect("quality:complaint_sent")


@never_cache
@require_GET
def complaint_sent(request):
    return render(
        request,
        "quality/complaint_sent.html",
        {
            "reference": request.session.get(SESSION_KEY, ""),
            "breadcrumb_items": breadcrumbs(
                {"label": _("Signaler un problème"), "url": "", "current": True}
            ),
        },
    )
