"""The trainer area, mounted at /formateur/ (before Wagtail's catch-all)."""

from django.urls import path

from courses.sessions.trainer import attendance as trainer_attendance
from courses.sessions.trainer import exports as trainer_exports
from courses.sessions.trainer import views as trainer_views

app_name = "trainer"

SESSION = "sessions/<uuid:uuid>/"
SLOT = SESSION + "demi-journees/<int:slot_id>/"

urlpatterns = [
    path("", trainer_views.session_list, name="sessions"),
    path("sessions/nouvelle/", trainer_views.session_create, name="session_create"),
    path(SESSION, trainer_views.session_detail, name="session"),
    path(SESSION + "modifier/", trainer_views.session_edit, name="session_edit"),
    path(SESSION + "participants/ajouter/", trainer_views.participant_add, name="participant_add"),
    path(SESSION + "participants.csv", trainer_exports.export_csv, name="export_csv"),
    path(SESSION + "participants.xlsx", trainer_exports.export_xlsx, name="export_xlsx"),
    path(SESSION + "cloturer/", trainer_views.session_finish, name="session_finish"),
    path(SESSION + "emargement.pdf", trainer_exports.emargement_pdf, name="emargement"),
    path(
        SESSION + "historique/",
        trainer_attendance.attendance_history,
        name="attendance_history",
    ),
    path(SLOT + "presences/", trainer_attendance.attendance, name="attendance"),
    path(SLOT + "pointage/", trainer_attendance.checkin_display, name="checkin"),
    path(SLOT + "pointage.json", trainer_attendance.checkin_json, name="checkin_json"),
    path(SLOT + "signer/", trainer_attendance.slot_sign, name="slot_sign"),
]
