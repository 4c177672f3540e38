"""Regenerate site/accounts/data/communes-93.json from the official geographic code.

The list of the communes of Seine-Saint-Denis (and of the French départements, for
« hors département ») comes from the Insee's Code officiel géographique (COG), as
packaged by Etalab in the npm package `@etalab/decoupage-administratif` (one package
version per COG year). Usage:

    python scripts/communes_93.py                    # npm pack of PACKAGE_VERSION
    python scripts/communes_93.py --package DIR_OR_TGZ

Run it when a new COG year is wanted (bump PACKAGE_VERSION), then review the diff:
a merger of communes changes the codes people have saved (see communes_deleguees).
"""

import argparse
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "site" / "accounts" / "data" / "communes-93.json"
PACKAGE = "@etalab/decoupage-administratif"
PACKAGE_VERSION = "6.0.0"
DEPARTEMENT = "93"


def unpack(package, folder):
    """The package's folder: `package` itself, its unpacked tarball, or a fresh npm pack."""
    if package is None:
        subprocess.run(  # noqa: S603
            ["npm", "pack", f"{PACKAGE}@{PACKAGE_VERSION}"],  # noqa: S607
            cwd=folder,
            check=True,
            capture_output=True,
        )
        package = next(Path(folder).glob("*.tgz"))
    package = Path(package)
    if package.is_dir():
        return package / "package" if (package / "package").is_dir() else package
    with tarfile.open(package) as archive:
        archive.extractall(folder, filter="data")
    return Path(folder) / "package"


def cog_year(readme, version):
    """The COG year of this package version, from the README's « millésimes » table."""
    match = re.search(rf"^\|\s*(\d{{4}})\s*\|\s*{re.escape(version)}\s*\|", readme, re.MULTILINE)
    if not match:
        raise SystemExit(f"No COG year for version {version} in the package README")
    return int(match.group(1))


def build(folder):
    meta = json.loads((folder / "package.json").read_text(encoding="utf-8"))
    communes = json.loads((folder / "data" / "communes.json").read_text(encoding="utf-8"))
    departements = json.loads((folder / "data" / "departements.json").read_text(encoding="utf-8"))
    ours = [row for row in communes if row.get("departement") == DEPARTEMENT]
    current = sorted(
        (row for row in ours if row["type"] == "commune-actuelle"), key=lambda r: r["code"]
    )
    # Former communes merged into a current one (Pierrefitte-sur-Seine into Saint-Denis
    # on 1 January 2025): kept so that a name typed before is still recognised.
    delegated = sorted(
        (
            row
            for row in ours
            if row["type"] == "commune-deleguee" and row.get("chefLieu") != row["code"]
        ),
        key=lambda r: r["code"],
    )
    return {
        "source": (
            f"Code officiel géographique (COG) de l'Insee, via le paquet npm {PACKAGE} (Etalab)"
        ),
        "source_url": "https://www.insee.fr/fr/information/2560452",
        "licence": "Licence Ouverte / Open Licence (Etalab)",
        "year": cog_year((folder / "README.md").read_text(encoding="utf-8"), meta["version"]),
        "package": PACKAGE,
        "package_version": meta["version"],
        "generated_by": "scripts/communes_93.py",
        "departement": DEPARTEMENT,
        "communes": [{"code": row["code"], "name": row["nom"]} for row in current],
        "communes_deleguees": [
            {"code": row["code"], "name": row["nom"], "commune": row["chefLieu"]}
            for row in delegated
        ],
        # Départements only (metropolitan and overseas), not the overseas collectivities.
        "departements": [
            {"code": row["code"], "name": row["nom"]}
            for row in departements
            if row["zone"] in ("metro", "drom")
        ],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", help="unpacked package folder or its .tgz (else npm pack)")
    parser.add_argument("--output", default=str(OUTPUT))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        data = build(unpack(args.package, folder))
    Path(args.output).write_text(
        json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(
        f"{len(data['communes'])} communes, {len(data['departements'])} départements "
        f"(COG {data['year']}, {PACKAGE} {data['package_version']}) → {args.output}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
