"""The « bilan » PDF as a task: ask (`request_bilan`), render (`render_report`, run by
`pilotage.tasks.render_bilan_report`), purge (`purge_reports`).

The PDF takes seconds on a busy year (WeasyPrint), so it is not rendered in the
request: the dashboard's POST stores the filters that applied and enqueues the task;
the person waits on a status page, then downloads the stored file.

The task checks the scope again when it renders: whoever lost the role, or the
publisher, between asking and rendering gets a failed report and no figures.
"""

import logging
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from accounts.roles import is_coordination

from .models import RETENTION_DAYS, BilanReport
from .scope import may_open_dashboard, visible_publishers

logger = logging.getLogger("reperes.pilotage")
#: A pending report younger than this is handed back rather than asked again; an
#: older one is stuck (a worker down) and a new request gets a new chance.
REUSE_PENDING = timedelta(minutes=10)


class BilanError(Exception):
    """A bilan that cannot be rendered; `.code` is one of `BilanReport.Error`."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def filter_values(result):
    """The filters that applied (`filters.FilterResult`), as JSON: bad values already
    dropped by `read_filters`, and the period resolved to its two dates, so that a
    « last 12 months » asked on the 31st is not another period when rendered."""
    values = {
        key: str(value)
        for key, value in result.query.items()
        if key not in ("period", "start", "end")
    }
    values["start"] = result.filters.start.isoformat()
    values["end"] = result.filters.end.isoformat()
    return values


def request_bilan(user, result):
    """Store a pending report for `user` and enqueue its rendering once committed.

    A second click while the same bilan is still pending gets that report back: the
    rendering takes seconds of a worker, not to be queued twice for nothing.
    """
    from .tasks import render_bilan_report

    values = filter_values(result)
    with transaction.atomic():
        pending = BilanReport.objects.filter(
            requested_by=user,
            status=BilanReport.Status.PENDING,
            filters=values,
            created_at__gte=timezone.now() - REUSE_PENDING,
        ).first()
        if pending is not None:
            return pending
        report = BilanReport.objects.create(requested_by=user, filters=values)
        # robust: a queue that cannot take the task is logged; the report stays pending
        # and is purged with the others.
        transaction.on_commit(lambda: render_bilan_report.enqueue(report.pk), robust=True)
    logger.info("pilotage bilan requested", extra={"user_id": user.pk, "report": report.pk})
    return report


def report_filters(report):
    """The report's filters, checked again against what its requester may see now."""
    from .filters import read_filters

    user = report.requested_by
    if not user.is_active or not may_open_dashboard(user):
        raise BilanError(BilanReport.Error.SCOPE)
    try:
        result = read_filters(
            dict(report.filters), visible_publishers(user), coordination=is_coordination(user)
        )
    except Http404:  # a module, session or publisher no longer theirs
        raise BilanError(BilanReport.Error.SCOPE) from None
    if result.notices:  # a value that means nothing now: not the bilan that was asked
        raise BilanError(BilanReport.Error.FILTERS)
    return result.filters


def render_report(report_id):
    """Render and store a pending report once; a ready or failed one is left alone."""
    from . import pdf
    from .dashboard import build_dashboard

    report = BilanReport.objects.select_related("requested_by").filter(pk=report_id).first()
    if report is None or report.status != BilanReport.Status.PENDING:
        return
    try:
        content = pdf.render_bilan(build_dashboard(report_filters(report)), report.requested_by)
        store(report_id, content)
    except BilanError as error:
        fail(report_id, error.code)
    except Exception:
        # Any rendering or storage bug: the person must read « failed », not wait forever.
        logger.exception("pilotage bilan rendering failed", extra={"report": report_id})
        fail(report_id, BilanReport.Error.RENDER)


def store(report_id, content):
    with transaction.atomic():
        report = BilanReport.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.status != BilanReport.Status.PENDING:
            return  # done meanwhile (a duplicated task), or deleted
        report.file.save("bilan.pdf", ContentFile(content), save=False)
        name = report.file.name
        try:
            report.status = BilanReport.Status.READY
            report.ready_at = timezone.now()
            report.save(update_fields=["file", "status", "ready_at"])
        except Exception:
            report.file.storage.delete(name)  # no file without its row
            raise
    logger.info("pilotage bilan stored", extra={"report": report_id})


def fail(report_id, code):
    updated = BilanReport.objects.filter(pk=report_id, status=BilanReport.Status.PENDING).update(
        status=BilanReport.Status.FAILED, error=code
    )
    if updated:
        logger.warning("pilotage bilan failed", extra={"report": report_id, "error": code})


def purge_reports(now=None, days=RETENTION_DAYS):
    """Delete the reports asked more than `days` days before `now`; returns how many.

    Their files go with them (`models.delete_bilan_file`, after the commit).
    Idempotent: a second run finds nothing.
    """
    now = now or timezone.now()
    with transaction.atomic():
        count, _by_model = BilanReport.objects.filter(
            created_at__lt=now - timedelta(days=days)
        ).delete()
    logger.info("pilotage bilans purged", extra={"count": count})
    return count
