"""People's names: one rule (accounts/names.py) wherever a name is typed.

Signup, profile, Wagtail's user create and edit forms, its account page,
`createsuperuser`, a certificate template's signatory, the name typed as a signature.
"""

import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts import services
from accounts.models import User
from accounts.names import clean_name, normalise_name
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

# Every bidirectional control of Unicode (UAX #9: ALM, LRM, RLM, embeddings,
# overrides, isolates) and the usual zero-width and invisible characters.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
INVISIBLES = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u034f\u3164\ufe0f\u2028\u2029"
REFUSED = BIDI_CONTROLS + INVISIBLES + "\x00\x07\t\n\r\x7f\x85"

SPOOFED = "Thomas\u202egnp.exe"  # displays as « Thomasexe.png »
ZALGO = "Ine\u0301\u0300\u0302s"  # three marks on one letter

PROFILE = {
    "first_name": "Camille",
    "last_name": "Martin",
    "profession": "educateur",
    "organisation": "Service d'AEMO",
    "sector": "ase_departement",
    "workplace": "93008",
}


# --- The rule -----------------------------------------------------------------------------


@pytest.mark.parametrize("char", REFUSED, ids=lambda char: f"U+{ord(char):04X}")
def test_every_bidi_control_and_invisible_character_is_refused(char):
    with pytest.raises(ValidationError) as excinfo:
        clean_name(f"Ca{char}mille")
    assert excinfo.value.code == "control_characters"
    # The message names the character, which the person cannot see.
    assert f"U+{ord(char):04X}" in excinfo.value.messages[0]


def test_format_characters_are_all_refused():
    """Not a list that misses one: every format character (Cf) of Unicode."""
    import sys

    format_characters = [
        chr(code) for code in range(sys.maxunicode + 1) if unicodedata.category(chr(code)) == "Cf"
    ]
    assert len(format_characters) > 150
    for char in format_characters:
        with pytest.raises(ValidationError):
            clean_name(f"A{char}b")


def test_names_are_nfc_with_single_ordinary_spaces():
    decomposed = "Ine\u0300s\u00a0\u2009 Moreau "
    assert clean_name(decomposed) == "Inès Moreau"
    assert unicodedata.is_normalized("NFC", clean_name(decomposed))
    assert normalise_name("  Jean-  Pierre  ") == "Jean- Pierre"


@pytest.mark.parametrize(
    "name",
    [
        "Inès",
        "N'Diaye",
        "Đặng Thị Ngọc",
        "Nguye\u0302\u0303n",  # « ễ » spelt out: two marks on one letter
        "Ho\u031b\u0300ng",  # « ờ »: horn and grave
        "Zoë O'Brien-Łukasiewicz",
        "Ἀθηνᾶ",
        "محمد",
        "कृष्णा",  # Devanagari: spacing and non-spacing vowel signs
        "Lê Văn Thành",
    ],
)
def test_real_names_are_accepted(name):
    assert clean_name(name) == unicodedata.normalize("NFC", name)


@pytest.mark.parametrize(
    "name", [ZALGO, "Nguyê\u0303\u0301n", "\u0301Inès", "Inès \u0301", "A-\u0301"]
)
def test_stacked_or_stray_marks_are_refused(name):
    with pytest.raises(ValidationError) as excinfo:
        clean_name(name)
    assert excinfo.value.code == "combining_marks"


# --- Where a name is typed ----------------------------------------------------------------


@pytest.mark.parametrize("value", [SPOOFED, "Ine\u0300s\u061c", "Cam\u200bille", ZALGO])
@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_signup_refuses_the_name(client, value, field):
    from .test_accounts_signup import SIGNUP_URL, signup_data

    response = client.post(SIGNUP_URL, signup_data(**{field: value}))
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()[field]
    assert {error.code for error in errors} & {"control_characters", "combining_marks"}
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("first_name", "Camille\u061c"),
        ("last_name", "Mar\u200btin"),
        ("first_name", SPOOFED),
        ("last_name", ZALGO),
        ("organisation", "Lycée\u2067 Jean Moulin"),
    ],
)
def test_profile_refuses_the_name(client, professional, field, value):
    client.force_login(professional)
    response = client.post(reverse("account_profile"), {**PROFILE, field: value})
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in response.content.decode()
    professional.refresh_from_db()
    assert value not in getattr(professional, field)


def test_profile_stores_the_nfc_name(client, professional):
    client.force_login(professional)
    client.post(reverse("account_profile"), {**PROFILE, "first_name": "Ine\u0300s\u00a0Marie"})
    professional.refresh_from_db()
    assert professional.first_name == "Inès Marie"


def test_the_profile_service_applies_the_rule(professional):
    with pytest.raises(services.AccountError) as excinfo:
        services.update_profile(professional, first_name=SPOOFED)
    assert excinfo.value.code == "invalid_profile"
    assert services.update_profile(professional, last_name="Ne\u0301ron ") == ["last_name"]
    professional.refresh_from_db()
    assert professional.last_name == "Néron"


@pytest.fixture
def admin_client(client, django_user_model):
    admin = make_user(django_user_model, "admin.names@example.org", is_superuser=True)
    client.force_login(admin, backend="accounts.backends.ModelBackend")
    return client


def wagtail_user_data(**overrides):
    return {
        "email": "nouvelle@example.org",
        "first_name": "Claire",
        "last_name": "Dubois",
        "is_active": "on",
        **overrides,
    }


@pytest.mark.parametrize("value", [SPOOFED, "Claire\u200b", ZALGO])
def test_wagtail_user_creation_form_refuses_the_name(admin_client, value):
    response = admin_client.post(
        reverse("wagtailusers_users:add"), wagtail_user_data(first_name=value)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["first_name"]
    assert not User.objects.filter(email="nouvelle@example.org").exists()


def test_wagtail_user_creation_form_stores_the_nfc_name(admin_client):
    response = admin_client.post(
        reverse("wagtailusers_users:add"), wagtail_user_data(last_name="Lefe\u0300vre")
    )
    assert response.status_code == 302
    assert User.objects.get(email="nouvelle@example.org").last_name == "Lefèvre"


def test_wagtail_user_edit_form_refuses_the_name(admin_client, professional):
    response = admin_client.post(
        reverse("wagtailusers_users:edit", args=[professional.pk]),
        wagtail_user_data(email=professional.email, last_name=SPOOFED),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["last_name"]
    professional.refresh_from_db()
    assert professional.last_name == "Martin"


def account_page_data(first_name):
    return {
        "name_email-first_name": first_name,
        "name_email-last_name": "Exemple",
        "locale-preferred_language": "fr",
        "locale-current_time_zone": "Europe/Paris",
        "theme-theme": "system",
        "theme-contrast": "system",
        "theme-density": "default",
    }


def test_wagtail_account_page_refuses_the_name(client, editor):
    client.force_login(editor, backend="accounts.backends.ModelBackend")
    url = reverse("wagtailadmin_account")
    response = client.post(url, account_page_data("Dominique\u2066"))
    assert response.status_code == 200
    editor.refresh_from_db()
    assert editor.first_name == "Camille"
    # The same page with an ordinary name saves it, normalised.
    assert client.post(url, account_page_data("Domi\u0302nique")).status_code == 302
    editor.refresh_from_db()
    assert editor.first_name == "Domînique"


def test_createsuperuser_refuses_the_name(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "motdepasse-solide-42")
    with pytest.raises(CommandError, match="U\\+202E"):
        call_command(
            "createsuperuser",
            interactive=False,
            email="root@example.org",
            first_name=SPOOFED,
            last_name="Root",
            verbosity=0,
        )
    assert not User.objects.filter(email="root@example.org").exists()
    call_command(
        "createsuperuser",
        interactive=False,
        email="root@example.org",
        first_name="Ine\u0300s",
        last_name="Root",
        verbosity=0,
    )
    assert User.objects.get(email="root@example.org").first_name == "Inès"
