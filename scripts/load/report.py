"""Locust's numbers (its CSV files) and the verification, printed as `make load` ends."""

import csv
from pathlib import Path


def _rows(path):
    if not Path(path).exists():
        return []
    with open(path, encoding="utf-8", newline="") as source:
        return list(csv.DictReader(source))


def _number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def read_locust_stats(prefix):
    """Totals of a `locust --csv PREFIX` run: requests, failures, rate, percentiles."""
    total = next((r for r in _rows(f"{prefix}_stats.csv") if r["Name"] == "Aggregated"), {})
    exceptions = _rows(f"{prefix}_exceptions.csv")
    return {
        "requests": int(_number(total.get("Request Count"))),
        "failures": int(_number(total.get("Failure Count"))),
        "requests_per_second": _number(total.get("Requests/s")),
        "p50": _number(total.get("50%")),
        "p99": _number(total.get("99%")),
        # Exceptions raised in the simulated people's code: a broken journey is an error.
        "exceptions": sum(int(_number(r.get("Count"))) for r in exceptions),
        "failure_lines": [
            f"{r['Occurrences']} × {r['Method']} {r['Name']} : {r['Error']}"
            for r in _rows(f"{prefix}_failures.csv")
        ],
        "exception_lines": [f"{r['Count']} × {r['Message']}" for r in exceptions],
        "pages": {
            f"{r['Type']} {r['Name']}": {
                "requests": int(_number(r.get("Request Count"))),
                "failures": int(_number(r.get("Failure Count"))),
                "p50_ms": _number(r.get("50%")),
                "p99_ms": _number(r.get("99%")),
            }
            for r in _rows(f"{prefix}_stats.csv")
            if r["Name"] != "Aggregated"
        },
    }


def print_pages(stats):
    """p50 / p99 of each page (locust's name for it), busiest first."""
    print()
    print("Par page (p50 / p99, requêtes) :")
    pages = sorted(stats["pages"].items(), key=lambda item: -item[1]["requests"])
    for name, page in pages:
        print(
            f"  {name[:62]:<62} {page['p50_ms']:6.0f} / {page['p99_ms']:6.0f} ms"
            f"  {page['requests']:7d}{'  échecs ' + str(page['failures']) if page['failures'] else ''}"
        )


def print_memory(memory):
    """Workers' memory at the start, at its highest and at the end of the run."""
    print()
    print("Mémoire des processus (Mo, total par sorte) :")
    for kind, figures in memory.summary().items():
        print(
            f"  {kind:<10} {figures['processes']} processus : début {figures['start']:.0f}, "
            f"maximum {figures['peak']:.0f}, fin {figures['end']:.0f} "
            f"(par processus en fin de charge : {figures['per_process_end']})"
        )
        print(
            "    par minute : "
            + ", ".join(f"{at // 60} min {mb:.0f}" for at, mb in figures["minutes"])
        )


def errors(stats):
    return stats["failures"] + stats["exceptions"]


def print_report(stats, verification, counts, setup):
    """Print the run's numbers; the exit status: 0 only with no error and nothing lost."""
    lost = len(verification.lost)
    print()
    print(f"Charge : {setup}")
    print(f"  requêtes             : {stats['requests']}")
    print(f"  débit                : {stats['requests_per_second']:.1f} req/s")
    print(f"  p50 / p99            : {stats['p50']:.0f} ms / {stats['p99']:.0f} ms")
    print(
        f"  erreurs              : {errors(stats)} "
        f"(requêtes en échec {stats['failures']}, exceptions {stats['exceptions']})"
    )
    for line in (stats["failure_lines"] + stats["exception_lines"])[:15]:
        print(f"    {line}")
    print(
        f"  renvois              : {verification.resent} (connexion inactive fermée par le "
        "serveur avant toute réponse : renvoyée une fois, comme un navigateur)"
    )
    print(f"  validations reçues   : {verification.acknowledged} (réponse « validé » du serveur)")
    print(f"  validations en base  : {verification.stored}")
    print(f"  perdues              : {lost}{' — ' + str(verification.lost[:20]) if lost else ''}")
    print(
        f"  appels enregistrés   : {verification.rolls_acknowledged} (formateur·rice·s), "
        f"demi-journées différentes en base : {len(verification.rolls_lost)}"
    )
    print(f"  PDF reçus            : {verification.pdfs_received}", end="")
    print(f" (dont {len(verification.pdfs_unknown)} sans certificat à ce nom)")
    print("  En base pour les comptes de charge :")
    for label, value in counts.items():
        print(f"    {label:<22}: {value}")
    # A run in which nothing was submitted proves nothing about lost submissions.
    ok = errors(stats) == 0 and verification.ok and verification.acknowledged > 0
    print("Résultat : " + ("OK — 0 erreur, 0 perte." if ok else "ÉCHEC."))
    return 0 if ok else 1
