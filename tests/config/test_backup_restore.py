"""Backup and restore (docs/deployment.md): dump, restore into an empty instance, verify.

Runs the real scripts against PostgreSQL: `scripts/backup.sh` dumps the test
database and the two file folders, `scripts/restore.sh` loads them into a new empty
database and empty folders, then a separate Django process on the restored instance
checks that every certificate still verifies (« Authentique ») and downloads with
the bytes recorded at issue.
"""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from certificates.models import Certificate
from tests.certificates.helpers import complete_module
from tests.conftest import make_user

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROOT = Path(__file__).resolve().parents[2]

# Runs inside the restored instance: what a holder and a verifier would see.
CHECK_RESTORED = """
import hashlib, json
from django.test import Client
from django.urls import reverse
from certificates.models import Certificate

report = []
for certificate in Certificate.objects.order_by("pk"):
    public = Client(HTTP_HOST="localhost")
    page = public.get(reverse("certificates:verify", args=[certificate.display_code]))
    holder = Client(HTTP_HOST="localhost")
    holder.force_login(certificate.holder)
    download = holder.get(reverse("certificates:download", args=[certificate.uuid]))
    body = b"".join(download.streaming_content) if download.streaming else download.content
    report.append({
        "number": certificate.number,
        "verified": page.status_code == 200 and "Authentique" in page.content.decode(),
        "download_status": download.status_code,
        "sha256": hashlib.sha256(body).hexdigest(),
        "recorded": certificate.pdf_sha256,
    })
print(json.dumps(report))
"""


def database_url(name):
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or "5432"
    return f"postgres://{db['USER']}@{host}:{port}/{name}"


@pytest.fixture
def empty_database():
    name = f"{connection.settings_dict['NAME']}_restored"
    admin_url = database_url("postgres")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield database_url(name)
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def instance_env(tmp_path, url, media, private):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "REDIS_", "PYTEST_"))
    }
    env.update(
        DATABASE_URL=url,
        MEDIA_ROOT=str(media),
        PRIVATE_MEDIA_ROOT=str(private),
        VAR_DIR=str(tmp_path / "var"),
        DEBUG="1",
        PYTHON=sys.executable,
        LOG_LEVEL="WARNING",
    )
    return env


def run(command, env):
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_a_restored_instance_verifies_and_serves_every_certificate(
    tmp_path, empty_database, django_user_model
):
    for index in range(3):
        holder = make_user(
            django_user_model, f"titulaire{index}@example.org", first_name=f"Camille{index}"
        )
        complete_module(holder, title=f"Module {index}")
    issued = {c.number: c.pdf_sha256 for c in Certificate.objects.all()}
    assert len(issued) == 3 and all(issued.values())
    call_command("verify_certificates")  # the live instance is sound to begin with

    live = instance_env(
        tmp_path,
        database_url(connection.settings_dict["NAME"]),
        settings.MEDIA_ROOT,
        settings.PRIVATE_MEDIA_ROOT,
    )
    backup_dir = (
        run(["scripts/backup.sh", str(tmp_path / "backups")], live).strip().splitlines()[-1]
    )
    assert sorted(os.listdir(backup_dir)) == [
        "SHA256SUMS",
        "database.dump",
        "media.tar.gz",
        "private.tar.gz",
    ]

    restored = instance_env(
        tmp_path, empty_database, tmp_path / "restored/media", tmp_path / "restored/private"
    )
    output = run(["scripts/restore.sh", backup_dir], restored)
    assert "Tous les PDF sont présents et intacts." in output

    report = json.loads(
        run([sys.executable, "manage.py", "shell", "-c", CHECK_RESTORED], restored)
        .strip()
        .splitlines()[-1]
    )
    assert {entry["number"] for entry in report} == set(issued)
    for entry in report:
        assert entry["verified"], entry
        assert entry["download_status"] == 200, entry
        assert entry["sha256"] == entry["recorded"] == issued[entry["number"]]


def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    live = instance_env(
        tmp_path,
        database_url(connection.settings_dict["NAME"]),
        settings.MEDIA_ROOT,
        settings.PRIVATE_MEDIA_ROOT,
    )
    backup_dir = (
        run(["scripts/backup.sh", str(tmp_path / "backups")], live).strip().splitlines()[-1]
    )
    other = instance_env(tmp_path, live["DATABASE_URL"], tmp_path / "m", tmp_path / "p")

    result = subprocess.run(
        ["scripts/restore.sh", backup_dir], env=other, cwd=ROOT, capture_output=True, text=True
    )

    assert result.returncode == 2
    assert "not empty" in result.stderr


def test_restore_refuses_a_tampered_backup(tmp_path, empty_database):
    live = instance_env(
        tmp_path,
        database_url(connection.settings_dict["NAME"]),
        settings.MEDIA_ROOT,
        settings.PRIVATE_MEDIA_ROOT,
    )
    backup_dir = Path(
        run(["scripts/backup.sh", str(tmp_path / "backups")], live).strip().splitlines()[-1]
    )
    with (backup_dir / "private.tar.gz").open("ab") as archive:
        archive.write(b"tampered")
    restored = instance_env(tmp_path, empty_database, tmp_path / "m", tmp_path / "p")

    result = subprocess.run(
        ["scripts/restore.sh", str(backup_dir)],
        env=restored,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    with psycopg.connect(empty_database) as restored_db:
        tables = restored_db.execute(
            "select count(*) from pg_tables where schemaname = 'public'"
        ).fetchone()[0]
    assert tables == 0


def test_verify_certificates_reports_a_missing_or_altered_pdf(professional):
    from django.core.management.base import CommandError

    complete_module(professional)
    certificate = Certificate.objects.get()
    with certificate.pdf.open("rb") as handle:
        original = handle.read()
    path = Path(certificate.pdf.path)
    path.write_bytes(original + b"%")
    with pytest.raises(CommandError, match="1 certificat"):
        call_command("verify_certificates")
    path.unlink()
    with pytest.raises(CommandError, match="1 certificat"):
        call_command("verify_certificates")
    path.write_bytes(original)
    call_command("verify_certificates")
    assert hashlib.sha256(original).hexdigest() == certificate.pdf_sha256
