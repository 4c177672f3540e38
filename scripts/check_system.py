"""Say clearly what stops Repères from running on this machine, before anything starts.

- WeasyPrint renders PDFs with Pango (and HarfBuzz, fontconfig) from the system; a
  Python install alone cannot provide them.
- `make run` and `make dev` serve on HOST:PORT (`--bind`). They check that the port is
  free before migrating and loading the demo: otherwise gunicorn fails to bind a
  minute later, among other lines, while another program answers on that port.

    python scripts/check_system.py [--bind HOST:PORT] [--make-target run]
"""

import argparse
import errno
import socket
import sys

#: How far above a taken port to look for a free one to suggest.
SUGGESTION_RANGE = 50


def check_weasyprint():
    try:
        import weasyprint  # noqa: F401  (loads Pango through cffi)
    except OSError as error:
        return (
            "WeasyPrint ne trouve pas ses bibliothèques système (Pango).\n"
            "Sur Debian/Ubuntu : sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
            "libharfbuzz0b libfontconfig1\n"
            f"Détail : {error}"
        )
    return None


def split_bind(bind):
    """("127.0.0.1", 8000) from "127.0.0.1:8000" ("[::1]:8000" for IPv6)."""
    host, _, port = bind.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"adresse invalide : {bind!r} (attendu HÔTE:PORT)")
    return host.strip("[]"), int(port)


def bind_error(host, port):
    """The OSError that binding `host:port` raises, as gunicorn would bind it, or None."""
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        return error
    for family, kind, proto, _, address in addresses:
        with socket.socket(family, kind, proto) as probe:
            # As gunicorn does: the TIME_WAIT of a server just stopped is no obstacle.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
            except OSError as error:
                return error
    return None


def free_port_above(host, port):
    for candidate in range(port + 1, min(port + SUGGESTION_RANGE, 65535) + 1):
        if bind_error(host, candidate) is None:
            return candidate
    return None


def check_port(host, port, target):
    error = bind_error(host, port)
    if error is None:
        return None
    if getattr(error, "errno", None) == errno.EADDRINUSE:
        suggestion = free_port_above(host, port) or port + 1
        return (
            f"Le port {port} est déjà pris sur {host} : un autre programme l'écoute "
            f"(ou un « make {target} » encore lancé).\n"
            f"Choisissez un autre port : make {target} PORT={suggestion}\n"
            f"Qui l'occupe : ss -ltnp 'sport = :{port}'"
        )
    return (
        f"Impossible d'écouter sur {host}:{port} : {error}\n"
        f"Choisissez une autre adresse : make {target} HOST=127.0.0.1 PORT={port}"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bind", type=split_bind, help="HÔTE:PORT où le serveur écoutera")
    parser.add_argument("--make-target", default="run", help="commande à suggérer (run, dev)")
    args = parser.parse_args(argv)

    problems = [check_weasyprint()]
    if args.bind:
        problems.append(check_port(*args.bind, args.make_target))
    problems = [problem for problem in problems if problem]
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
