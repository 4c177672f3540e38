"""Topic slugs in ASCII (core/tags.py): existing accented slugs are transliterated.

`repérage` becomes `reperage`; a slug already taken gets `_1`, `_2`… as taggit does.
Old links with the accented slug keep working: the filter forms transliterate what
they receive (guides/forms.py).
"""

from anyascii import anyascii
from django.db import migrations
from django.utils.text import slugify


def ascii_slugs(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    db = schema_editor.connection.alias
    taken = set(Tag.objects.using(db).values_list("slug", flat=True))
    for tag in Tag.objects.using(db).order_by("pk"):
        if tag.slug.isascii():
            continue
        base = slugify(anyascii(tag.slug)) or "theme"
        slug, number = base, 0
        while slug in taken:
            number += 1
            slug = f"{base}_{number}"
        taken.discard(tag.slug)
        taken.add(slug)
        tag.slug = slug
        tag.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    # Nothing to undo: ASCII slugs work in every version.
    operations = [migrations.RunPython(ascii_slugs, migrations.RunPython.noop)]
