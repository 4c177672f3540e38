"""Files sent to the verification page: kept in memory, bounded, never written anywhere.

Django writes an upload above FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file; a PDF
or a badge someone checks must not land on the server's disk, even briefly. The
verification views replace the request's upload handlers with `MemoryOnlyUpload`,
which keeps the bytes in memory and stops reading at its limit. A request whose
declared length is already too large is refused before its body is read
(`declared_too_large`).
"""

import io

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

#: What the multipart envelope, the CSRF token and a pasted badge may add to the file.
ENVELOPE_ALLOWANCE = 300 * 1024


class MemoryOnlyUpload(FileUploadHandler):
    """Keeps each file of the request in memory up to `limit` bytes; beyond, stops the
    upload and sets `too_large` (the view then answers with the reason)."""

    def __init__(self, request=None, *, limit):
        super().__init__(request)
        self.limit = limit
        self.too_large = False
        self.buffer = None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.too_large = True
            self.buffer = None
            # Stop reading the body: nothing more of it is wanted.
            raise StopUpload(connection_reset=True)
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size):
        if self.buffer is None:
            return None
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


def declared_too_large(request, limit):
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > limit + ENVELOPE_ALLOWANCE


def use_memory_only(request, limit):
    """Install the handler; returns it so the view can read `too_large` afterwards."""
    handler = MemoryOnlyUpload(request, limit=limit)
    request.upload_handlers = [handler]
    return handler
