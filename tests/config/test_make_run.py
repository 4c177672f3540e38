"""`make run` for a newcomer: the port checked first, quiet set-up, links to the port served."""

import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def check_system(*args):
    return subprocess.run(
        [sys.executable, "scripts/check_system.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def taken_port():
    """A port another program listens on, on 127.0.0.1."""
    with socket.socket() as other_program:
        other_program.bind(("127.0.0.1", 0))
        other_program.listen()
        yield other_program.getsockname()[1]


@pytest.mark.parametrize("target", ["run", "dev"])
def test_a_taken_port_stops_make_run_with_the_port_and_another_to_use(taken_port, target):
    result = check_system("--bind", f"127.0.0.1:{taken_port}", "--make-target", target)

    assert result.returncode == 1
    assert f"Le port {taken_port} est déjà pris" in result.stderr
    suggested = re.search(rf"make {target} PORT=(\d+)", result.stderr)
    assert suggested, result.stderr
    assert int(suggested.group(1)) != taken_port
    # The suggested port is free indeed: the check accepts it.
    assert check_system("--bind", f"127.0.0.1:{suggested.group(1)}").returncode == 0


def test_a_free_port_passes():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = check_system("--bind", f"127.0.0.1:{port}")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def absolute_url_with(path, **env_overrides):
    """`core.links.absolute_url(path)` under config/settings.py built from this environment."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in {"HOST", "PORT", "WAGTAILADMIN_BASE_URL"}
    }
    env.update(DEBUG="0", HTTPS="0", SECRET_KEY="x" * 60, **env_overrides)
    code = (
        "import os, sys; sys.path[:0] = ['.', 'site']; "
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; "
        f"from core.links import absolute_url; print(absolute_url({path!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("env", "served_at"),
    [
        ({"HOST": "127.0.0.1", "PORT": "8765"}, "http://127.0.0.1:8765"),
        ({"HOST": "192.0.2.10", "PORT": "9000"}, "http://192.0.2.10:9000"),
        ({"PORT": "8765"}, "http://127.0.0.1:8765"),
        # Every interface: this machine answers on its loopback address.
        ({"HOST": "0.0.0.0", "PORT": "8765"}, "http://127.0.0.1:8765"),  # noqa: S104
        ({"HOST": "::1", "PORT": "8765"}, "http://[::1]:8765"),
    ],
)
def test_links_follow_host_and_port_without_a_base_url(env, served_at):
    assert absolute_url_with("/verifier/", **env) == f"{served_at}/verifier/"


def test_an_explicit_base_url_wins_over_host_and_port():
    url = absolute_url_with(
        "/verifier/",
        HOST="127.0.0.1",
        PORT="8765",
        WAGTAILADMIN_BASE_URL="https://formation.exemple.fr",
    )
    assert url == "https://formation.exemple.fr/verifier/"


def make_dry_run(target, **variables):
    """The commands `make <target>` would run (`make -n`: nothing is run)."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    result = subprocess.run(
        ["make", "-n", target, *(f"{key}={value}" for key, value in variables.items())],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.splitlines()


@pytest.mark.parametrize("target", ["run", "dev"])
def test_make_run_checks_the_port_first_and_serves_links_to_it(target):
    commands = make_dry_run(target, HOST="127.0.0.1", PORT="8765")
    # The demo signing key (made once, before anything else) has no links in it.
    manage = [line for line in commands if "manage.py" in line and "create_signing_key" not in line]
    port_check = next(
        index for index, line in enumerate(commands) if "scripts/check_system.py" in line
    )

    assert "--bind 127.0.0.1:8765" in commands[port_check]
    assert f"--make-target {target}" in commands[port_check]
    # Checked before the first migration, not by the server failing to bind after it.
    assert port_check < commands.index(next(line for line in manage if " migrate " in line))
    # Every step builds its links (certificates, QR codes, e-mails) for the port served.
    assert manage and all("HOST=127.0.0.1 PORT=8765" in line for line in manage)


@pytest.mark.parametrize("target", ["run", "dev"])
def test_make_run_signs_with_the_demo_key(target):
    commands = make_dry_run(target, HOST="127.0.0.1", PORT="8765")
    create = next(line for line in commands if "create_signing_key" in line)
    assert "var/signing/demo.p12" in create and "--demo" in create
    serve = next(line for line in commands if "gunicorn" in line or "runserver" in line)
    assert "SIGNING_KEY_FILE=var/signing/demo.p12" in serve


def test_make_run_migrates_quietly_and_serves_with_the_production_settings_file():
    commands = make_dry_run("run", HOST="127.0.0.1", PORT="8765")
    migrate = next(line for line in commands if "manage.py migrate" in line)
    gunicorn = next(line for line in commands if "bin/gunicorn" in line)

    assert "--verbosity 0" in migrate
    assert "-c deploy/gunicorn.conf.py" in gunicorn
    assert "--bind 127.0.0.1:8765" in gunicorn
