"""Public and participant session pages, mounted at the site root before Wagtail's catch-all.

- /sessions/…: the list, a session, its .ics, registering and cancelling (POST);
- /calendrier/<token>.ics: the personal feed at its secret address (no login);
- /pointage/…: self check-in with the trainer's code or QR code, then the signature.
"""

from django.urls import path

from courses.sessions import checkin_views, registration_views
from courses.sessions import views as session_views

app_name = "sessions"

urlpatterns = [
    path("sessions/", session_views.session_list, name="list"),
    path("sessions/<uuid:uuid>/", session_views.session_detail, name="detail"),
    path("sessions/<uuid:uuid>/calendrier.ics", session_views.session_ics, name="ics"),
    path("sessions/<uuid:uuid>/inscription/", registration_views.register, name="register"),
    path(
        "sessions/inscriptions/<int:registration_id>/annuler/",
        registration_views.cancel,
        name="cancel",
    ),
    path(
        "sessions/calendrier/adresse/", registration_views.regenerate_feed, name="regenerate_feed"
    ),
    path("calendrier/<str:token>.ics", registration_views.calendar_feed, name="feed"),
    path("pointage/", checkin_views.checkin_form, name="checkin"),
    path("pointage/demi-journees/<int:slot_id>/signature/", checkin_views.sign, name="sign"),
    path("pointage/<str:token>/", checkin_views.checkin_token, name="checkin_token"),
]
