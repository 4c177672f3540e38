"""Complaints (Qualiopi indicator 31) and the register of improvement actions (32).

A complaint is filed on /reclamation/ by anyone, handled by Coordination in the
Wagtail admin through `quality.services` (status, assignee, answer), every change in
Wagtail's audit log. Its reference (« R-2026-0001 ») comes from a per-year counter row
locked in the filing transaction (`ComplaintSequence`), as certificate numbers do.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: Longest message, and longest answer, a person can send (the form says so).
MESSAGE_MAX_LENGTH = 5000
#: What replaces the name and e-mail of a complaint when its author deletes their account.
ERASED = "—"


class SubjectType(models.TextChoices):
    MODULE = "module", _("un module en ligne")
    SESSION = "session", _("une session en présentiel")
    GUIDE = "guide", _("un guide")
    PLATFORM = "platform", _("la plateforme")
    OTHER = "other", _("autre chose")


class ComplaintStatus(models.TextChoices):
    RECUE = "recue", _("reçue")
    EN_COURS = "en_cours", _("en cours")
    TRAITEE = "traitee", _("traitée")
    CLOSE = "close", _("close")


class ComplaintSequence(models.Model):
    """The last reference number given in a year, allocated under a row lock."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class Complaint(models.Model):
    reference = models.CharField(_("référence"), max_length=20, unique=True, editable=False)
    created_at = models.DateTimeField(_("reçue le"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("adresse e-mail"), max_length=254)
    subject_type = models.CharField(_("objet"), max_length=10, choices=SubjectType.choices)
    module = models.ForeignKey(
        "courses.ModulePage",
        verbose_name=_("module"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    session = models.ForeignKey(
        "courses.TrainingSession",
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    guide = models.ForeignKey(
        "guides.GuidePage",
        verbose_name=_("guide"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Denormalised from the module, session or guide when filed: lists filter on it.
    publisher = models.ForeignKey(
        "guides.Publisher",
        verbose_name=_("éditeur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    message = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.RECUE,
        db_index=True,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("suivie par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_complaints",
    )
    answer = models.TextField(_("réponse"), max_length=MESSAGE_MAX_LENGTH, blank=True)
    # The answer as it was last e-mailed: sending the same text again sends nothing.
    answer_sent = models.TextField(_("réponse envoyée"), blank=True, editable=False)
    answered_at = models.DateTimeField(_("répondue le"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("réclamation")
        verbose_name_plural = _("réclamations")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["email", "created_at"], name="complaint_email_recent")]

    def __str__(self):
        return self.reference

    @property
    def subject_label(self):
        """« Module : Repérer les signaux », or the kind of subject alone."""
        target = self.module or self.session or self.guide
        kind = self.get_subject_type_display()
        return f"{kind} : {target}" if target is not None else str(kind)


class ActionOrigin(models.TextChoices):
    COMPLAINT = "complaint", _("réclamation")
    SURVEY = "survey", _("résultats d'enquête")
    COMMITTEE = "committee", _("décision du comité")
    OTHER = "other", _("autre")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("prévue")
    IN_PROGRESS = "in_progress", _("en cours")
    DONE = "done", _("réalisée")
    ABANDONED = "abandoned", _("abandonnée")


#: An action that is still to be done: the ones that can be late.
OPEN_ACTION_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class ImprovementActionQuerySet(models.QuerySet):
    def overdue(self, today=None):
        """Open actions whose due date has passed."""
        today = today or timezone.localdate()
        return self.filter(status__in=OPEN_ACTION_STATUSES, due_date__lt=today)


class ImprovementAction(models.Model):
    title = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(_("description"), max_length=MESSAGE_MAX_LENGTH, blank=True)
    origin = models.CharField(_("origine"), max_length=10, choices=ActionOrigin.choices)
    complaints = models.ManyToManyField(
        Complaint,
        verbose_name=_("réclamations liées"),
        blank=True,
        related_name="actions",
    )
    publisher = models.ForeignKey(
        "guides.Publisher",
        verbose_name=_("éditeur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="improvement_actions",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsable"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="improvement_actions",
    )
    due_date = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(
        _("statut"),
        max_length=12,
        choices=ActionStatus.choices,
        default=ActionStatus.PLANNED,
        db_index=True,
    )
    result = models.TextField(_("résultat"), max_length=MESSAGE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    done_at = models.DateTimeField(_("réalisée le"), null=True, blank=True, editable=False)

    objects = ImprovementActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action d'amélioration")
        verbose_name_plural = _("actions d'amélioration")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    @property
    def complaint_references(self):
        """« R-2026-0001, R-2026-0004 » (exports; prefetch `complaints` for lists)."""
        return ", ".join(sorted(complaint.reference for complaint in self.complaints.all()))

    @property
    def is_overdue(self):
        return (
            self.status in OPEN_ACTION_STATUSES
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )
