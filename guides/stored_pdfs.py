"""One stored PDF per published revision of a page: a guide's PDF (`guides.services`)
and an outcome's fiche de transmission (`guides.fiches`) keep theirs the same way."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction


def store_for_revision(model, page, payload, filename):
    """The `model` row (page, revision, file, sha256) of the page's live revision, its
    file being `payload`; older revisions' rows and files go.

    Idempotent and safe against a race (a worker and a download): the (page, revision)
    unique constraint and the row lock keep one row; the loser reuses the winner's file,
    or writes its own when the stored file is gone. Render before calling: no lock is
    held while rendering. Files are deleted only once the transaction commits.
    """
    digest = hashlib.sha256(payload).hexdigest()
    with transaction.atomic():
        stored, created = model.objects.select_for_update().get_or_create(
            page=page, revision_id=page.live_revision_id, defaults={"sha256": digest}
        )
        if created or not stored.file or not stored.file.storage.exists(stored.file.name):
            stored.sha256 = digest
            stored.file.save(filename, ContentFile(payload), save=False)
            stored.save(update_fields=["file", "sha256"])
        stale = list(model.objects.filter(page=page).exclude(pk=stored.pk))
        if stale:
            model.objects.filter(pk__in=[old.pk for old in stale]).delete()
            names = [old.file.name for old in stale if old.file]
            storage = stored.file.storage
            transaction.on_commit(lambda: [storage.delete(name) for name in names])
    return stored
