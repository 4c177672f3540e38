"""The security audit log (core/audit.py) and its admin report for Coordination."""

import html
import json
from datetime import timedelta

import pytest
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in
from django.test import RequestFactory
from django.urls import reverse
from wagtail.log_actions import LogContext
from wagtail.models import ModelLogEntry

from accounts import roles
from certificates import services as certificate_services
from core import audit
from courses.models.sessions import AttendanceStatus
from courses.sessions.attendance import mark_attendance
from tests.certificates.helpers import certificate_of, complete_module
from tests.conftest import PASSWORD
from tests.sessions.factories import add_participant, build_session

pytestmark = pytest.mark.django_db

AUDIT_URL = "/admin/rapports/journal-audit/"


def entries(action, user=None):
    found = ModelLogEntry.objects.filter(action=action)
    if user is not None:
        found = found.filter(object_id=str(user.pk))
    return found


def test_a_staff_login_is_logged_with_the_address_and_a_professional_login_is_not(
    trainer, professional
):
    # What django.contrib.auth.login sends after any successful login (allauth's too).
    for user in (trainer, professional):
        user_logged_in.send(sender=type(user), request=RequestFactory().get("/"), user=user)

    staff = entries(audit.STAFF_LOGIN, trainer).get()
    assert staff.user == trainer
    assert staff.data == {"ip": "127.0.0.1"}
    assert not entries(audit.STAFF_LOGIN, professional).exists()


def test_a_signup_puts_one_role_entry_in_the_audit_log(django_user_model):
    from accounts.services import assign_default_role

    user = django_user_model.objects.create_user(email="new@example.org", password=PASSWORD)
    assign_default_role(user)

    in_audit = ModelLogEntry.objects.filter(audit.audit_condition(), object_id=str(user.pk))
    assert [(e.action, e.data["role"]) for e in in_audit] == [
        (audit.ROLE_ADDED, roles.PROFESSIONNEL)
    ]


def test_role_changes_are_logged_from_either_side_with_who_made_them(professional, coordinator):
    formateur = Group.objects.get(name=roles.FORMATEUR)
    before = ModelLogEntry.objects.order_by("pk").last().pk
    with LogContext(user=coordinator):
        professional.groups.add(formateur)
    formateur.user_set.remove(professional)
    professional.groups.add(Group.objects.get(name=roles.REDACTEUR))
    professional.groups.clear()

    added = list(entries(audit.ROLE_ADDED, professional).filter(pk__gt=before).order_by("pk"))
    removed = list(entries(audit.ROLE_REMOVED, professional).order_by("pk"))
    assert [(e.data["role"], e.user) for e in added] == [
        (roles.FORMATEUR, coordinator),
        (roles.REDACTEUR, None),
    ]
    assert sorted(e.data["role"] for e in removed) == sorted(
        [roles.FORMATEUR, roles.PROFESSIONNEL, roles.REDACTEUR]
    )


def test_mfa_changes_are_logged(trainer):
    authenticator = Authenticator.objects.create(
        user=trainer, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "x"}
    )
    mfa_signals.authenticator_added.send(
        sender=Authenticator, request=None, user=trainer, authenticator=authenticator
    )
    mfa_signals.authenticator_removed.send(
        sender=Authenticator, request=None, user=trainer, authenticator=authenticator
    )
    assert entries(audit.MFA_ADDED, trainer).get().data == {"type": "recovery_codes"}
    assert entries(audit.MFA_REMOVED, trainer).get().data == {"type": "recovery_codes"}


def test_a_deleted_account_keeps_its_audit_entries_under_its_id(trainer):
    audit.log_data_export(trainer, trainer, what="test", export_format="csv", count=1)
    user_id = trainer.pk
    trainer.delete()
    assert entries(audit.DATA_EXPORT).get().label == f"#{user_id}"


@pytest.fixture
def audit_trail(trainer, coordinator, professional):
    """One entry of each audited kind, plus routine ones that must not show."""
    user_logged_in.send(sender=type(trainer), request=RequestFactory().get("/"), user=trainer)
    _, completion = complete_module(professional, title="Module audité")
    certificate = certificate_of(professional, completion.module)
    certificate_services.revoke_certificate(certificate, by=coordinator, reason="Erreur de saisie")
    session = build_session(slots=1)
    slot = session.slots.get()
    registration = add_participant(session, professional)
    session_trainer = session.trainers.get()
    mark_attendance(
        session_trainer,
        slot,
        registration,
        AttendanceStatus.PRESENT,
        now=slot.starts_at + timedelta(minutes=5),
    )
    mark_attendance(
        session_trainer,
        slot,
        registration,
        AttendanceStatus.LATE,
        reason="Arrivée à 10 h",
        now=slot.ends_at + timedelta(hours=1),
    )
    return certificate


def test_coordination_reads_every_audited_kind_and_nothing_routine(
    client, coordinator, audit_trail
):
    client.force_login(coordinator)
    response = client.get(AUDIT_URL)

    assert response.status_code == 200
    content = html.unescape(response.content.decode())
    for label in (
        "Connexion d'un membre de l'équipe",
        "Certificat délivré",
        "Certificat révoqué",
        "Présence enregistrée",
    ):
        assert label in content, label
    shown = {entry.action for entry in response.context["object_list"]}
    assert "reperes.session_register" not in shown
    attendance = [
        e for e in response.context["object_list"] if e.action == "reperes.attendance_mark"
    ]
    assert [e.data["method"] for e in attendance] == ["correction"]


def test_coordination_filters_the_audit_log_by_action_and_by_person(
    client, coordinator, trainer, editor, audit_trail
):
    client.force_login(coordinator)
    filters = client.get(AUDIT_URL).context["filters"].form.fields
    # Choices come from the audit entries of every log table, not from page history.
    users = set(filters["user"].queryset)
    assert trainer in users and coordinator in users and editor not in users
    actions = {value for value, _label in filters["action"].choices}
    assert audit.STAFF_LOGIN in actions and "reperes.session_register" not in actions

    by_action = client.get(AUDIT_URL, {"action": audit.STAFF_LOGIN}).context["object_list"]
    assert {e.action for e in by_action} == {audit.STAFF_LOGIN}
    assert {e.user for e in by_action} == {trainer, coordinator}  # force_login is a login
    by_person = client.get(AUDIT_URL, {"user": trainer.pk}).context["object_list"]
    assert {e.user for e in by_person} == {trainer}
    assert audit.STAFF_LOGIN in {e.action for e in by_person}


@pytest.mark.parametrize("who", ["trainer", "editor", "reviewer", "professional"])
def test_nobody_else_reads_the_audit_log(client, request, who, audit_trail):
    user = request.getfixturevalue(who)
    client.force_login(user)
    # Staff (with their second factor) reach the admin but not this report: 404.
    # Professionals never reach the admin: Wagtail sends them to the login page.
    expected = 302 if who == "professional" else 404
    assert client.get(AUDIT_URL).status_code == expected
    assert client.get(AUDIT_URL + "resultats/").status_code == expected


def test_the_audit_log_is_not_in_the_menu_of_other_staff(client, editor, coordinator):
    client.force_login(editor)
    assert AUDIT_URL not in client.get("/admin/").content.decode()
    client.force_login(coordinator)
    assert AUDIT_URL in client.get("/admin/").content.decode()


def test_exporting_the_audit_log_is_itself_logged(client, coordinator, audit_trail):
    client.force_login(coordinator)
    response = client.get(AUDIT_URL, {"export": "csv"})

    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert "Certificat révoqué" in body
    export = entries(audit.DATA_EXPORT, coordinator).get()
    assert export.data["what"] == "audit_log"
    assert export.data["format"] == "csv"


def test_no_secret_is_ever_in_a_log_entry(client, audit_trail, professional):
    """Codes, passwords and tokens of everything above never reach log data."""
    client.force_login(professional)
    client.get(reverse("certificates:verify", args=[audit_trail.display_code]))
    dumped = json.dumps(list(ModelLogEntry.objects.values("label", "data")), ensure_ascii=False)
    assert audit_trail.code not in dumped
    assert audit_trail.display_code not in dumped
    assert PASSWORD not in dumped


def test_account_deletions_are_in_the_audit_log_by_id(client, coordinator, django_user_model):
    from accounts.privacy.erasure import delete_account
    from tests.conftest import make_user

    leaving = make_user(django_user_model, "depart@example.org", roles.PROFESSIONNEL)
    leaving_id = leaving.pk
    delete_account(leaving, reason="self", by=leaving)

    client.force_login(coordinator)
    response = client.get(AUDIT_URL)
    content = html.unescape(response.content.decode())
    assert "Compte supprimé" in content
    assert f"#{leaving_id}" in content
    assert "depart@example.org" not in content
