"""Factories for the home app's pages and settings."""

import factory
import wagtail_factories

from core.models import SiteSettings
from home.models import HomePage, StandardPage


def site_home():
    """The HomePage the data migration put at the site root."""
    return HomePage.objects.get()


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Page standard {n}")
    intro = "Qui publie Repères, et qui l'héberge."
    body = "<h2>Éditeur</h2><p>Le Département, représenté par son président.</p>"
    parent = factory.LazyFunction(site_home)

    class Meta:
        model = StandardPage


def site_settings(**fields):
    """The default site's SiteSettings, updated with `fields`."""
    home = site_home()
    settings = SiteSettings.for_site(home.get_site())
    for name, value in fields.items():
        setattr(settings, name, value)
    settings.save()
    return settings
