"""Fail when a committed .po file has no up-to-date compiled .mo beside it."""

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    stale = []
    for po in sorted(ROOT.glob("locale/*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists():
            stale.append(f"{mo} is missing")
            continue
        with tempfile.NamedTemporaryFile(suffix=".mo") as fresh:
            subprocess.run(["msgfmt", "-o", fresh.name, str(po)], check=True)  # noqa: S603, S607
            if Path(fresh.name).read_bytes() != mo.read_bytes():
                stale.append(f"{mo} is not compiled from the current {po.name}")
    for line in stale:
        print(line, file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
