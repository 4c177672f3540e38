"""The certificate template in the admin: its form, and the signature kept private.

The signature is uploaded through the template's own form (re-encoded by
`certificates.signatory`), stored in the private storage, and shown back to the
editor by `SignaturePreviewView`, which checks the permission to edit templates:
never a Wagtail image, never a URL of the storage.
"""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views.generic.base import BaseObjectMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from certificates import signatory
from certificates.models import CertificateTemplate
from core.storage_errors import open_stored_file

PREVIEW_URL_NAME = "signature"


def signature_preview_url(template):
    viewset = CertificateTemplate.snippet_viewset
    return reverse(viewset.get_url_name(PREVIEW_URL_NAME), args=[template.pk])


class SignatureInput(forms.ClearableFileInput):
    """The current signature shown through the checked view, not the storage's URL."""

    template_name = "certificates/admin/signature_input.html"
    clear_checkbox_label = _("Retirer la signature")
    initial_text = _("Signature actuelle")
    input_text = _("Remplacer par")

    def __init__(self, attrs=None, preview_url=""):
        super().__init__(attrs={"accept": "image/png,image/jpeg", **(attrs or {})})
        self.preview_url = preview_url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["preview_url"] = self.preview_url
        return context


class CertificateTemplateForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.previous_signature = self.instance.signature_file.name or ""
        field = self.fields.get("signature_file")
        if field is not None:
            has_signature = self.instance.pk and self.instance.signature_file
            field.widget = SignatureInput(
                preview_url=signature_preview_url(self.instance) if has_signature else ""
            )
            field.widget.is_required = field.required

    def clean_signature_file(self):
        value = self.cleaned_data.get("signature_file")
        if isinstance(value, UploadedFile):
            return signatory.clean_signature_upload(value)
        return value

    def save(self, commit=True):
        template = super().save(commit=commit)
        if commit and self.previous_signature != (template.signature_file.name or ""):
            # Replaced or removed: the old file goes too (it is someone's signature).
            signatory.delete_after_commit(self.previous_signature)
        return template


class SignaturePreviewView(PermissionCheckedMixin, BaseObjectMixin, View):
    """The template's signature, for whoever may edit templates (the admin form's preview)."""

    model = CertificateTemplate
    permission_required = "change"

    def get(self, request, *args, **kwargs):
        template = self.object
        if not template.signature_file:
            raise Http404
        try:
            handle = open_stored_file(template.signature_file.storage, template.signature_file.name)
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, content_type="image/png")
        response["Cache-Control"] = "private, no-store"
        response["Content-Security-Policy"] = "default-src 'none'"
        return response
