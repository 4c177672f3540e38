"""The trainer area, mounted at /formateur/ (before Wagtail's catch-all)."""

from django.urls import path

from . import trainer_views as views

app_name = "trainer"

SESSION = "sessions/<uuid:uuid>/"
SLOT = SESSION + "demi-journees/<int:slot_id>/"

urlpatterns = [
    path("", views.session_list, name="sessions"),
    path("sessions/nouvelle/", views.session_create, name="session_create"),
    path(SESSION, views.session_detail, name="session"),
    path(SESSION + "modifier/", views.session_edit, name="session_edit"),
    path(SESSION + "participants/ajouter/", views.participant_add, name="participant_add"),
    path(SESSION + "participants.csv", views.export_csv, name="export_csv"),
    path(SESSION + "participants.xlsx", views.export_xlsx, name="export_xlsx"),
    path(SESSION + "cloturer/", views.session_finish, name="session_finish"),
    path(SESSION + "emargement.pdf", views.emargement_pdf, name="emargement"),
    path(SLOT + "presences/", views.attendance, name="attendance"),
    path(SLOT + "pointage/", views.checkin_display, name="checkin"),
    path(SLOT + "pointage.json", views.checkin_json, name="checkin_json"),
    path(SLOT + "signer/", views.slot_sign, name="slot_sign"),
]
