"""Put a HomePage « Repères » at the site root, in place of Wagtail's welcome page.

Runs on historical models (no treebeard API), so tree paths are computed by hand.
Safe on an empty database and on a second run: it does nothing once a HomePage exists,
and never deletes a welcome page that editors have given children.
"""

from django.db import migrations

STEPLEN = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _encode_step(number):
    digits = ""
    while number:
        number, remainder = divmod(number, len(ALPHABET))
        digits = ALPHABET[remainder] + digits
    return digits.rjust(STEPLEN, "0")


def _next_child_path(Page, parent):
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    number = int(last[-STEPLEN:], len(ALPHABET)) + 1 if last else 1
    return parent.path + _encode_step(number)


def _root(Page, ContentType, Locale):
    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is None:
        page_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
        locale = Locale.objects.order_by("pk").first() or Locale.objects.create(language_code="fr")
        root = Page.objects.create(
            title="Root",
            draft_title="Root",
            slug="root",
            content_type=page_type,
            path=_encode_step(1),
            depth=1,
            numchild=0,
            url_path="/",
            locale=locale,
        )
    return root


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Locale = apps.get_model("wagtailcore", "Locale")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("home", "HomePage")
    if HomePage.objects.exists():
        return

    root = _root(Page, ContentType, Locale)
    page_type = ContentType.objects.filter(app_label="wagtailcore", model="page").first()
    welcome = Page.objects.filter(
        depth=2, content_type=page_type, numchild=0, path__startswith=root.path
    ).first()
    site_defaults = {"hostname": "localhost", "port": 80}
    if welcome is not None:
        # Deleting the page would cascade to its Site: remember the site, drop both.
        old_site = Site.objects.filter(root_page=welcome, is_default_site=True).first()
        if old_site is not None:
            site_defaults = {"hostname": old_site.hostname, "port": old_site.port}
        Site.objects.filter(root_page=welcome).delete()
        welcome.delete()

    home_type, _ = ContentType.objects.get_or_create(app_label="home", model="homepage")
    home = HomePage.objects.create(
        title="Repères",
        draft_title="Repères",
        slug="accueil",
        content_type=home_type,
        path=_next_child_path(Page, root),
        depth=2,
        numchild=0,
        url_path="/accueil/",
        locale_id=root.locale_id,
        live=True,
        has_unpublished_changes=False,
        intro=(
            "<p>Repères accompagne les professionnel·le·s du département pour repérer, "
            "protéger et orienter les mineur·e·s en situation ou en risque de prostitution.</p>"
        ),
    )
    Page.objects.filter(pk=root.pk).update(
        numchild=Page.objects.filter(depth=2, path__startswith=root.path).count()
    )
    if not Site.objects.filter(is_default_site=True).exists():
        Site.objects.create(
            root_page=home, is_default_site=True, site_name="Repères", **site_defaults
        )
    else:
        Site.objects.filter(is_default_site=True).update(root_page=home)


def remove_home_page(apps, schema_editor):
    # Going back leaves the tree as it is: the HomePage rows go with the table.
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_home_page, remove_home_page)]
