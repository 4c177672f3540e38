"""What drops the content cache (`core.content_cache`): connected in HomeConfig.ready().

Content: every page model (save, delete, publish, unpublish, move), sites and their
settings, view restrictions, images (and deleted renditions), documents, embeds and
the guides' publishers (shown on module pages). Access: groups, permissions and the
user flags Wagtail's admin access depends on.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move

from core.content_cache import ACCESS, CONTENT, SESSIONS

# A user saved with one of these fields (or all fields) may have gained or lost access.
ACCESS_FIELDS = {"is_superuser", "is_active", "is_staff"}


def content_changed(sender, **kwargs):
    CONTENT.changed(using=kwargs.get("using") or "default")


def sessions_changed(sender, **kwargs):
    SESSIONS.changed(using=kwargs.get("using") or "default")


def access_changed(sender, **kwargs):
    ACCESS.changed(using=kwargs.get("using") or "default")


def user_saved(sender, created, update_fields=None, **kwargs):
    if created or update_fields is None or ACCESS_FIELDS & set(update_fields):
        access_changed(sender, **kwargs)


def everything_changed(sender, **kwargs):
    """After migrate or flush (transactional tests), nothing cached can be trusted."""
    content_changed(sender, **kwargs)
    access_changed(sender, **kwargs)
    sessions_changed(sender, **kwargs)


def settings_saved(sender, created, **kwargs):
    """Wagtail creates a site's settings with their defaults on first read: that
    changes nothing shown (and happens during a page view)."""
    if not created:
        content_changed(sender, **kwargs)


def content_models():
    return [
        *get_page_models(),
        Page,
        Site,
        PageViewRestriction,
        get_image_model(),
        get_document_model(),
        apps.get_model("wagtailembeds", "Embed"),
    ]


def watch_content(model):
    """Drop the content cache whenever a row of `model` is saved or deleted.

    For an app's own models that pages show (the ground floor knows no app): called
    from that app's `AppConfig.ready()`.
    """
    label = model._meta.label
    post_save.connect(content_changed, sender=model, dispatch_uid=f"content-save-{label}")
    post_delete.connect(content_changed, sender=model, dispatch_uid=f"content-delete-{label}")


def watch_sessions(*models, through=()):
    """Start a new SESSIONS generation whenever a row of `models` (or of the m2m tables
    `through`) changes: what the session pages show, seats left included.

    Called from the sessions' app (the ground floor knows no app). Cached public pages
    (`core.page_cache`) depend on it, so a registration or a cancellation shows at once.
    """
    for model in models:
        label = model._meta.label
        post_save.connect(sessions_changed, sender=model, dispatch_uid=f"sessions-save-{label}")
        post_delete.connect(sessions_changed, sender=model, dispatch_uid=f"sessions-delete-{label}")
    for table in through:
        m2m_changed.connect(
            sessions_changed, sender=table, dispatch_uid=f"sessions-m2m-{table._meta.label}"
        )


def connect():
    for model in content_models():
        watch_content(model)
    site_settings = apps.get_model("core", "SiteSettings")
    post_save.connect(settings_saved, sender=site_settings, dispatch_uid="content-settings-save")
    post_delete.connect(content_changed, sender=site_settings, dispatch_uid="content-settings-del")
    # A new rendition changes no page (the first view of an image creates it); a
    # deleted one (the image's file replaced) is no longer served.
    post_delete.connect(
        content_changed,
        sender=get_image_model().get_rendition_model(),
        dispatch_uid="content-rendition-delete",
    )
    m2m_changed.connect(
        content_changed,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="content-pvr-groups",
    )
    # Sent with the specific page class as sender: listen to all senders.
    for name, signal in [
        ("published", page_published),
        ("unpublished", page_unpublished),
        ("moved", post_page_move),
    ]:
        signal.connect(content_changed, dispatch_uid=f"content-page-{name}")

    user_model = get_user_model()
    post_save.connect(user_saved, sender=user_model, dispatch_uid="access-user-save")
    for model in (user_model, Group, Permission):
        post_delete.connect(
            access_changed, sender=model, dispatch_uid=f"access-delete-{model._meta.label}"
        )
    for through in (
        user_model.groups.through,
        user_model.user_permissions.through,
        Group.permissions.through,
    ):
        m2m_changed.connect(
            access_changed, sender=through, dispatch_uid=f"access-m2m-{through._meta.label}"
        )
    post_migrate.connect(everything_changed, dispatch_uid="content-access-migrate")
