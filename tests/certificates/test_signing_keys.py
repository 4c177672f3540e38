"""The issuer's key: read from PKCS#12, recorded once, rotated without losing old keys."""

import pytest
from django.core.management import call_command

from certificates import signing_keys
from certificates.models import SigningKey


@pytest.mark.django_db
def test_the_key_is_recorded_once_with_its_public_certificate_only():
    key, row = signing_keys.signing_key_now()
    _again, same = signing_keys.signing_key_now()
    assert row.pk == same.pk
    assert SigningKey.objects.count() == 1
    assert row.kid == key.kid
    assert "PRIVATE" not in row.certificate_pem
    assert row.is_demo


def test_the_jwk_is_public_and_its_kid_is_the_rfc7638_thumbprint():
    from jwcrypto import jwk

    key = signing_keys.current_key()
    public = key.public_jwk()
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(public)
    # An independent implementation of RFC 7638 gives the same id.
    assert jwk.JWK(**{k: public[k] for k in ("kty", "n", "e")}).thumbprint() == key.kid


@pytest.mark.django_db
def test_rotation_keeps_the_older_key_known(settings, tmp_path):
    old, _ = signing_keys.signing_key_now()
    path = tmp_path / "new.p12"
    call_command("create_signing_key", path, "--passphrase-file", tmp_path / "pass", "--demo")
    settings.SIGNING_KEY_FILE = str(path)
    settings.SIGNING_KEY_PASSPHRASE = (tmp_path / "pass").read_text().strip()
    new, _ = signing_keys.signing_key_now()
    assert new.kid != old.kid
    assert {row.kid for row in signing_keys.known_keys()} == {old.kid, new.kid}


def test_without_a_key_development_signs_with_a_demo_key_made_once(settings, tmp_path):
    settings.SIGNING_KEY_FILE = ""
    settings.SIGNING_DEMO_KEY = True
    settings.SIGNING_DEMO_KEY_DIR = tmp_path / "signing"
    first = signing_keys.current_key()
    again = signing_keys.current_key()
    assert first.kid == again.kid
    assert "démonstration" in first.subject
    assert oct((tmp_path / "signing" / "demo.p12").stat().st_mode & 0o777) == "0o600"


def test_a_missing_or_wrong_key_fails_with_a_code(settings, tmp_path):
    settings.SIGNING_KEY_FILE = ""
    settings.SIGNING_DEMO_KEY = False
    with pytest.raises(signing_keys.SigningKeyError) as error:
        signing_keys.current_key()
    assert error.value.code == "not_configured"
    settings.SIGNING_KEY_FILE = str(tmp_path / "missing.p12")
    with pytest.raises(signing_keys.SigningKeyError) as error:
        signing_keys.current_key()
    assert error.value.code == "unreadable"
    (tmp_path / "bad.p12").write_bytes(b"not a pkcs12 file")
    settings.SIGNING_KEY_FILE = str(tmp_path / "bad.p12")
    with pytest.raises(signing_keys.SigningKeyError) as error:
        signing_keys.current_key()
    assert error.value.code == "unreadable"


def test_the_command_leaves_an_existing_file_alone(tmp_path):
    path = tmp_path / "demo.p12"
    call_command("create_signing_key", path, "--passphrase-file", tmp_path / "pass", "--demo")
    before = path.read_bytes()
    call_command("create_signing_key", path, "--passphrase-file", tmp_path / "pass", "--demo")
    assert path.read_bytes() == before
    assert oct(path.stat().st_mode & 0o777) == "0o600"
