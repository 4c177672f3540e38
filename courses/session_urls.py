"""Public and participant session pages, mounted at the site root before Wagtail's catch-all.

- /sessions/…: the list, a session, its .ics, registering and cancelling (POST);
- /calendrier/<token>.ics: the personal feed at its secret address (no login);
- /pointage/…: self check-in with the trainer's code or QR code, then the signature.
"""

from django.urls import path

from . import session_views as views

app_name = "sessions"

urlpatterns = [
    path("sessions/", views.session_list, name="list"),
    path("sessions/<uuid:uuid>/", views.session_detail, name="detail"),
    path("sessions/<uuid:uuid>/calendrier.ics", views.session_ics, name="ics"),
    path("sessions/<uuid:uuid>/inscription/", views.register, name="register"),
    path(
        "sessions/inscriptions/<int:registration_id>/annuler/",
        views.cancel,
        name="cancel",
    ),
    path("sessions/calendrier/adresse/", views.regenerate_feed, name="regenerate_feed"),
    path("calendrier/<str:token>.ics", views.calendar_feed, name="feed"),
    path("pointage/", views.checkin_form, name="checkin"),
    path("pointage/demi-journees/<int:slot_id>/signature/", views.sign, name="sign"),
    path("pointage/<str:token>/", views.checkin_token, name="checkin_token"),
]
