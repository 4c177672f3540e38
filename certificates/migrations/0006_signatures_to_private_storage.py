"""Signatures of certificate templates leave the public image library.

Each template's signature (a Wagtail image, whose renditions were public files at
guessable URLs) is re-encoded as a PNG of at most 600 × 240 px into the private
storage (`signature_file`). The Wagtail image is then deleted with its renditions and
their files, unless something else uses it (a logo, a page, another object in
Wagtail's reference index): that one is left for an editor to remove.

Self-contained (no app code): a migration must keep doing what it did.
"""

import io
import logging

from django.core.files.base import ContentFile
from django.db import migrations
from django.db.models import ProtectedError, Q

logger = logging.getLogger("reperes.certificates")

STORED_SIZE = (600, 240)


def _png(image):
    from PIL import Image

    with image.file.open("rb") as handle, Image.open(handle) as picture:
        picture = picture.convert("RGBA")
    picture.thumbnail(STORED_SIZE)
    output = io.BytesIO()
    picture.save(output, format="PNG", optimize=True)
    return output.getvalue()


def _used_elsewhere(apps, image):
    Template = apps.get_model("certificates", "CertificateTemplate")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    if Template.objects.filter(logo_id=image.pk).exists():
        return True
    image_type = ContentType.objects.filter(app_label="wagtailimages", model="image").first()
    template_type = ContentType.objects.filter(
        app_label="certificates", model="certificatetemplate"
    ).first()
    if image_type is None:
        return False
    references = ReferenceIndex.objects.filter(
        to_content_type=image_type, to_object_id=str(image.pk)
    )
    if template_type is not None:
        references = references.exclude(Q(content_type=template_type, model_path="signature"))
    return references.exists()


def _delete_image(apps, image):
    """The image, its renditions and their files (the real models' signals do not run
    in a migration, so the files are removed here)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    Rendition = apps.get_model("wagtailimages", "Rendition")
    names = [(rendition.file.storage, rendition.file.name) for rendition in Rendition.objects.filter(image_id=image.pk)]
    names.append((image.file.storage, image.file.name))
    try:
        image.delete()
    except ProtectedError:
        logger.warning("signature image kept: protected", extra={"image_id": image.pk})
        return
    image_type = ContentType.objects.filter(app_label="wagtailimages", model="image").first()
    if image_type is not None:
        ReferenceIndex.objects.filter(to_content_type=image_type, to_object_id=str(image.pk)).delete()
    for storage, name in names:
        if name:
            storage.delete(name)


def move_signatures(apps, schema_editor):
    Template = apps.get_model("certificates", "CertificateTemplate")
    moved = {}
    for template in Template.objects.exclude(signature=None).select_related("signature"):
        image = template.signature
        try:
            content = _png(image)
        except Exception:  # noqa: BLE001 — an unreadable file must not stop the deployment
            logger.warning("signature image unreadable", extra={"image_id": image.pk})
            continue
        template.signature_file.save("signature.png", ContentFile(content), save=False)
        template.save(update_fields=["signature_file"])
        moved[image.pk] = image
    for image in moved.values():
        if _used_elsewhere(apps, image):
            logger.warning("signature image kept: used elsewhere", extra={"image_id": image.pk})
        else:
            _delete_image(apps, image)


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0005_certificatetemplate_signature_file"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0096_referenceindex_referenceindex_source_object_and_more"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(move_signatures, migrations.RunPython.noop)]
