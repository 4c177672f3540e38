"""The import order of docs/architecture.md, read from the source with `ast`.

Floors, from the ground up: core → accounts → guides / courses / certificates →
home, demo, config. A module imports its own floor or a lower one; nobody imports
`demo`; the two wings of `courses` do not import each other; `certificates` reads
only the models and the completion signal of `courses`; the ground floor names no
app, not even as a string given to `apps.get_model`.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Top-level package → (folder, floor).
PACKAGES = {
    "core": ("site/core", 0),
    "accounts": ("site/accounts", 1),
    "guides": ("guides", 2),
    "courses": ("courses", 2),
    "certificates": ("certificates", 2),
    "surveys": ("site/surveys", 2),
    "quality": ("site/quality", 2),
    "offline": ("site/offline", 2),
    "pilotage": ("site/pilotage", 3),
    "home": ("site/home", 3),
    "demo": ("site/demo", 3),
    "config": ("site/config", 3),
}

#: What `certificates` may import from `courses` (prefixes of dotted names).
CERTIFICATES_MAY_READ = ("courses.models", "courses.modules.signals")
WINGS = ("courses.modules", "courses.sessions")


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    target: str
    rule: str

    def __str__(self):
        return f"{self.path}:{self.line} imports {self.target}: {self.rule}"


def module_name(package, folder, path):
    parts = path.relative_to(ROOT / folder).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join((package, *parts))


def resolve(importer, node, is_package):
    """Absolute dotted names an import statement brings in."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level == 0:
        base = node.module
    else:
        parts = importer.split(".")
        keep = len(parts) - node.level + (1 if is_package else 0)
        base = ".".join(parts[:keep] + ([node.module] if node.module else []))
    # `from x import y` may bring the module x.y: check both names.
    return [base] + [f"{base}.{alias.name}" for alias in node.names if alias.name != "*"]


def imported_names(source, importer, is_package=False):
    """(line, dotted name) of every import, and of `apps.get_model("<label>", …)`."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            for name in resolve(importer, node, is_package):
                yield node.lineno, name
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get_model"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.lineno, node.args[0].value.split(".")[0]


def check_import(importer, target):
    """The rule `importer` breaks by importing `target`, or None."""
    source_package, target_package = importer.split(".")[0], target.split(".")[0]
    if target_package not in PACKAGES or target_package == source_package:
        return wing_rule(importer, target)
    if target_package == "demo":
        return "nothing imports the demo"
    if PACKAGES[target_package][1] > PACKAGES[source_package][1]:
        return f"{source_package} (floor {PACKAGES[source_package][1]}) is below {target_package}"
    reads_courses = source_package == "certificates" and target_package == "courses"
    if reads_courses and not target.startswith(CERTIFICATES_MAY_READ):
        return "certificates reads only the models and the completion signal of courses"
    return None


def wing_rule(importer, target):
    for wing, other in (WINGS, WINGS[::-1]):
        if importer.startswith(wing + ".") and (target == other or target.startswith(other + ".")):
            return f"{wing} never imports {other}"
    return None


def violations_in(path, package, folder):
    importer = module_name(package, folder, path)
    is_package = path.name == "__init__.py"
    for line, target in imported_names(path.read_text(), importer, is_package):
        rule = check_import(importer, target)
        if rule:
            yield Violation(str(path.relative_to(ROOT)), line, target, rule)


def project_modules():
    for package, (folder, _floor) in PACKAGES.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield path, package, folder


def test_no_import_runs_against_the_floors():
    found = [
        str(violation)
        for path, package, folder in project_modules()
        for violation in violations_in(path, package, folder)
    ]
    assert found == []


def test_every_project_package_is_on_a_floor():
    """A new top-level app must be given its floor here (and in docs/architecture.md)."""
    apps_on_disk = {
        path.parent.name for top in (ROOT, ROOT / "site") for path in top.glob("*/apps.py")
    }
    assert apps_on_disk <= set(PACKAGES)
    assert "site/__init__.py" not in {
        str(p.relative_to(ROOT)) for p in (ROOT / "site").glob("*.py")
    }


def test_the_architecture_page_names_every_package():
    text = (ROOT / "docs" / "architecture.md").read_text()
    for folder, _floor in PACKAGES.values():
        assert f"`{folder}/" in text, folder


def test_courses_top_level_has_no_wing_files():
    prefixes = ("session_", "trainer_", "checkin")
    names = [path.name for path in (ROOT / "courses").glob("*.py")]
    assert [name for name in names if name.startswith(prefixes)] == []


@pytest.mark.parametrize(
    ("importer", "source", "rule"),
    [
        ("core.pdf", "from accounts.roles import is_coordination", "is below accounts"),
        ("core.signals", "apps.get_model('guides', 'Publisher')", "is below guides"),
        ("accounts.privacy.export", "from courses.models import Enrolment", "is below courses"),
        ("guides.models", "import home.models", "is below home"),
        ("home.views", "from demo.accounts import DEMO_ACCOUNTS", "nothing imports the demo"),
        ("config.urls", "from demo import pages", "nothing imports the demo"),
        ("certificates.views", "from courses.modules.views import quiz", "certificates reads"),
        ("certificates.pdf", "from courses.sessions.forms import X", "certificates reads"),
        ("courses.modules.views", "from courses.sessions import views", "never imports"),
        ("courses.sessions.views", "from ..modules.services import x", "never imports"),
    ],
)
def test_a_wrong_import_is_caught(importer, source, rule):
    """The checker itself: each kind of wrong import is reported (relative ones too)."""
    found = [
        check_import(importer, target)
        for _line, target in imported_names(source, importer)
        if check_import(importer, target)
    ]
    assert found
    assert rule in found[0]


@pytest.mark.parametrize(
    ("importer", "source"),
    [
        ("accounts.mfa", "from core.content_cache import ACCESS"),
        ("courses.sessions.certificates", "from certificates import services"),
        ("courses.espace", "from courses.sessions import registration_views"),
        ("courses.espace", "from courses.modules import services"),
        ("certificates.apps", "from courses.modules.signals import module_completed"),
        ("certificates.pdf", "from courses.models.pages import format_duration"),
        ("home.views", "from config.middleware import inline_style_hashes"),
        ("demo.sessions", "from .accounts import DEMO_PARTICIPANTS"),
    ],
)
def test_a_right_import_passes(importer, source):
    assert [
        target
        for _line, target in imported_names(source, importer)
        if check_import(importer, target)
    ] == []
