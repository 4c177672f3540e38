"""scripts/backup.sh and scripts/restore.sh on SQLite and on a bad DATABASE_URL.

They read the instance's settings from scripts/instance.sh, like config/settings.py
does; the PostgreSQL round trip is in test_backup_restore.py.
"""

import sqlite3
import subprocess
from pathlib import Path

from tests.config.test_backup_restore import ROOT, instance_env


def test_backup_reads_a_relative_sqlite_url_as_django_does(tmp_path):
    """`sqlite:///reperes.sqlite3` is relative to the current directory, as for Django."""
    with sqlite3.connect(tmp_path / "reperes.sqlite3") as db:
        db.execute("create table certificat (numero text)")
        db.execute("insert into certificat values ('RP-2026-000001')")
    env = instance_env(tmp_path, "sqlite:///reperes.sqlite3", tmp_path / "m", tmp_path / "p")
    result = subprocess.run(
        [ROOT / "scripts/backup.sh", str(tmp_path / "backups")],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    backup_dir = Path(result.stdout.strip().splitlines()[-1])
    with sqlite3.connect(backup_dir / "database.sqlite3") as copy:
        assert copy.execute("select numero from certificat").fetchall() == [("RP-2026-000001",)]

    # The file restore.sh would write to is the same one, which exists: refused.
    result = subprocess.run(
        [ROOT / "scripts/restore.sh", str(backup_dir)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "reperes.sqlite3 already exists" in result.stderr


def test_backup_and_restore_refuse_an_unknown_database_scheme(tmp_path):
    env = instance_env(tmp_path, "mysql://reperes@localhost/reperes", tmp_path, tmp_path)
    for script in ("backup.sh", "restore.sh"):
        result = subprocess.run(
            [ROOT / "scripts" / script, str(tmp_path)], env=env, capture_output=True, text=True
        )
        assert result.returncode == 2
        assert f"{script}: unsupported DATABASE_URL scheme" in result.stderr
