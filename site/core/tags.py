"""Topic slugs in ASCII: `/guides/?theme=reperage`, never `?theme=rep%C3%A9rage`.

django-taggit keeps accents in slugs unless it can import `unidecode` (GPL, not a
dependency here). Tags are saved through taggit's own save (which also settles slug
collisions by adding `_1`, `_2`…), so the slug it chose is transliterated just before
the row is written: the collision loop then works on ASCII slugs too.
"""

from anyascii import anyascii
from django.utils.text import slugify


def ascii_slug(value):
    """`repérage` → `reperage`; a name in another script is transliterated."""
    return slugify(anyascii(value)) or "theme"


def tag_saving(sender, instance, **kwargs):
    if instance.slug and not instance.slug.isascii():
        instance.slug = ascii_slug(instance.slug)


def connect():
    from django.db.models.signals import pre_save
    from taggit.models import Tag

    pre_save.connect(tag_saving, sender=Tag, dispatch_uid="core-ascii-tag-slugs")
