"""Demo: staff demo accounts have an authenticator app, and `demo_totp` gives its code."""

import io
import re

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts import roles
from demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET, ensure_demo_accounts

pytestmark = pytest.mark.django_db


def command_output(name, *args):
    out = io.StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


def test_staff_demo_accounts_have_an_authenticator_app_and_professionals_none():
    ensure_demo_accounts()
    ensure_demo_accounts()  # idempotent
    for spec in DEMO_ACCOUNTS:
        count = Authenticator.objects.filter(user__email=spec["email"], type="totp").count()
        is_staff = bool(spec.get("superuser")) or spec["role"] in roles.STAFF_ROLES
        assert count == (1 if is_staff else 0), spec["email"]


def test_the_printed_code_signs_the_demo_trainer_in(client):
    ensure_demo_accounts()
    output = command_output("demo_totp", "formateur@reperes.example")
    assert DEMO_TOTP_SECRET in output
    code = re.search(r"Code actuel : (\d{6})", output).group(1)
    client.post(
        reverse("account_login"), {"login": "formateur@reperes.example", "password": DEMO_PASSWORD}
    )
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.get("/formateur/").status_code == 200


def test_demo_totp_refuses_other_addresses():
    with pytest.raises(CommandError):
        command_output("demo_totp", "professionnelle@reperes.example")


def test_demo_logins_says_how_to_get_the_code():
    output = command_output("demo_logins")
    assert "demo_totp" in output
    assert DEMO_TOTP_SECRET in output
