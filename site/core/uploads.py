"""What an uploaded file really is, checked against its extension.

Wagtail checks a document's extension against WAGTAILDOCS_EXTENSIONS, never its
content: an HTML page named `fiche.pdf` was accepted. Served as a download with
`nosniff` it harmed no one, but it was not a PDF, and whoever opened it got a web
page. Each extension here has a rule on the content, read from the file itself
(magic bytes, the parts of a ZIP package, the text), and a file that fails it is
refused with a message saying what it should have been. An extension without a rule
is refused: a format is added here before it is added to the allowlist
(tests/config/test_uploads.py checks the settings against these rules).
"""

import re
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

HEAD_BYTES = 2048
# Text is read whole (documents are at most WAGTAILDOCS_MAX_UPLOAD_SIZE), in chunks.
TEXT_CHUNK = 1024 * 1024
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The WHATWG « HTML » and XML sniffing signatures, after blanks: what a browser (or a
# careless viewer) would take for a web page or an SVG, not for text.
MARKUP_START = re.compile(
    rb"^\s*<(?:!doctype\s+html|html|head|body|script|iframe|svg|\?xml|!--|style|title|a\s|div|p[\s>]|table|h1|br|b[\s>]|font|img)",
    re.IGNORECASE,
)
# Control characters other than tab, line feed, form feed and carriage return.
BINARY_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f]")

OOXML_MAIN_PARTS = {
    "docx": b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "pptx": b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
ODF_MIMETYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
    "odp": b"application/vnd.oasis.opendocument.presentation",
}
IMAGE_MAGIC = {
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
}

# What a file of each extension is, as the refusal says it (« ce n'est pas … »).
KINDS = {
    "pdf": _("un document PDF"),
    "docx": _("un document Word (.docx)"),
    "xlsx": _("un classeur Excel (.xlsx)"),
    "pptx": _("une présentation PowerPoint (.pptx)"),
    "odt": _("un texte OpenDocument (.odt)"),
    "ods": _("un classeur OpenDocument (.ods)"),
    "odp": _("une présentation OpenDocument (.odp)"),
    "doc": _("un document Word 97-2003 (.doc)"),
    "xls": _("un classeur Excel 97-2003 (.xls)"),
    "ppt": _("une présentation PowerPoint 97-2003 (.ppt)"),
    "png": _("une image PNG"),
    "jpg": _("une image JPEG"),
    "jpeg": _("une image JPEG"),
    "gif": _("une image GIF"),
    "webp": _("une image WebP"),
    "csv": _("un fichier CSV (texte)"),
    "txt": _("un fichier texte"),
}


def _head(file):
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    return head


def _is_pdf(file):
    return _head(file).startswith(b"%PDF-")


def _is_ole2(file):
    return _head(file).startswith(OLE2_MAGIC)


def _is_webp(file):
    head = _head(file)
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


def _image_rule(signatures):
    return lambda file: _head(file).startswith(signatures)


def _zip_package(file):
    """The open ZIP archive, or None if the file is not one."""
    file.seek(0)
    try:
        return zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        file.seek(0)


def _read_member(archive, name, limit):
    """At most `limit` bytes of one member: a package's small parts, never a bomb."""
    try:
        with archive.open(name) as member:
            return member.read(limit)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return b""


def _ooxml_rule(extension):
    """An Office Open XML package whose main part is of this kind, without macros
    (a `.docm` renamed `.docx` still carries its `vbaProject.bin`)."""

    def rule(file):
        archive = _zip_package(file)
        if archive is None:
            return False
        with archive:
            names = archive.namelist()
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                return False
            content_types = _read_member(archive, "[Content_Types].xml", 256 * 1024)
        file.seek(0)
        return OOXML_MAIN_PARTS[extension] in content_types

    return rule


def _odf_rule(extension):
    """An OpenDocument package: its first member is `mimetype`, naming the kind."""

    def rule(file):
        archive = _zip_package(file)
        if archive is None:
            return False
        with archive:
            names = archive.namelist()
            mimetype = _read_member(archive, "mimetype", 100) if names[:1] == ["mimetype"] else b""
        file.seek(0)
        return mimetype.strip() == ODF_MIMETYPES[extension]

    return rule


def _is_text(file):
    """Text, not a binary file nor a web page: no control bytes, no markup at the start.

    Any 8-bit encoding is text here (a CSV saved by a spreadsheet is often Windows-1252).
    """
    file.seek(0)
    first = True
    try:
        while chunk := file.read(TEXT_CHUNK):
            if first and MARKUP_START.match(chunk.removeprefix(b"\xef\xbb\xbf")):
                return False
            first = False
            if BINARY_BYTES.search(chunk):
                return False
    finally:
        file.seek(0)
    return True


RULES = {
    "pdf": _is_pdf,
    **{extension: _ooxml_rule(extension) for extension in OOXML_MAIN_PARTS},
    **{extension: _odf_rule(extension) for extension in ODF_MIMETYPES},
    "doc": _is_ole2,
    "xls": _is_ole2,
    "ppt": _is_ole2,
    **{extension: _image_rule(signatures) for extension, signatures in IMAGE_MAGIC.items()},
    "webp": _is_webp,
    "csv": _is_text,
    "txt": _is_text,
}


def extension_of(name):
    _, dot, extension = (name or "").rpartition(".")
    return extension.lower() if dot else ""


def check_content_matches_extension(file, name=None):
    """Raise ValidationError (code `content_mismatch`) unless the content is what the
    extension of `name` (or of the file's name) says."""
    extension = extension_of(name or file.name)
    rule = RULES.get(extension)
    if rule is not None and rule(file):
        return
    kind = KINDS.get(extension, _("un fichier de ce type"))
    raise ValidationError(
        _(
            "Le contenu de ce fichier ne correspond pas à son extension .%(extension)s : "
            "ce n'est pas %(kind)s. Enregistrez-le dans ce format depuis le logiciel qui "
            "l'a créé, ou donnez-lui l'extension de son vrai format."
        ),
        code="content_mismatch",
        params={"extension": extension, "kind": kind},
    )
