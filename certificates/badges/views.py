"""The public documents badges point to: keys, issuer, achievements, status lists.

Anonymous, read-only, no personal data, no cookie: cacheable by anyone for a short
while, and open to scripts of other origins (`Access-Control-Allow-Origin: *`), since
wallets and verifiers in browsers fetch them.
"""

import json

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from certificates.signing_keys import known_keys, load_certificate, public_jwk
from courses.models import ModulePage, TrainingSession
from courses.models.sessions import SessionStatus

from . import achievements, credentials, links, status_lists

JSON = "application/json"
#: Long enough to spare the platform, short enough that a new key is seen soon.
DOCUMENT_MAX_AGE = 300


def _public(response, max_age=DOCUMENT_MAX_AGE):
    patch_cache_control(response, public=True, max_age=max_age)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _json(data, content_type=JSON, **kwargs):
    body = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return _public(HttpResponse(body, content_type=f"{content_type}; charset=utf-8"), **kwargs)


@require_safe
def jwks(request):
    """Every key the platform has signed with (RFC 7517 key set), public members only."""
    keys = [public_jwk(load_certificate(row.certificate_pem)) for row in known_keys()]
    return _json({"keys": keys}, content_type="application/jwk-set+json")


@require_safe
def issuer(request):
    profile = {
        "@context": list(credentials.CONTEXTS),
        **credentials.issuer_profile(),
        # Where the keys of its credentials are (the JOSE `kid` of each badge points
        # into it); the VC 2.0 context maps a term it does not define to its @vocab.
        "jwks_uri": links.jwks_url(),
    }
    response = _json(profile)
    response["Link"] = f'<{links.jwks_url()}>; rel="jwks"'
    return response


def _achievement(facts):
    return _json({"@context": list(credentials.CONTEXTS), **achievements.achievement_json(facts)})


@require_safe
def module_achievement(request, module_id):
    """A published module's achievement; a draft or a restricted module is not served."""
    module = get_object_or_404(
        ModulePage.objects.live().public().select_related("publisher"), pk=module_id
    )
    return _achievement(achievements.facts_of_module(module))


@require_safe
def session_achievement(request, session_id):
    session = get_object_or_404(
        TrainingSession.objects.exclude(status=SessionStatus.CANCELLED).select_related(
            "organiser", "module"
        ),
        pk=session_id,
    )
    return _achievement(achievements.facts_of_session(session))


@require_safe
def status_list(request, number):
    jwt = status_lists.status_list_jwt(number)
    if jwt is None:
        raise Http404
    response = HttpResponse(jwt, content_type="application/vc+jwt")
    return _public(response, max_age=status_lists.TTL_SECONDS)
