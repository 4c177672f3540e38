"""What the quality app holds about a person, for « Mes données » and deletion.

Registered with the accounts app (`accounts.privacy.registry`) by QualityConfig.ready.
The export lists the complaints the person filed while logged in (`filed_by`): a
complaint sent anonymously is tied to an address nobody verified, so it is not handed
to whoever holds an account with that address.

On deletion, the complaints stay (the register of complaints is evidence for the
quality audit), without their author: the account link goes and the name and the
address become « — ». The message and the answer are kept. Complaints filed
anonymously are kept as filed; their retention is the register's (see the report).
"""

from wagtail.log_actions import log

from accounts.privacy import registry
from quality.log_actions import COMPLAINT_ERASE
from quality.models import ERASED, Complaint


def register():
    registry.register_section(
        registry.Section(
            name="quality",
            order=60,
            export={"complaints": complaints},
            template="quality/privacy/my_data.html",
        )
    )
    registry.register_erasure(registry.Erasure(name="quality", order=60, erase=forget_author))


def complaints(user):
    """The person's complaints, in one query."""
    rows = (
        Complaint.objects.filter(filed_by=user)
        .select_related("module", "session", "guide")
        .order_by("created_at", "pk")
    )
    return [
        {
            "reference": complaint.reference,
            "created_at": complaint.created_at,
            "subject": complaint.subject_label,
            "message": complaint.message,
            "status": complaint.status,
            "status_label": str(complaint.get_status_display()),
            "answer": complaint.answer_sent,
            "answered_at": complaint.answered_at,
            "closed_at": complaint.closed_at,
        }
        for complaint in rows
    ]


def forget_author(user):
    """Before the user row goes: their complaints lose the link, the name and the address."""
    filed = list(Complaint.objects.filter(filed_by=user).only("pk", "reference"))
    Complaint.objects.filter(pk__in=[complaint.pk for complaint in filed]).update(
        filed_by=None, name=ERASED, email=ERASED
    )
    for complaint in filed:
        log(instance=complaint, action=COMPLAINT_ERASE, data={"reference": complaint.reference})
