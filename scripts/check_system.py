"""Say clearly which system packages Repères needs and which are missing.

WeasyPrint renders PDFs with Pango (and HarfBuzz, fontconfig) from the system; a
Python install alone cannot provide them.
"""

import sys


def main():
    try:
        import weasyprint  # noqa: F401  (loads Pango through cffi)
    except OSError as error:
        print(
            "WeasyPrint ne trouve pas ses bibliothèques système (Pango).\n"
            "Sur Debian/Ubuntu : sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
            "libharfbuzz0b libfontconfig1\n"
            f"Détail : {error}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
