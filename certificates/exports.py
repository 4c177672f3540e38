"""Exports of certificates for Coordination: a ZIP of PDFs, one PDF, the XLSX columns.

The XLSX export is Wagtail's own, on the list (`admin_views.CertificateIndexView`);
the ZIP and single-PDF downloads are the views at the end of this module.

Exports copy personal data out of the platform, so each one is recorded: one line in
the application log, and one Wagtail log entry per exported certificate (its history
then says who took a copy, when and how).

Verification codes are never exported: a code is what proves a paper genuine, and a
spreadsheet of codes would let anyone print a convincing copy of someone else's
certificate.
"""

import logging
import tempfile
import uuid
import zipfile
from collections import Counter

from django.contrib.contenttypes.models import ContentType
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.models import ModelLogEntry

from certificates.admin_forms import ZipExportForm, day_bounds
from certificates.models import Certificate
from core.storage_errors import open_stored_file, reading_storage

logger = logging.getLogger("reperes.certificates")

EXPORT_ACTION = "reperes.certificate_export"
#: Past this size the ZIP being built moves from memory to a temporary file.
SPOOL_MAX_BYTES = 16 * 1024 * 1024
LOG_BATCH_SIZE = 500

#: XLSX columns: (attribute, heading). No verification code, on purpose (see above).
XLSX_COLUMNS = [
    ("number", gettext_lazy("Numéro")),
    ("holder_first_name", gettext_lazy("Prénom")),
    ("holder_last_name", gettext_lazy("Nom")),
    ("holder_organisation", gettext_lazy("Structure")),
    ("title", gettext_lazy("Intitulé")),
    ("get_kind_display", gettext_lazy("Type")),
    ("issued_at", gettext_lazy("Émis le")),
    ("status_label", gettext_lazy("Statut")),
    ("expires_on", gettext_lazy("Expire le")),
    ("revoked_at", gettext_lazy("Révoqué le")),
]


def log_export(certificates, *, user, export_format, **details):
    """Record that `certificates` left the platform as `export_format`."""
    certificates = list(certificates)
    logger.info(
        "certificates exported",
        extra={
            "format": export_format,
            "count": len(certificates),
            "user_id": getattr(user, "pk", None),
            **details,
        },
    )
    if not certificates:
        return
    # One entry per certificate, written in batches (`log()` would insert one by one);
    # a shared uuid ties the entries of one export together, as Wagtail does.
    content_type = ContentType.objects.get_for_model(Certificate)
    now = timezone.now()
    batch_uuid = uuid.uuid4()
    ModelLogEntry.objects.bulk_create(
        [
            ModelLogEntry(
                content_type=content_type,
                object_id=str(certificate.pk),
                label=certificate.number,
                action=EXPORT_ACTION,
                timestamp=now,
                uuid=batch_uuid,
                user=user,
                data={"number": certificate.number, "format": export_format, **details},
            )
            for certificate in certificates
        ],
        batch_size=LOG_BATCH_SIZE,
    )


# --- ZIP ---------------------------------------------------------------------------------------


def zip_queryset(module, issued_from, issued_before, *, include_withdrawn=False):
    """Certificates of `module` issued in [issued_from, issued_before), with a PDF."""
    certificates = Certificate.objects.filter(
        module=module, issued_at__gte=issued_from, issued_at__lt=issued_before
    ).exclude(pdf="")
    if not include_withdrawn:
        certificates = certificates.current()
    return certificates.select_related("module").order_by("issued_at", "id")


def zip_member_names(certificates):
    """{certificate id: file name in the ZIP}, all distinct.

    Names shared by several certificates (same module, same last name) get the
    certificate's number. Names are compared without case, as the file systems of
    Windows and macOS do when the ZIP is extracted; a name still taken after that (a
    last name that happens to end with another certificate's number) gets `-2`, `-3`…
    """
    from certificates.pdf import certificate_filename

    names = {certificate.pk: certificate_filename(certificate) for certificate in certificates}
    counts = Counter(names.values())
    taken = set()
    for certificate in certificates:
        name = names[certificate.pk]
        stem = name.removesuffix(".pdf")
        if counts[name] > 1:
            stem = f"{stem}-{certificate.number}"
        candidate, suffix = f"{stem}.pdf", 2
        while candidate.lower() in taken:
            candidate, suffix = f"{stem}-{suffix}.pdf", suffix + 1
        taken.add(candidate.lower())
        names[certificate.pk] = candidate
    return names


def build_zip(certificates):
    """A ZIP of the stored PDFs, as a file positioned at its start.

    PDFs are already compressed: they are stored, not deflated again. A PDF missing
    from storage (a lost file) is skipped and named in `a-lire.txt`, never re-rendered.
    """
    certificates = list(certificates)
    names = zip_member_names(certificates)
    missing = []
    output = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES)  # noqa: SIM115 (returned)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_STORED) as archive:
        for certificate in certificates:
            try:
                with (
                    # A store that does not answer is no « missing file »: the whole
                    # export waits (503), rather than a ZIP of `a-lire.txt` alone.
                    reading_storage(),
                    certificate.pdf.open("rb") as pdf,
                    archive.open(names[certificate.pk], "w") as member,
                ):
                    for chunk in iter(lambda pdf=pdf: pdf.read(64 * 1024), b""):
                        member.write(chunk)
            except FileNotFoundError:
                missing.append(certificate.number)
                logger.warning("certificate pdf missing", extra={"certificate": certificate.number})
        if missing:
            archive.writestr(
                "a-lire.txt",
                _("Fichiers PDF introuvables pour les certificats suivants :")
                + "\n"
                + "\n".join(missing)
                + "\n",
            )
    output.seek(0)
    exported = [c for c in certificates if c.number not in missing]
    return output, exported


# --- Download views ------------------------------------------------------------------------


class PdfDownloadView(PermissionCheckedMixin, BaseObjectMixin, View):
    """One stored PDF, as issued (never re-rendered). An export: logged."""

    model = Certificate
    permission_required = "export"

    def get(self, request, *args, **kwargs):
        from certificates.pdf import certificate_filename

        certificate = self.object
        if not certificate.pdf:
            raise Http404
        try:
            handle = open_stored_file(certificate.pdf.storage, certificate.pdf.name)
        except FileNotFoundError:
            raise Http404 from None
        log_export([certificate], user=request.user, export_format="pdf")
        return FileResponse(
            handle,
            as_attachment=True,
            filename=certificate_filename(certificate),
            content_type="application/pdf",
        )


class ZipExportView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """The PDFs of one module over a date range, as one ZIP.

    A GET form: nothing changes, and the URL of an export can be kept and shared
    among Coordination (each download is logged).
    """

    model = Certificate
    permission_required = "export"
    form_class = ZipExportForm
    template_name = "certificates/admin/zip_export.html"
    page_title = gettext_lazy("Télécharger les PDF (ZIP)")
    header_icon = "download"
    index_url_name = None
    http_method_names = ["get", "head", "options"]

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Certificats")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_form_kwargs(self):
        kwargs = {"initial": ZipExportForm.initial_period(timezone.localdate())}
        if "module" in self.request.GET:
            kwargs["data"] = self.request.GET
        return kwargs

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_bound and form.is_valid():
            return self.zip_response(form)
        return self.render_to_response(self.get_context_data(form=form))

    def zip_response(self, form):
        module = form.cleaned_data["module"]
        start, end = form.period()
        certificates = zip_queryset(
            module,
            *day_bounds(start, end),
            include_withdrawn=form.cleaned_data["include_withdrawn"],
        )
        archive, exported = build_zip(certificates)
        log_export(
            exported,
            user=self.request.user,
            export_format="zip",
            module_id=module.pk,
            start=start.isoformat(),
            end=end.isoformat(),
        )
        filename = f"certificats-{slugify(module.slug)[:60]}-{start:%Y%m%d}-{end:%Y%m%d}.zip"
        return FileResponse(
            archive, as_attachment=True, filename=filename, content_type="application/zip"
        )
