"""Public verification (/verifier/), the holder's certificates (/espace/certificats/)
and the public documents of the Open Badges (/.well-known/jwks.json, /badges/…)."""

from django.urls import include, path

from . import views

app_name = "certificates"

urlpatterns = [
    path("verifier/", views.verify_form, name="verify_form"),
    path("verifier/<str:code>/", views.verify, name="verify"),
    path("espace/certificats/", views.my_certificates, name="list"),
    path("espace/certificats/<uuid:uuid>/", views.download, name="download"),
    path("espace/certificats/<uuid:uuid>/etat/", views.status, name="status"),
    path("", include("certificates.badges.urls")),
]
