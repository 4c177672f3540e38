"""Public verification (/verifier/), the holder's certificates (/espace/certificats/)
and the public documents of the Open Badges (/.well-known/jwks.json, /badges/…)."""

from django.urls import include, path

from . import views
from .verifier import views as verifier

app_name = "certificates"

urlpatterns = [
    path("verifier/", views.verify_form, name="verify_form"),
    path("verifier/document/", verifier.verify_document, name="verify_document"),
    path("verifier/badge/", verifier.verify_badge, name="verify_badge"),
    path("verifier/<str:code>/", views.verify, name="verify"),
    path("espace/certificats/", views.my_certificates, name="list"),
    path("espace/certificats/<uuid:uuid>/", views.download, name="download"),
    path("espace/certificats/<uuid:uuid>/etat/", views.status, name="status"),
    path("espace/certificats/<uuid:uuid>/badge/", views.badge, name="badge"),
    path("", include("certificates.badges.urls")),
]
