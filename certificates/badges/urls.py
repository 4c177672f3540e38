"""Public addresses of the badges (certificates:badges:…): stable, since every badge
issued names them (certificates/badges/links.py)."""

from django.urls import path

from . import views

app_name = "badges"

urlpatterns = [
    path(".well-known/jwks.json", views.jwks, name="jwks"),
    path("badges/emetteur/", views.issuer, name="issuer"),
    path(
        "badges/formations/module-<int:module_id>/",
        views.module_achievement,
        name="module_achievement",
    ),
    path(
        "badges/formations/session-<int:session_id>/",
        views.session_achievement,
        name="session_achievement",
    ),
    path("badges/statuts/<int:number>/", views.status_list, name="status_list"),
]
