"""The installable app's URLs. Mounted at the site root: a service worker controls only
the pages under the folder it is served from, so /sw.js (scope « / ») must stay there."""

from django.urls import path

from . import views

app_name = "offline"

urlpatterns = [
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("hors-ligne/", views.offline_page, name="fallback"),
    path("hors-ligne/version.json", views.content_version, name="version"),
]
