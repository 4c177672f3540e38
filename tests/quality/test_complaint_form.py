"""/reclamation/: who can file what, and every bad input refused without a 500."""

import pytest
from django.core import mail
from django.urls import reverse

from quality.models import Complaint, ComplaintStatus, SubjectType

from .conftest import HOSTILE_HTML

pytestmark = pytest.mark.django_db

URL = "/reclamation/"
SENT_URL = "/reclamation/envoyee/"


def data(**overrides):
    return {
        "name": "Alex Durand",
        "email": "alex@example.org",
        "subject_type": "platform",
        "module": "",
        "session": "",
        "guide": "",
        "message": "La vidéo de la leçon 2 ne se lance pas.",
        "website": "",
        **overrides,
    }


def test_urls_are_french():
    assert reverse("quality:complaint") == URL
    assert reverse("quality:complaint_sent") == SENT_URL


def test_anonymous_files_a_complaint_and_sees_its_reference(client, post):
    response = post(URL, data())

    assert response.status_code == 302
    assert response["Location"] == SENT_URL  # nothing personal in the URL
    complaint = Complaint.objects.get()
    assert complaint.filed_by is None
    assert (complaint.name, complaint.email) == ("Alex Durand", "alex@example.org")
    assert complaint.status == ComplaintStatus.RECUE
    assert complaint.reference.startswith("R-")
    page = client.get(SENT_URL)
    assert complaint.reference in page.content.decode()
    assert "alex@example.org" not in page.content.decode()


def test_form_page_lists_what_the_public_can_see(client, module, guide, session):
    response = client.get(URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert module.title in content
    assert guide.title in content
    assert session.title in content
    assert 'name="website"' in content  # the honeypot, in a hidden wrapper


def test_a_module_complaint_keeps_the_module_and_its_publisher(client, module, post):
    post(URL, data(subject_type="module", module=module.pk))

    complaint = Complaint.objects.get()
    assert complaint.subject_type == SubjectType.MODULE
    assert complaint.module == module
    assert complaint.publisher == module.publisher


def test_session_and_guide_complaints(client, session, guide, post):
    post(URL, data(subject_type="session", session=session.pk))
    post(URL, data(subject_type="guide", guide=guide.pk, message="Autre message."))

    by_type = {complaint.subject_type: complaint for complaint in Complaint.objects.all()}
    assert by_type["session"].session == session
    assert by_type["session"].publisher == session.organiser
    assert by_type["guide"].guide.pk == guide.pk
    assert by_type["guide"].publisher == guide.publisher


def test_only_the_chosen_subjects_item_is_kept(client, module, guide, post):
    post(URL, data(subject_type="guide", guide=guide.pk, module=module.pk))

    complaint = Complaint.objects.get()
    assert complaint.guide_id == guide.pk
    assert complaint.module is None


def test_logged_in_person_files_under_their_account_whatever_the_form_says(
    client, professional, post
):
    client.force_login(professional)
    page = client.get(URL).content.decode()
    assert 'name="email"' not in page
    assert professional.email in page

    post(URL, data(name="Quelqu'un d'autre", email="autre@example.org"))

    complaint = Complaint.objects.get()
    assert complaint.filed_by == professional
    assert complaint.email == professional.email
    assert complaint.name == professional.get_full_name()
    assert mail.outbox[0].to == [professional.email]


# --- Bad input: a clear error, nothing stored, never a 500 -------------------------------


def assert_refused(response, field, text=None):
    assert response.status_code == 200
    assert field in response.context["form"].errors
    if text:
        assert text in " ".join(response.context["form"].errors[field])
    assert Complaint.objects.count() == 0
    assert mail.outbox == []


def test_message_of_100000_characters_is_refused_clearly(client, post):
    response = post(URL, data(message="a" * 100_000))

    assert_refused(response, "message", "5000")
    assert "error-summary" in response.content.decode()


def test_message_of_5000_characters_is_accepted(client, post):
    post(URL, data(message="a" * 5000))

    assert Complaint.objects.get().message == "a" * 5000


@pytest.mark.parametrize(
    "field,value",
    [
        ("name", ""),
        ("name", "   "),
        ("email", "pas-une-adresse"),
        ("message", "   "),
        ("subject_type", ""),
        ("subject_type", "inconnu"),
    ],
)
def test_missing_or_malformed_fields_are_refused(client, field, value, post):
    assert_refused(post(URL, data(**{field: value})), field)


@pytest.mark.parametrize("tampered", ["999999", "abc", "-1", "1 OR 1=1"])
def test_unknown_or_tampered_module_id_is_a_form_error(client, module, tampered, post):
    assert_refused(post(URL, data(subject_type="module", module=tampered)), "module")


def test_a_draft_module_or_a_cancelled_session_cannot_be_chosen(client, module, session, post):
    module.unpublish()
    session.status = "cancelled"
    session.save()

    assert_refused(post(URL, data(subject_type="module", module=module.pk)), "module")
    assert_refused(post(URL, data(subject_type="session", session=session.pk)), "session")


def test_a_module_complaint_needs_its_module(client, post):
    assert_refused(post(URL, data(subject_type="module")), "module")


def test_the_honeypot_stores_and_sends_nothing(client, post):
    response = post(URL, data(website="http://spam.example/"))

    assert response.status_code == 302  # a robot is told nothing
    assert Complaint.objects.count() == 0
    assert mail.outbox == []
    assert "R-" not in client.get(SENT_URL).content.decode()


def test_html_is_stored_as_typed_and_shown_escaped_in_the_receipt(client, post):
    post(URL, data(message=HOSTILE_HTML, name="<i>Alex</i>"))

    complaint = Complaint.objects.get()
    assert complaint.message == HOSTILE_HTML
    html = mail.outbox[0].alternatives[0][0]
    assert "<script>" not in html and "<b>gras</b>" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;i&gt;Alex&lt;/i&gt;" in html


def test_only_get_and_post(client):
    assert client.put(URL).status_code == 405
    assert client.post(SENT_URL).status_code == 405


# --- Double submit -------------------------------------------------------------------------


def test_double_submit_files_one_complaint_and_sends_one_receipt(client, post):
    first = post(URL, data())
    second = post(URL, data())

    assert first.status_code == second.status_code == 302
    assert Complaint.objects.count() == 1
    assert len(mail.outbox) == 1
    assert Complaint.objects.get().reference in client.get(SENT_URL).content.decode()


def test_another_message_from_the_same_person_is_another_complaint(client, post):
    post(URL, data())
    post(URL, data(message="Et le PDF du guide est illisible."))

    assert Complaint.objects.count() == 2


# --- Privacy -------------------------------------------------------------------------------


def test_the_confirmation_page_shows_only_the_visitors_own_reference(client, file):
    other = file(email="autre@example.org", message="Le message de quelqu'un d'autre.")

    content = client.get(SENT_URL).content.decode()

    assert other.reference not in content
    assert "quelqu&#x27;un d&#x27;autre" not in content


def test_footer_links_to_the_form(client):
    assert f'href="{URL}"' in client.get(URL).content.decode()
