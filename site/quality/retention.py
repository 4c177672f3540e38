"""How long a complaint keeps the person behind it (`manage.py anonymise_complaints`).

A complaint closed more than `COMPLAINT_RETENTION_YEARS` ago (3 by default: one
Qualiopi certification cycle) loses its author (account link, name, address) and its
texts (the message and the answer may name people). What the audit counts stays: the
reference, the subject, the publisher, the dates and the status, so the register's
figures (`quality.figures`) do not change. Complaints never closed are kept until
they are: they are still being handled.

Idempotent: an anonymised complaint is not touched again.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log

from .log_actions import COMPLAINT_EXPIRE
from .models import ERASED, Complaint, ComplaintStatus

logger = logging.getLogger("reperes.quality")

ERASED_FIELDS = ("name", "email", "message", "answer", "answer_sent")


def expired_complaints(now=None):
    now = now or timezone.now()
    # 365.25 days a year: the limit never falls a day early after a 29 February.
    cutoff = now - datetime.timedelta(days=round(365.25 * settings.COMPLAINT_RETENTION_YEARS))
    not_yet_erased = Q(filed_by__isnull=False)
    for field in ERASED_FIELDS:
        not_yet_erased |= ~Q(**{field: ERASED})
    return Complaint.objects.filter(
        not_yet_erased, status=ComplaintStatus.CLOSE, closed_at__lt=cutoff
    )


def anonymise_expired_complaints(now=None):
    """Anonymise the complaints past their retention; returns how many were."""
    with transaction.atomic():
        expired = list(expired_complaints(now).select_for_update().only("pk", "reference"))
        Complaint.objects.filter(pk__in=[complaint.pk for complaint in expired]).update(
            filed_by=None, **dict.fromkeys(ERASED_FIELDS, ERASED)
        )
        for complaint in expired:
            log(
                instance=complaint,
                action=COMPLAINT_EXPIRE,
                data={"reference": complaint.reference},
            )
    logger.info("complaints anonymised", extra={"count": len(expired)})
    return len(expired)
