"""Wagtail documents' form: the content of an upload must match its extension.

Wired by WAGTAILDOCS_DOCUMENT_FORM_BASE, so that every way of uploading a document
goes through it: the add and edit forms, the multiple uploader and the chooser's
upload tab (Wagtail builds all of them from this base).
https://docs.wagtail.org/en/stable/reference/settings.html#wagtaildocs-document-form-base
"""

from django.core.files.uploadedfile import UploadedFile
from wagtail.documents.forms import BaseDocumentForm

from core.uploads import check_content_matches_extension


class DocumentForm(BaseDocumentForm):
    def clean_file(self):
        file = self.cleaned_data.get("file")
        # A new upload only: an unchanged file on edit was checked when it came in.
        if isinstance(file, UploadedFile):
            check_content_matches_extension(file)
        return file
