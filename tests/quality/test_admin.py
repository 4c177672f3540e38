"""Coordination handles complaints and actions in the Wagtail admin; nobody else sees them."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from quality import services
from quality.models import ActionStatus, Complaint, ComplaintStatus, ImprovementAction
from tests.spreadsheet_checks import (
    HOSTILE,
    assert_csv_inert,
    assert_french_dated_filename,
    assert_xlsx_inert,
    csv_rows,
    xlsx_cells,
)

from .conftest import HOSTILE_HTML

pytestmark = pytest.mark.django_db

COMPLAINTS = "complaints:index"
ACTIONS = "improvement_actions:index"


def edit_url(complaint):
    return reverse("complaints:edit", args=[complaint.pk])


@pytest.fixture
def coordination(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def complaint(file, module):
    return file(subject_type="module", module=module, message=HOSTILE_HTML)


def form_data(complaint, **overrides):
    return {
        "status": complaint.status,
        "assignee": complaint.assignee_id or "",
        "answer": complaint.answer,
        **overrides,
    }


# --- Access -------------------------------------------------------------------------------


def test_menu_shows_quality_to_coordination_only(client, coordinator, editor, trainer):
    url = reverse(COMPLAINTS)
    client.force_login(coordinator)
    assert url in client.get(reverse("wagtailadmin_home")).content.decode()
    for user in (editor, trainer):
        client.force_login(user)
        assert url not in client.get(reverse("wagtailadmin_home")).content.decode()


@pytest.mark.parametrize("role_fixture", ["editor", "reviewer", "trainer", "professional"])
def test_other_roles_get_nothing(client, request, role_fixture, complaint):
    client.force_login(request.getfixturevalue(role_fixture))
    action = ImprovementAction.objects.create(title="Action", origin="other")
    urls = [
        reverse(COMPLAINTS),
        reverse(COMPLAINTS) + "?export=csv",
        edit_url(complaint),
        reverse("complaints:history", args=[complaint.pk]),
        reverse(ACTIONS),
        reverse(ACTIONS) + "?export=xlsx",
        reverse("improvement_actions:add"),
        reverse("improvement_actions:edit", args=[action.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert complaint.reference.encode() not in response.content
    response = client.post(
        edit_url(complaint), {**form_data(complaint, status="close"), "send-answer": "1"}
    )
    assert response.status_code in (302, 403)
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RECUE


def test_anonymous_is_sent_to_the_login(client, complaint):
    response = client.get(edit_url(complaint))
    assert response.status_code == 302
    assert "/comptes/login/" in response["Location"] or "login" in response["Location"]


def test_complaints_cannot_be_added_or_deleted(coordination, complaint):
    html = coordination.get(reverse(COMPLAINTS)).content.decode()
    assert "/admin/qualite/reclamations/new/" not in html
    for path in ("new/", f"delete/{complaint.pk}/", f"copy/{complaint.pk}/"):
        assert coordination.get(f"/admin/qualite/reclamations/{path}").status_code == 404


# --- The list ------------------------------------------------------------------------------


def test_list_filters_and_search(coordination, file, coordinator, publisher, module):
    about_module = file(subject_type="module", module=module, message="Module.")
    platform = file(message="Plateforme.", email="b@example.org", name="Bérénice Roux")
    services.change_status(platform, ComplaintStatus.EN_COURS, by=coordinator)

    def listed(**params):
        response = coordination.get(reverse(COMPLAINTS), params)
        assert response.status_code == 200
        return {complaint.pk for complaint in response.context["object_list"]}

    assert listed() == {about_module.pk, platform.pk}
    assert listed(status="en_cours") == {platform.pk}
    assert listed(subject_type="module") == {about_module.pk}
    assert listed(publisher=publisher.pk) == {about_module.pk}
    today = timezone.localdate()
    assert listed(created_at_from=today.isoformat(), created_at_to=today.isoformat()) == {
        about_module.pk,
        platform.pk,
    }
    assert listed(created_at_from=(today + datetime.timedelta(days=1)).isoformat()) == set()
    assert listed(q="Bérénice") == {platform.pk}
    assert listed(q=platform.reference) == {platform.pk}


@pytest.mark.parametrize(
    "params", [{"status": "inconnu"}, {"publisher": "abc"}, {"created_at_from": "pas-une-date"}]
)
def test_unknown_filter_values_are_no_500(coordination, complaint, params):
    assert coordination.get(reverse(COMPLAINTS), params).status_code == 200


def test_list_query_count_does_not_grow(coordination, file, django_assert_max_num_queries):
    for index in range(3):
        file(message=f"Message {index}.")
    with django_assert_max_num_queries(40) as few:
        coordination.get(reverse(COMPLAINTS))
    for index in range(10):
        file(message=f"Autre {index}.")
    with django_assert_max_num_queries(len(few.captured_queries)):
        coordination.get(reverse(COMPLAINTS))


# --- The edit view -------------------------------------------------------------------------


def test_edit_view_shows_the_message_escaped(coordination, complaint):
    response = coordination.get(edit_url(complaint))

    html = response.content.decode()
    assert response.status_code == 200
    assert "&lt;script&gt;" in html
    assert '<script>alert("x")</script>' not in html
    assert complaint.reference in html
    assert "Envoyer la réponse" in html


def test_status_choices_are_the_allowed_moves(coordination, complaint):
    form = coordination.get(edit_url(complaint)).context["form"]
    assert [value for value, _label in form.fields["status"].choices] == [
        "recue",
        "en_cours",
        "close",
    ]


def test_coordination_sets_status_and_assignee(coordination, complaint, coordinator):
    response = coordination.post(
        edit_url(complaint),
        form_data(complaint, status="en_cours", assignee=coordinator.pk, answer="Brouillon"),
    )

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.EN_COURS
    assert complaint.assignee == coordinator
    assert complaint.answer == "Brouillon"
    assert complaint.answered_at is None
    assert mail.outbox == []
    actions = set(
        ModelLogEntry.objects.filter(object_id=str(complaint.pk), user=coordinator).values_list(
            "action", flat=True
        )
    )
    assert {"reperes.complaint_status", "reperes.complaint_assign"} <= actions
    assert "reperes.complaint_answer_draft" in actions


def test_a_refused_transition_is_a_form_error_and_changes_nothing(coordination, complaint):
    response = coordination.post(edit_url(complaint), form_data(complaint, status="traitee"))

    assert response.status_code == 200
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RECUE


def test_a_professional_cannot_be_assigned(coordination, complaint, professional):
    response = coordination.post(
        edit_url(complaint), form_data(complaint, assignee=professional.pk)
    )

    assert response.status_code == 200
    assert Complaint.objects.get().assignee is None


def test_answer_over_5000_characters_is_refused(coordination, complaint):
    response = coordination.post(
        edit_url(complaint), {**form_data(complaint, answer="a" * 100_000), "send-answer": "1"}
    )

    assert response.status_code == 200
    complaint.refresh_from_db()
    assert complaint.answer == "" and complaint.answered_at is None


def test_send_answer_once(coordination, complaint, committed):
    data = {**form_data(complaint, answer="Nous avons corrigé la question."), "send-answer": "1"}

    first = committed(coordination.post, edit_url(complaint), data)
    data["status"] = "traitee"
    second = committed(coordination.post, edit_url(complaint), data)

    assert first.status_code == second.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.TRAITEE
    assert complaint.answered_at is not None
    answers = [message for message in mail.outbox if "Réponse" in message.subject]
    assert len(answers) == 1
    assert answers[0].to == ["alex@example.org"]
    assert "Nous avons corrigé la question." in answers[0].body


def test_history_shows_who_did_what(coordination, complaint, coordinator):
    services.change_status(complaint, ComplaintStatus.EN_COURS, by=coordinator)
    services.answer_complaint(complaint, "Réponse.", by=coordinator)

    html = coordination.get(reverse("complaints:history", args=[complaint.pk])).content.decode()

    assert "Statut de la réclamation modifié" in html
    assert "Réponse envoyée par e-mail" in html
    assert "Réclamation reçue" in html
    assert coordinator.get_full_name() in html


# --- Improvement actions -------------------------------------------------------------------


def test_coordination_adds_an_action_linked_to_a_complaint(coordination, complaint, coordinator):
    response = coordination.post(
        reverse("improvement_actions:add"),
        {
            "title": "Corriger la question 3",
            "origin": "complaint",
            "complaints": [complaint.pk],
            "description": "",
            "publisher": "",
            "owner": coordinator.pk,
            "due_date": "2026-01-15",
            "status": "done",
            "result": "Fait.",
        },
    )

    assert response.status_code == 302
    action = ImprovementAction.objects.get()
    assert list(action.complaints.all()) == [complaint]
    assert action.owner == coordinator
    assert action.done_at is not None
    assert ModelLogEntry.objects.filter(action="wagtail.create", user=coordinator).exists()


def test_overdue_filter(coordination):
    today = timezone.localdate()
    late = ImprovementAction.objects.create(
        title="En retard", origin="other", due_date=today - datetime.timedelta(days=1)
    )
    ImprovementAction.objects.create(
        title="Faite", origin="other", due_date=late.due_date, status=ActionStatus.DONE
    )
    ImprovementAction.objects.create(
        title="À venir", origin="other", due_date=today + datetime.timedelta(days=3)
    )

    response = coordination.get(reverse(ACTIONS), {"overdue": "on"})

    assert [action.title for action in response.context["object_list"]] == ["En retard"]
    assert "en retard" in response.content.decode()


# --- Exports -------------------------------------------------------------------------------


@pytest.fixture
def hostile_registers(file):
    complaints = [
        file(name=value, message=value, email=f"p{index}@example.org")
        for index, value in enumerate(HOSTILE)
    ]
    for index, value in enumerate(HOSTILE):
        action = ImprovementAction.objects.create(title=value, origin="other", result=value)
        action.complaints.add(complaints[index])
    return complaints


@pytest.mark.parametrize(
    "index_name,stem", [(COMPLAINTS, "reclamations"), (ACTIONS, "actions-amelioration")]
)
def test_exports_are_inert_and_french(coordination, hostile_registers, index_name, stem):
    csv_response = coordination.get(reverse(index_name), {"export": "csv"})
    xlsx_response = coordination.get(reverse(index_name), {"export": "xlsx"})

    assert csv_response.status_code == xlsx_response.status_code == 200
    rows = csv_rows(csv_response)
    assert_csv_inert(rows)
    assert_xlsx_inert(xlsx_cells(xlsx_response))
    assert_french_dated_filename(csv_response, stem, "csv")
    assert_french_dated_filename(xlsx_response, stem, "xlsx")
    assert len(rows) == len(HOSTILE) + 1


def test_complaint_export_columns(coordination, hostile_registers):
    rows = csv_rows(coordination.get(reverse(COMPLAINTS), {"export": "csv"}))
    assert rows[0][:4] == ["Référence", "Reçue le", "Nom", "Adresse e-mail"]
    assert "Réponse envoyée" in rows[0]
