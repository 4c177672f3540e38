"""/resultats/: the published results, overall and per publisher (Qualiopi 1–2).

Public, anonymous, aggregates only. The figures are cached: one hour, and dropped with
the content cache (`core.content_cache.CONTENT`: a publisher renamed or a page
published shows at once). The hour is part of the key, so each process's memory copy
of an entry also lasts one hour at most.
"""

import time

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.content_cache import CONTENT
from guides.models import Publisher

from . import figures

CACHE_SECONDS = 3600


def current_hour():
    """The number of the current hour: part of the cache key, so entries last an hour."""
    return int(time.time() // CACHE_SECONDS)


def cached_results(publisher_id=None):
    key = f"reperes:results:{publisher_id or 'all'}:{current_hour()}"
    publisher = Publisher(pk=publisher_id) if publisher_id else None
    return CONTENT.get_or_build(key, lambda: figures.results(publisher), timeout=CACHE_SECONDS)


def cached_publishers():
    """{id: name} of every publisher, in name order. Publishers are watched content
    (`guides.signals`): a publisher added or renamed drops this entry."""
    return CONTENT.get_or_build(
        "reperes:results:publishers",
        lambda: dict(Publisher.objects.order_by("name").values_list("pk", "name")),
    )


def _crumbs(*items):
    return [{"label": _("Accueil"), "url": "/"}, *items]


def _render(request, publisher_id, crumbs):
    publishers = cached_publishers()
    results = cached_results(publisher_id)
    return render(
        request,
        "pilotage/results/results.html",
        {
            "results": results,
            "satisfaction": [
                (_("Satisfaction à chaud (fin de formation)"), results.satisfaction_hot),
                (_("Satisfaction à froid (quelques mois après)"), results.satisfaction_cold),
            ],
            "publisher_id": publisher_id,
            "publisher_name": publishers.get(publisher_id, ""),
            "publishers": publishers.items(),
            "breadcrumb_items": _crumbs(*crumbs),
        },
    )


@require_GET
def overview(request):
    return _render(request, None, [{"label": _("Nos résultats"), "url": "", "current": True}])


@require_GET
def publisher_results(request, publisher_id):
    name = cached_publishers().get(publisher_id)
    if name is None:
        raise Http404
    crumbs = [
        {"label": _("Nos résultats"), "url": reverse("results:overview")},
        {"label": name, "url": "", "current": True, "content": True},
    ]
    return _render(request, publisher_id, crumbs)
