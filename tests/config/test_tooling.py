"""The tools around the code: what `make test` prints, what installing prints."""

import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def test_skipped_browser_tests_say_why(tmp_path):
    """Without Chromium, `make test` says so, not only with `s` marks."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "DJANGO_"))}
    env.update(CHROMIUM=str(tmp_path / "no-chromium-here"), CI="false")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-m", "browser", "tests/browser/test_accessibility.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    skipped = [line for line in result.stdout.splitlines() if line.startswith("SKIPPED")]
    assert skipped, result.stdout
    assert all("Chromium not installed" in line for line in skipped)
    assert all(str(tmp_path / "no-chromium-here") in line for line in skipped)


@pytest.mark.django_db
def test_a_fresh_request_handler_warns_of_nothing():
    """`make test` on a fresh clone: no « No directory at: var/static/ » per test client."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert Client().get("/robots.txt").status_code == 200
    # A ResourceWarning comes from the garbage collector, whenever it runs: whatever an
    # earlier test left open, not this handler.
    raised = [w for w in caught if not issubclass(w.category, ResourceWarning)]
    assert [str(warning.message) for warning in raised] == []


def test_the_base_url_fixture_warns_of_nothing(request):
    """pytest-playwright's own `base_url` (a plugin object's method) is deprecated by pytest 9
    and removed in pytest 10: ours replaces it, so strict warnings break nothing."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert request.getfixturevalue("base_url") is None


def test_an_editable_install_prints_no_warning(tmp_path):
    """`pip install -e .` builds with a current setuptools; pip shows the build's warnings.

    setuptools' import-finder strategy warns at every install (« Please be careful with
    folders in your working directory with the same name as your package »); the
    .pth strategy that `package-dir` selects warns of nothing. Warnings are errors here.
    """
    build_requires = tmp_path / "build-requires"
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--target",
            build_requires,
            "setuptools>=69",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if install.returncode != 0:
        pytest.skip(f"setuptools>=69 cannot be installed here: {install.stderr[-300:]}")
    project = tmp_path / "project"
    project.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, project / name)
    env = {**os.environ, "PYTHONPATH": str(build_requires)}
    build = subprocess.run(
        [
            sys.executable,
            "-W",
            "error",
            "-c",
            "import sys, setuptools.build_meta as backend; "
            "print(backend.build_editable(sys.argv[1]))",
            str(tmp_path / "wheel"),
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    assert build.stdout.strip().endswith(".whl")
