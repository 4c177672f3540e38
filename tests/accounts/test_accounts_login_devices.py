"""Known browsers: strangers who know an e-mail cannot keep its owner out.

Five wrong passwords for an account lock it for 5 minutes for everyone else; a
browser that signed in to that account before (its device cookie) is counted per
address and per browser instead, and its right password is never refused by the
per-account lock.
"""

import pytest
from django.test import Client
from django.urls import reverse

from accounts import devices
from accounts.mfa import totp_code
from tests.conftest import PASSWORD, TOTP_SECRET

pytestmark = pytest.mark.django_db

LOCKED = "Trop de tentatives"


def log_in(client, email, password=PASSWORD, **headers):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **headers)


def signed_in(client):
    return "_auth_user_id" in client.session


def known_browser(email):
    """A browser that signed in to the account, then signed out."""
    browser = Client()
    assert log_in(browser, email).status_code == 302
    browser.post(reverse("account_logout"))
    assert not signed_in(browser)
    return browser


def strangers_lock(email):
    """Five wrong passwords from five addresses: the per-account limit is reached."""
    for number in range(5):
        log_in(Client(), email, "pas-le-bon-mdp", REMOTE_ADDR=f"203.0.113.{number + 1}")
    assert LOCKED in log_in(Client(), email, REMOTE_ADDR="203.0.113.99").content.decode()


def test_the_owner_signs_in_from_a_known_browser_while_strangers_locked_the_account(
    professional,
):
    browser = known_browser(professional.email)
    strangers_lock(professional.email)
    response = log_in(browser, professional.email)
    assert response.status_code == 302
    assert browser.session["_auth_user_id"] == str(professional.pk)


def test_strangers_stay_limited_per_account_even_with_the_right_password(professional):
    known_browser(professional.email)
    strangers_lock(professional.email)
    stranger = Client()
    response = log_in(stranger, professional.email, REMOTE_ADDR="198.51.100.1")
    assert LOCKED in response.content.decode()
    assert not signed_in(stranger)


def test_a_known_browser_is_limited_on_its_own(professional):
    """Five wrong passwords from the known browser lock that browser, not the account."""
    browser = known_browser(professional.email)
    for _attempt in range(5):
        assert LOCKED not in log_in(browser, professional.email, "faux").content.decode()
    assert LOCKED in log_in(browser, professional.email).content.decode()
    assert not signed_in(browser)
    # The account itself was not counted: another known browser, a stranger, all fine.
    assert log_in(Client(), professional.email, REMOTE_ADDR="198.51.100.2").status_code == 302


def test_a_wrong_password_from_a_known_browser_is_still_wrong(professional):
    browser = known_browser(professional.email)
    response = log_in(browser, professional.email, "pas-le-bon-mdp")
    assert "incorrect" in response.content.decode()
    assert not signed_in(browser)


def test_the_cookie_vouches_for_its_own_account_only(professional, django_user_model):
    from tests.conftest import make_user

    other = make_user(django_user_model, "autre@example.org")
    browser = known_browser(professional.email)
    strangers_lock(other.email)
    assert LOCKED in log_in(browser, other.email).content.decode()


def test_a_new_password_forgets_every_browser(professional):
    browser = known_browser(professional.email)
    professional.set_password("un-nouveau-mot-de-passe-42")
    professional.save()
    strangers_lock(professional.email)
    response = log_in(browser, professional.email, "un-nouveau-mot-de-passe-42")
    assert LOCKED in response.content.decode()


def test_an_altered_cookie_is_worth_nothing(professional):
    browser = known_browser(professional.email)
    name = devices.cookie_name()
    value = browser.cookies[name].value
    forged = Client()
    # Another entry for the same tag, under the original signature: the signature fails.
    nonce_and_tag, _, signature = value.partition(":")
    forged.cookies[name] = f"autre{nonce_and_tag}:{signature}"
    strangers_lock(professional.email)
    assert LOCKED in log_in(forged, professional.email).content.decode()


def test_the_cookie_is_httponly_and_secure_under_https(professional, settings):
    settings.SESSION_COOKIE_SECURE = True
    browser = Client()
    response = log_in(browser, professional.email, secure=True)
    cookie = response.cookies[devices.cookie_name()]
    assert devices.cookie_name().startswith("__Host-")
    assert cookie["httponly"] and cookie["secure"]
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/" and not cookie["domain"]
    # It names no one: neither the address nor the account id.
    assert professional.email not in cookie.value
    assert cookie.value.split(".")[0] != str(professional.pk)


def test_one_browser_remembers_several_accounts(professional, django_user_model):
    """A computer shared in a school: each person who signed in there is known."""
    from tests.conftest import make_user

    colleague = make_user(django_user_model, "collegue@example.org")
    browser = known_browser(professional.email)
    assert log_in(browser, colleague.email).status_code == 302
    browser.post(reverse("account_logout"))
    strangers_lock(professional.email)
    strangers_lock(colleague.email)
    assert log_in(browser, professional.email).status_code == 302
    browser.post(reverse("account_logout"))
    assert log_in(browser, colleague.email).status_code == 302


def test_the_cookie_is_set_once_the_second_factor_is_passed(trainer):
    """A password alone does not make a staff browser known: the login is not done."""
    browser = Client()
    response = log_in(browser, trainer.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert devices.cookie_name() not in response.cookies
    response = browser.post(reverse("mfa_authenticate"), {"code": totp_code(TOTP_SECRET)})
    assert devices.cookie_name() in response.cookies


def test_strangers_cost_no_query_for_the_cookie(professional, django_assert_num_queries):
    """No cookie, no lookup: a stranger's attempt costs what it cost before."""
    from django.test import RequestFactory

    request = RequestFactory().post("/")
    with django_assert_num_queries(0):
        assert devices.recognised(request, professional.email) is None


def test_a_known_browser_still_counts_per_address(professional):
    """The per-address limit is the very same count for everyone at that address."""
    browser = known_browser(professional.email)
    for number in range(10):
        log_in(Client(), f"inconnu{number}@example.org", "faux", REMOTE_ADDR="192.0.2.50")
    response = log_in(browser, professional.email, REMOTE_ADDR="192.0.2.50")
    assert LOCKED in response.content.decode()
    assert log_in(browser, professional.email, REMOTE_ADDR="192.0.2.51").status_code == 302
