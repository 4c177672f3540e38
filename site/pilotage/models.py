"""A « bilan » PDF asked for on the dashboard, rendered by a task (`pilotage.tasks`).

The row keeps the filters that applied (validated values, the period resolved to
dates) so that the task renders exactly what was asked, later, on a worker. The PDF
holds aggregates only (every cell through the small-cell rule), no personal data;
it lives in the private storage, like certificates, and is streamed by a view that
checks who asks. `requested_by` is the only link to a person: deleting the account
deletes their reports and files (CASCADE, then `purge_bilan_reports` removes the
files of reports older than `RETENTION_DAYS`).
"""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

#: Reports (and their files) are kept this long, then `purge_bilan_reports` deletes them.
RETENTION_DAYS = 7


def bilan_storage():
    """The private storage: never served from MEDIA_URL (see settings.STORAGES)."""
    return storages["certificates"]


def bilan_upload_to(instance, filename):
    # A random name: the file is only ever reached through the view, never by its name.
    return f"pilotage/bilans/{instance.created_at:%Y/%m}/{uuid.uuid4().hex}.pdf"


class BilanReport(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("En préparation")
        READY = "ready", _("Prêt")
        FAILED = "failed", _("Échec")

    class Error(models.TextChoices):
        SCOPE = "scope", _("Vous n'avez plus accès à ces chiffres : le bilan n'a pas été préparé.")
        FILTERS = (
            "filters",
            _(
                "Les filtres de ce bilan ne s'appliquent plus : préparez-le à nouveau depuis le "
                "tableau de bord."
            ),
        )
        RENDER = (
            "render",
            _(
                "La mise en page du PDF a échoué. Réessayez depuis le tableau de bord ; si l'erreur "
                "persiste, prévenez l'équipe technique."
            ),
        )

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="bilan_reports",
        verbose_name=_("demandé par"),
    )
    filters = models.JSONField(_("filtres"), default=dict)
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    file = models.FileField(
        _("fichier"), storage=bilan_storage, upload_to=bilan_upload_to, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    ready_at = models.DateTimeField(_("prêt le"), null=True, blank=True)
    error = models.CharField(_("erreur"), max_length=10, choices=Error.choices, blank=True)

    class Meta:
        verbose_name = _("bilan PDF")
        verbose_name_plural = _("bilans PDF")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at"], name="pilotage_bilan_created")]

    def __str__(self):
        return f"bilan {self.pk} ({self.status})"

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING

    @property
    def is_ready(self):
        return self.status == self.Status.READY and bool(self.file)

    @property
    def error_message(self):
        if self.status != self.Status.FAILED:
            return ""
        return self.Error(self.error).label if self.error in self.Error.values else ""


@receiver(post_delete, sender=BilanReport, dispatch_uid="pilotage_delete_bilan_file")
def delete_bilan_file(sender, instance, **kwargs):
    """A deleted report (purged, or its requester's account erased: CASCADE) takes its
    file along, once the deletion is committed: a rollback keeps both."""
    if instance.file:
        storage, name = instance.file.storage, instance.file.name
        transaction.on_commit(lambda: storage.delete(name))
