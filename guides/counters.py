"""Guide reading, counted per page and day: no cookie, no user, nobody tracked.

Two parts, kept apart on purpose:
- `is_countable(request, response)` says whether a served response is a reading by a
  person (GET, 200, not a preview, not a robot by a short User-Agent rule);
- `count_guide_hit(page_id, kind)` adds one to the day's row, whoever asked.

`GuidePage.serve` calls both after rendering. The page cache (`core.page_cache`)
answers most anonymous readings before Django's views run: the stored page is marked
(`count_on_hit`), and each hit calls `count_cached_reading`, which applies the same rule
to the request. Outcomes of « Que faire ? » are counted the same way by their view
(they are not page-cached). The service worker's offline copies are not readings
(`OFFLINE_COPY_HEADER`).
"""

import logging
import re

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import GuideDailyCount, OrientationOutcomeDailyCount

logger = logging.getLogger("reperes.guides")

VIEW = "views"
PDF = "pdf_downloads"
KINDS = (VIEW, PDF)
REACHED = "reached"
OUTCOME_KINDS = (REACHED, PDF)

# Robots announce themselves; people's browsers always send a User-Agent. A short
# rule on purpose: the counts are an order of magnitude, not an audit.
ROBOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|preview|monitor|"
    r"curl|wget|python|java/|go-http|libwww|httpclient|scrapy",
    re.IGNORECASE,
)


def is_robot(user_agent):
    return not user_agent or bool(ROBOT_USER_AGENT.search(user_agent))


#: Sent by the service worker (site/offline/serviceworker.js) when it fetches the
#: anonymous copy of a page or PDF to keep offline: a copy, not a reading.
OFFLINE_COPY_HEADER = "X-Reperes-Offline-Copy"


def is_person_reading(request):
    """GET, outside Wagtail's preview, not a robot, not the service worker's copy."""
    return (
        request.method == "GET"
        and not getattr(request, "is_preview", False)
        and not is_robot(request.headers.get("User-Agent", ""))
        and OFFLINE_COPY_HEADER not in request.headers
    )


def is_countable(request, response):
    """A person read the page: a reading (`is_person_reading`) answered with a 200."""
    return response.status_code == 200 and is_person_reading(request)


#: The page cache's name for a guide's readings (`core.page_cache.count_on_hit`).
GUIDE_READING = "guide"


def count_cached_reading(request, page_id, kind):
    """A reading of a guide answered by the page cache (registered in `guides.signals`):
    the page was a 200 when stored, so a person's GET counts as the view would."""
    if is_person_reading(request):
        count_guide_hit(page_id, kind)


def count_guide_hit(page_id, kind=VIEW, day=None):
    """One more view (or PDF download) of `page_id` today: an atomic upsert.

    The common case is one UPDATE (the day's row exists). The first hit of the day
    inserts the row; when two servers insert it at once, the unique (page, day)
    constraint refuses the second, which then updates the first's row. The insert
    runs in a savepoint, so an enclosing transaction survives the refusal.
    """
    if kind not in KINDS:
        raise ValueError(kind)
    _increment(GuideDailyCount, page_id, kind, day)


def count_outcome_hit(page_id, kind=REACHED, day=None):
    """One more reaching of the « Que faire ? » outcome `page_id` today (or a download
    of its fiche): the only record the path keeps, no answer and nobody's path."""
    if kind not in OUTCOME_KINDS:
        raise ValueError(kind)
    _increment(OrientationOutcomeDailyCount, page_id, kind, day)


def _increment(model, page_id, kind, day=None):
    day = day or timezone.localdate()
    increment = {kind: F(kind) + 1}
    rows = model.objects.filter(page_id=page_id, day=day)
    if rows.update(**increment):
        return
    try:
        with transaction.atomic():
            model.objects.create(page_id=page_id, day=day, **{kind: 1})
    except IntegrityError:
        # Another request created the day's row in between: add to it.
        if not rows.update(**increment):
            logger.warning("count lost", extra={"page_id": page_id, "kind": kind})
