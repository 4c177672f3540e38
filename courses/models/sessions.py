"""In-person sessions: half-day slots, registrations, attendance and émargement.

A session is run by one or more trainers for the association (its organiser). Its
duration is the sum of its slots (« demi-journées »). Registrations hold the
waiting list; attendance is recorded per slot with its full history (who, how,
when, why), and each slot is signed by the participants present and by a trainer:
together they make the « feuille d'émargement » an auditor can rely on.

The services are the only writers: `courses/sessions/registrations.py` (sessions, slots,
registrations), `courses/sessions/attendance.py`, `courses/sessions/checkin.py`, `courses/sessions/signatures.py`
and `courses/sessions/certificates.py`.
"""

import secrets
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .pages import format_duration
from .surveys import CourseSurveys


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("planifiée")
    CANCELLED = "cancelled", _("annulée")
    FINISHED = "finished", _("terminée")


class TrainingSessionQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        """Planned sessions whose last slot has not ended (no slot: not listed)."""
        now = now or timezone.now()
        return self.filter(status=SessionStatus.PLANNED, ends_at__gte=now)

    def for_trainer(self, user):
        """Sessions the user may manage: theirs, or all for Coordination."""
        from accounts.roles import is_coordination

        if is_coordination(user):
            return self
        return self.filter(trainers=user)


class TrainingSession(CourseSurveys):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("intitulé"), max_length=200)
    module = models.ForeignKey(
        "courses.ModulePage",
        verbose_name=_("module lié"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )
    description = models.TextField(_("description"), max_length=4000, blank=True)
    # Its questionnaires are the organiser's (courses/models/surveys.py).
    survey_publisher_field = "organiser"
    organiser = models.ForeignKey(
        "guides.Publisher",
        verbose_name=_("organisateur"),
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("formateur·rice·s"),
        related_name="trained_sessions",
        blank=True,
    )
    is_remote = models.BooleanField(_("à distance"), default=False)
    venue_name = models.CharField(_("lieu"), max_length=200, blank=True)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    commune = models.CharField(_("commune"), max_length=120, blank=True, db_index=True)
    meeting_url = models.URLField(
        _("lien de la visioconférence"),
        blank=True,
        help_text=_("Montré aux seules personnes inscrites."),
    )
    capacity = models.PositiveSmallIntegerField(_("nombre de places"))
    registration_opens_at = models.DateTimeField(_("ouverture des inscriptions"))
    registration_closes_at = models.DateTimeField(_("clôture des inscriptions"))
    audiences = models.ManyToManyField(
        "accounts.Audience", verbose_name=_("publics"), blank=True, related_name="sessions"
    )
    status = models.CharField(
        _("statut"), max_length=12, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    # Kept in step with the slots by the services, so lists filter and sort in SQL.
    starts_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    ends_at = models.DateTimeField(null=True, blank=True, editable=False)
    planned_minutes = models.PositiveIntegerField(default=0, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session en présentiel")
        verbose_name_plural = _("sessions en présentiel")
        ordering = ["starts_at", "pk"]
        permissions = [("manage_all_sessions", _("Peut gérer toutes les sessions"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="registration_window_ordered",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("sessions:detail", kwargs={"uuid": self.uuid})

    @property
    def planned_duration_display(self):
        return format_duration(self.planned_minutes)


class SessionSlot(models.Model):
    """A half-day: one date, a start and an end time (local time, Europe/Paris)."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="slots")
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("début"))
    end_time = models.TimeField(_("fin"))

    class Meta:
        verbose_name = _("demi-journée")
        verbose_name_plural = _("demi-journées")
        ordering = ["date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="slot_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    @property
    def starts_at(self):
        return timezone.make_aware(datetime.combine(self.date, self.start_time))

    @property
    def ends_at(self):
        return timezone.make_aware(datetime.combine(self.date, self.end_time))

    @property
    def minutes(self):
        return int((self.ends_at - self.starts_at) / timedelta(minutes=1))

    def is_running(self, now=None):
        now = now or timezone.now()
        return self.starts_at <= now <= self.ends_at


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmée")
    WAITING = "waiting", _("en liste d'attente")
    CANCELLED = "cancelled", _("annulée")
    INVITED = "invited", _("invitation envoyée")


class Registration(models.Model):
    """A person's place in a session (or on its waiting list).

    One row per person and session: cancelling and registering again reuse it, so
    the history of a place is in one row and nobody is counted twice. People invited
    by e-mail without an account have `user` empty until they sign up.
    """

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="session_registrations",
    )
    email = models.EmailField(_("adresse e-mail"))
    status = models.CharField(
        _("statut"), max_length=12, choices=RegistrationStatus.choices, db_index=True
    )
    #: Orders the waiting list: set each time the person joins it.
    queued_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("inscription à une session")
        verbose_name_plural = _("inscriptions aux sessions")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=models.Q(user__isnull=False),
                name="one_registration_per_user",
            ),
            models.UniqueConstraint(fields=["session", "email"], name="one_registration_per_email"),
        ]

    def __str__(self):
        return f"{self.email} — {self.session}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("présent·e")
    LATE = "late", _("en retard")
    EXCUSED = "excused", _("excusé·e")
    ABSENT = "absent", _("absent·e")


#: Statuses that count as attended (hours on the certificat de réalisation).
ATTENDED = {AttendanceStatus.PRESENT, AttendanceStatus.LATE}


class MarkMethod(models.TextChoices):
    TRAINER = "trainer", _("formateur·rice")
    SELF_CHECK_IN = "self", _("émargement par la personne")
    CORRECTION = "correction", _("correction")


class Attendance(models.Model):
    """The current mark of one participant for one slot; `AttendanceMark` keeps history."""

    slot = models.ForeignKey(SessionSlot, on_delete=models.CASCADE, related_name="attendances")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendances"
    )
    status = models.CharField(max_length=10, choices=AttendanceStatus.choices)
    marked_at = models.DateTimeField()
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    method = models.CharField(max_length=12, choices=MarkMethod.choices)

    class Meta:
        verbose_name = _("présence")
        constraints = [
            models.UniqueConstraint(fields=["slot", "registration"], name="one_attendance_per_slot")
        ]

    def __str__(self):
        return f"{self.registration} — {self.slot}: {self.status}"


class AttendanceMark(models.Model):
    """Every change of an attendance, never updated nor deleted."""

    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(max_length=10, choices=AttendanceStatus.choices)
    previous_status = models.CharField(max_length=10, choices=AttendanceStatus.choices, blank=True)
    marked_at = models.DateTimeField()
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    method = models.CharField(max_length=12, choices=MarkMethod.choices)
    reason = models.CharField(_("motif"), max_length=500, blank=True)
    #: A keyed hash of the device cookie of a self check-in (never the raw cookie).
    device = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["marked_at", "pk"]

    def __str__(self):
        return f"{self.attendance}: {self.previous_status} → {self.status}"


def signature_upload_to(instance, filename):
    return f"signatures/{instance.slot.session.uuid}/{instance.slot_id}/{uuid.uuid4()}.png"


def private_storage():
    from django.core.files.storage import storages

    return storages["certificates"]


class SlotSignature(models.Model):
    """A signature on a slot: a participant's (with the attestation) or a trainer's."""

    slot = models.ForeignKey(SessionSlot, on_delete=models.CASCADE, related_name="signatures")
    registration = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.CASCADE, related_name="signatures"
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    image = models.FileField(storage=private_storage, upload_to=signature_upload_to, blank=True)
    typed_name = models.CharField(_("nom saisi"), max_length=300, blank=True)
    certified = models.BooleanField(default=False)
    signed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("signature")
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "registration"],
                condition=models.Q(registration__isnull=False),
                name="one_participant_signature_per_slot",
            ),
            models.UniqueConstraint(
                fields=["slot"],
                condition=models.Q(registration__isnull=True),
                name="one_trainer_signature_per_slot",
            ),
        ]

    def __str__(self):
        return f"{self.slot} — {self.registration or self.trainer}"


def new_calendar_token():
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """The secret address of a person's calendar of registered sessions."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.user}"
