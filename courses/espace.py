"""« Mon espace » (/espace/): the page that gathers both wings and the certificates.

It sits above the self-paced wing (`courses.modules`) and the in-person one
(`courses.sessions`) so that neither wing imports the other: each hands over its own
part of the page, read in a constant number of queries.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.forms import profile_prompt_form
from certificates.views import latest_certificates
from core.middleware import with_cached_site
from courses.modules import services
from courses.sessions import registration_views
from surveys.services import open_invitations


@login_required
@require_GET
@with_cached_site
def dashboard(request):
    return render(
        request,
        "courses/espace.html",
        {
            "dashboard": services.learner_dashboard(request.user),
            # « Mes certificats »: the latest few, one query (certificates app).
            "certificates": latest_certificates(request.user),
            # « Mes sessions » and the calendar feed's address (one query).
            **registration_views.dashboard_context(request),
            # Asked once, politely, when sector or workplace is blank (no query: the
            # fields are on request.user).
            "profile_prompt_form": profile_prompt_form(request.user),
            # « Donnez votre avis »: open satisfaction questionnaires (one query, surveys app).
            "survey_invitations": open_invitations(request.user),
            "breadcrumb_items": [
                {"label": _("Accueil"), "url": "/"},
                {"label": _("Mon espace"), "url": "", "current": True},
            ],
        },
    )
