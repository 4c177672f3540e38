"""Certificates as issued: numbered, verifiable, never rewritten.

A `Certificate` row is a snapshot. Everything printed on the PDF and shown on the
public verification page is copied onto the row when it is issued (holder's name,
what is certified, issuer, signature), so that editing the user, the module or the
publisher's template later changes nothing already issued. Only the lifecycle
fields change afterwards: the PDF once rendered, revocation, replacement.

Services in `certificates/services.py` are the only writers.
"""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from accounts.names import NameField
from certificates.codes import format_code


def certificate_storage():
    """Private storage: certificates are never served from MEDIA_URL (see settings)."""
    return storages["certificates"]


def certificate_upload_to(instance, filename):
    return f"certificates/{instance.issued_at:%Y}/{instance.uuid}.pdf"


def signature_upload_to(instance, filename):
    """A random name: the file says nothing of whose signature it is."""
    return f"certificate-signatures/{uuid.uuid4()}.png"


class CertificateKind(models.TextChoices):
    COMPLETION = "completion", _("attestation de fin de formation")
    ACHIEVEMENT = "achievement", _("certificat de réalisation")


class CertificateStatus(models.TextChoices):
    """What the verification page says. Derived from the row, never stored."""

    VALID = "valid", _("Authentique")
    EXPIRED = "expired", _("Expiré")
    REVOKED = "revoked", _("Révoqué")
    REPLACED = "replaced", _("Remplacé")


colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Une couleur s'écrit #RRVVBB, par exemple #7a2e5c.")
)


class CertificateTemplate(models.Model):
    """How a publisher's certificates look and who signs them (a Wagtail snippet).

    Read when a certificate is issued and copied onto it: editing a template changes
    future certificates only.
    """

    publisher = models.OneToOneField(
        "guides.Publisher",
        verbose_name=_("éditeur"),
        on_delete=models.CASCADE,
        related_name="certificate_template",
    )
    issuer_name = NameField(
        _("organisme émetteur"),
        max_length=200,
        help_text=_("Tel qu'il apparaît sur le certificat, par exemple « Amicale du Nid »."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("À défaut, le logo de l'éditeur."),
    )
    # Printed on every certificate: the name rule of accounts/names.py.
    signatory_name = NameField(_("nom du ou de la signataire"), max_length=150)
    signatory_role = models.CharField(_("fonction du ou de la signataire"), max_length=150)
    # Private storage, like participants' signatures: never a Wagtail image (its
    # renditions are public files at guessable URLs), shown in the admin by a view that
    # checks the permission (certificates/signatory.py).
    signature_file = models.FileField(
        _("image de la signature"),
        storage=certificate_storage,
        upload_to=signature_upload_to,
        blank=True,
        help_text=_("PNG ou JPEG sur fond transparent ou blanc."),
    )
    accent_colour = models.CharField(
        _("couleur d'accent"), max_length=7, default="#7a2e5c", validators=[colour_validator]
    )
    footer_text = models.TextField(
        _("texte de pied de page"),
        max_length=500,
        blank=True,
        help_text=_("Mentions légales de l'organisme (adresse, numéro de déclaration…)."),
    )

    panels = [
        FieldPanel("publisher"),
        FieldPanel("issuer_name"),
        FieldPanel("logo"),
        MultiFieldPanel(
            [
                FieldPanel("signatory_name"),
                FieldPanel("signatory_role"),
                FieldPanel("signature_file"),
            ],
            heading=_("Signature"),
        ),
        FieldPanel("accent_colour"),
        FieldPanel("footer_text"),
    ]

    class Meta:
        verbose_name = _("modèle de certificat")
        verbose_name_plural = _("modèles de certificat")

    def __str__(self):
        return str(self.publisher)


class SigningKey(models.Model):
    """A public key the platform has signed with (certificates/signing_keys.py).

    Recorded the first time a key signs, never deleted: verification trusts every
    row, and the JWKS publishes them all, so rotating the key leaves what the older
    one signed verifiable. Only the public certificate is kept here.
    """

    #: RFC 7638 thumbprint of the public key: the JWS `kid`, the JWKS entry.
    kid = models.CharField(max_length=64, unique=True, editable=False)
    #: SHA-256 of the X.509 certificate (DER), hex.
    fingerprint = models.CharField(max_length=64, unique=True, editable=False)
    subject = models.CharField(_("titulaire de la clé"), max_length=500, editable=False)
    certificate_pem = models.TextField(editable=False)
    not_after = models.DateTimeField(_("certificat valable jusqu'au"), editable=False)
    is_demo = models.BooleanField(_("clé de démonstration"), default=False, editable=False)
    created_at = models.DateTimeField(_("première signature"), auto_now_add=True)

    class Meta:
        verbose_name = _("clé de signature")
        verbose_name_plural = _("clés de signature")

    def __str__(self):
        return self.subject


class CertificateSequence(models.Model):
    """The last number given in a year: numbers are allocated under a row lock.

    The allocation happens in the issuing transaction, so a rolled-back issue also
    gives its number back: numbers have no gaps.
    """

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class CertificateQuerySet(models.QuerySet):
    def current(self):
        """Neither revoked nor replaced (possibly expired)."""
        return self.filter(revoked_at__isnull=True, replaced_at__isnull=True)

    def with_status(self, status, today=None):
        today = today or timezone.localdate()
        if status == CertificateStatus.REVOKED:
            return self.filter(revoked_at__isnull=False)
        if status == CertificateStatus.REPLACED:
            return self.filter(revoked_at__isnull=True, replaced_at__isnull=False)
        current = self.current()
        if status == CertificateStatus.EXPIRED:
            return current.filter(expires_on__lt=today)
        if status == CertificateStatus.VALID:
            return current.filter(
                models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=today)
            )
        return self.none()


class Certificate(models.Model):
    """One issued certificate; see the module docstring.

    Deliberately not `index.Indexed`: Coordination's search is a plain SQL filter
    (`admin_views.search_condition`), so a copy of names and verification codes in
    Wagtail's search index served nothing, had to be scrubbed again at anonymisation,
    and its upserts deadlocked when many certificates were issued at once
    (migration 0004 removes the entries written before).
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("type"), max_length=16, choices=CertificateKind.choices)
    number = models.CharField(_("numéro"), max_length=20, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(editable=False)
    sequence = models.PositiveIntegerField(editable=False)
    #: Crockford base32, stored without dashes (see `certificates.codes`).
    code = models.CharField(_("code de vérification"), max_length=16, unique=True, editable=False)

    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("titulaire"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    module = models.ForeignKey(
        "courses.ModulePage",
        verbose_name=_("module"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    completion = models.ForeignKey(
        "courses.ModuleCompletion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    session = models.ForeignKey(
        "courses.TrainingSession",
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )

    # Holder, as they were at issue.
    holder_first_name = models.CharField(_("prénom"), max_length=150)
    holder_last_name = models.CharField(_("nom"), max_length=150)
    holder_profession = models.CharField(_("profession"), max_length=120, blank=True)
    holder_organisation = models.CharField(_("structure"), max_length=200, blank=True)

    # What is certified.
    title = models.CharField(_("intitulé"), max_length=255)
    publisher_name = models.CharField(_("éditeur"), max_length=200)
    objectives_summary = models.TextField(_("objectifs"), blank=True)
    planned_minutes = models.PositiveIntegerField(_("durée prévue (minutes)"), default=0)
    achieved_minutes = models.PositiveIntegerField(_("durée réalisée (minutes)"), default=0)
    #: Certificat de réalisation of a session linked to a module completed online.
    elearning_minutes = models.PositiveIntegerField(_("durée en ligne (minutes)"), default=0)
    started_on = models.DateField(_("début"), null=True, blank=True)
    completed_on = models.DateField(_("fin"))
    score = models.PositiveSmallIntegerField(_("score (%)"), null=True, blank=True)

    # Issuer, as it was at issue. Images are copied as data: URLs, not linked.
    issuer_name = models.CharField(_("organisme émetteur"), max_length=200)
    signatory_name = models.CharField(_("signataire"), max_length=150, blank=True)
    signatory_role = models.CharField(
        _("fonction du ou de la signataire"), max_length=150, blank=True
    )
    signature_data = models.TextField(blank=True, editable=False)
    logo_data = models.TextField(blank=True, editable=False)
    accent_colour = models.CharField(max_length=7, default="#7a2e5c")
    footer_text = models.TextField(blank=True)

    issued_at = models.DateTimeField(_("émis le"), editable=False)
    expires_on = models.DateField(_("expire le"), null=True, blank=True)

    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("révoqué par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revocation_reason = models.TextField(_("motif de révocation"), blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("remplace"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    replaced_at = models.DateTimeField(_("remplacé le"), null=True, blank=True)
    reissue_reason = models.TextField(_("motif de la réémission"), blank=True)

    pdf = models.FileField(
        storage=certificate_storage, upload_to=certificate_upload_to, blank=True, editable=False
    )
    # Indexed: /verifier/ finds the certificate of a dropped PDF by its hash.
    pdf_sha256 = models.CharField(
        _("empreinte SHA-256"), max_length=64, blank=True, editable=False, db_index=True
    )
    #: The key that signed the PDF and the badge (null: issued before signing existed
    #: and not yet signed by `sign_certificates`).
    signing_key = models.ForeignKey(
        SigningKey,
        verbose_name=_("clé de signature"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    signed_at = models.DateTimeField(_("signé le"), null=True, blank=True, editable=False)
    #: SHA-256 of the unsigned PDF a certificate had before `sign_certificates` signed
    #: and archived it: a copy printed or sent before still matches the record.
    unsigned_pdf_sha256 = models.CharField(
        _("empreinte SHA-256 avant signature"),
        max_length=64,
        blank=True,
        editable=False,
        db_index=True,
    )
    #: The Open Badges 3.0 credential, signed (compact JWS, certificates/badges/).
    badge_jwt = models.TextField(blank=True, editable=False)
    #: Set when the « prête » e-mail left: a retried task does not send it twice.
    ready_email_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    #: Set when the holder's name was removed, years after their account was deleted
    #: (certificates/retention.py); the PDF is deleted then.
    anonymised_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True, editable=False)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificat")
        verbose_name_plural = _("certificats")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "sequence"], name="unique_certificate_sequence"
            ),
            # One certificate in force per holder and module: re-issue replaces.
            models.UniqueConstraint(
                fields=["holder", "module", "kind"],
                condition=models.Q(revoked_at__isnull=True, replaced_at__isnull=True),
                name="one_current_certificate_per_module",
            ),
            models.UniqueConstraint(
                fields=["holder", "session", "kind"],
                condition=models.Q(revoked_at__isnull=True, replaced_at__isnull=True),
                name="one_current_certificate_per_session",
            ),
        ]
        permissions = [
            ("revoke_certificate", _("Peut révoquer et réémettre des certificats")),
            ("export_certificate", _("Peut exporter des certificats")),
        ]

    def __str__(self):
        return self.number

    @property
    def holder_name(self):
        return f"{self.holder_first_name} {self.holder_last_name}".strip()

    @property
    def display_code(self):
        return format_code(self.code)

    def status(self, today=None):
        if self.revoked_at:
            return CertificateStatus.REVOKED
        if self.replaced_at:
            return CertificateStatus.REPLACED
        if self.expires_on and self.expires_on < (today or timezone.localdate()):
            return CertificateStatus.EXPIRED
        return CertificateStatus.VALID

    @property
    def status_label(self):
        return self.status().label

    @property
    def pdf_ready(self):
        return bool(self.pdf)

    @property
    def planned_hours(self):
        return round(self.planned_minutes / 60, 2)

    def get_verification_path(self):
        from django.urls import reverse

        return reverse("certificates:verify", kwargs={"code": self.display_code})

    def get_verification_url(self):
        from core.links import absolute_url

        return absolute_url(self.get_verification_path())

    def get_download_url(self):
        from django.urls import reverse

        return reverse("certificates:download", kwargs={"uuid": self.uuid})
