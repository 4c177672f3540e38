"""Settings: production-like environment passes Django's deployment checklist."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "p" * 20 + "-a-long-random-production-secret-with-entropy-" + "q" * 20,
    "ALLOWED_HOSTS": "reperes.example.fr",
    "HTTPS": "1",
    "DATABASE_URL": "sqlite:///:memory:",
}


def run_manage(*args, env_overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "DEBUG",
            "HTTPS",
            "SECRET_KEY",
        }
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def issuer_key_env(tmp_path, name="Département — émetteur des certificats", demo=False):
    """A PKCS#12 file as a deployment names it (certificates/signing_keys.py)."""
    from certificates import signing_keys

    path = tmp_path / "issuer.p12"
    if demo:
        signing_keys.create_demo_key(path, "phrase")
    else:
        private_key, certificate = signing_keys.create_key(name, bits=2048)
        signing_keys.write_pkcs12(path, private_key, certificate, "phrase")
    return {"SIGNING_KEY_FILE": str(path), "SIGNING_KEY_PASSPHRASE": "phrase"}


def test_check_deploy_prints_no_warning(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={**PRODUCTION_ENV, **issuer_key_env(tmp_path)},
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "WARNING" not in result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_check_deploy_wants_a_signing_key_and_not_the_demo_one(tmp_path):
    result = run_manage("check", "--deploy", env_overrides=PRODUCTION_ENV)
    assert "certificates.E001" in result.stderr + result.stdout
    result = run_manage(
        "check", "--deploy", env_overrides={**PRODUCTION_ENV, **issuer_key_env(tmp_path, demo=True)}
    )
    assert "certificates.W001" in result.stderr + result.stdout
    wrong = {**issuer_key_env(tmp_path), "SIGNING_KEY_PASSPHRASE": "not-it"}
    result = run_manage("check", "--deploy", env_overrides={**PRODUCTION_ENV, **wrong})
    assert "certificates.E002" in result.stderr + result.stdout


def test_secret_key_is_required_without_debug():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SECRET_KEY"}
    result = run_manage("check", env_overrides=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("LANGUAGE_CODE", "fr"),
        ("TIME_ZONE", "Europe/Paris"),
        ("AUTH_USER_MODEL", "accounts.User"),
    ],
)
def test_french_first_defaults(settings, setting, expected):
    assert getattr(settings, setting) == expected


# Requests made inside a `manage.py shell` run with the production environment: the
# headers that settings.py gives the real thing, not the test overrides.
PRODUCTION_REQUESTS = """
import json
from django.test import Client
client = Client(HTTP_HOST="reperes.example.fr")
secure = client.get("/robots.txt", secure=True)
plain = client.get("/robots.txt")
health = client.get("/healthz")
print(json.dumps({
    "secure": dict(secure.headers),
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location"),
    "health_status": health.status_code,
}))
"""


def test_production_settings_send_the_security_headers(tmp_path):
    env = {**PRODUCTION_ENV, "VAR_DIR": str(tmp_path), "LOG_LEVEL": "ERROR"}
    result = run_manage("shell", "-c", PRODUCTION_REQUESTS, env_overrides=env)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    headers = answer["secure"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    # Plain HTTP is sent to HTTPS, except the health probe.
    assert answer["plain_status"] == 301
    assert answer["plain_location"] == "https://reperes.example.fr/robots.txt"
    assert answer["health_status"] == 200
