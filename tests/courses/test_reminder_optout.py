"""The reminders' one-click opt-out (/compte/rappels/<token>/) and the profile checkbox."""

import html
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse

from accounts import reminders
from accounts.models import User

pytestmark = pytest.mark.django_db


def url(token):
    return reverse("account_learning_reminders_optout", args=[token])


def text(response):
    return html.unescape(response.content.decode())


def reminders_on(user):
    return User.objects.get(pk=user.pk).learning_reminders


def test_learning_reminders_are_on_by_default(professional):
    assert reminders_on(professional)


def test_valid_link_asks_then_turns_off_without_login(client, professional):
    token = reminders.optout_token(professional)
    page = client.get(url(token))
    assert page.status_code == 200
    assert "Ne plus recevoir de rappels" in text(page)
    assert reminders_on(professional)  # a GET (a mail scanner) changes nothing
    done = client.post(url(token))
    assert done.status_code == 200
    assert "vous ne recevrez plus de rappels" in text(done)
    assert not reminders_on(professional)


def test_replayed_link_changes_nothing_and_says_so(client, professional):
    token = reminders.optout_token(professional)
    client.post(url(token))
    again = client.post(url(token))
    assert again.status_code == 200 and "étaient déjà désactivés" in text(again)
    assert "déjà désactivés" in text(client.get(url(token)))
    assert not reminders_on(professional)


def test_turning_off_is_logged_once(professional):
    from wagtail.models import ModelLogEntry

    assert reminders.turn_off_learning_reminders(professional)
    assert not reminders.turn_off_learning_reminders(professional)
    assert ModelLogEntry.objects.filter(action="reperes.learning_reminders_off").count() == 1


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: "x" + token,
        lambda token: "pas-un-jeton",
        lambda token: signing.dumps({"u": 1, "e": "a@b.c"}, salt="another-salt"),
    ],
)
def test_tampered_link_gets_a_clear_page_and_changes_nothing(client, professional, mangle):
    token = mangle(reminders.optout_token(professional))
    for response in (client.get(url(token)), client.post(url(token))):
        assert response.status_code == 400
        assert "Ce lien n'est pas valide" in text(response)
    assert reminders_on(professional)


def test_expired_link_gets_a_clear_page_and_changes_nothing(client, professional, monkeypatch):
    token = reminders.optout_token(professional)
    monkeypatch.setattr(reminders, "TOKEN_MAX_AGE", timedelta(seconds=-1))
    response = client.post(url(token))
    assert response.status_code == 400 and "Ce lien a expiré" in text(response)
    assert reminders_on(professional)
    with pytest.raises(reminders.ReminderTokenError) as error:
        reminders.user_from_token(token, max_age=timedelta(seconds=-1))
    assert error.value.code == "expired"


def test_a_link_sent_to_an_old_address_or_an_inactive_account_is_refused(client, professional):
    token = reminders.optout_token(professional)
    User.objects.filter(pk=professional.pk).update(email="nouvelle@example.org")
    assert client.post(url(token)).status_code == 400
    professional.refresh_from_db()
    token = reminders.optout_token(professional)
    User.objects.filter(pk=professional.pk).update(is_active=False)
    assert client.post(url(token)).status_code == 400
    assert reminders_on(professional)


def test_a_token_names_its_person_only(client, professional, coordinator):
    client.post(url(reminders.optout_token(professional)))
    assert not reminders_on(professional)
    assert reminders_on(coordinator)


def test_the_profile_has_the_checkbox(client, professional):
    client.force_login(professional)
    page = text(client.get(reverse("account_profile")))
    assert "Recevoir un rappel quand je n'ai pas terminé un module" in page
    data = {
        "first_name": professional.first_name,
        "last_name": professional.last_name,
        "profession": professional.profession or "autre",
        "organisation": professional.organisation or "Collège",
        "commune": "",
    }
    response = client.post(reverse("account_profile"), data)  # unticked
    assert response.status_code == 302
    assert not reminders_on(professional)
    client.post(reverse("account_profile"), {**data, "learning_reminders": "on"})
    assert reminders_on(professional)
