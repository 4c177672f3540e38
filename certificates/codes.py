"""Verification codes: random, Crockford base32, printed in groups of four.

12 symbols of 5 bits = 60 bits from `secrets`, never derived from ids or numbers,
so a code cannot be guessed from another one. Reading a code back follows
Crockford's rules (https://www.crockford.com/base32.html): case does not matter,
dashes and spaces are ignored, O reads as 0 and I or L as 1.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
GROUP = 4
_FOLD = str.maketrans({"O": "0", "I": "1", "L": "1"})
_IGNORED = str.maketrans("", "", "- \t\u00a0\u2010\u2011\u2012\u2013")


def new_code():
    """A fresh code, stored without dashes."""
    value = secrets.randbits(LENGTH * 5)
    symbols = []
    for _ in range(LENGTH):
        value, digit = divmod(value, 32)
        symbols.append(ALPHABET[digit])
    return "".join(symbols)


def format_code(code):
    """`7KQ2MX9D4HTV` → `7KQ2-MX9D-4HTV`."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise_code(raw):
    """The stored form of a typed code, or None when it cannot be a code.

    Only the shape is checked here; whether a certificate has it is the database's
    answer.
    """
    if not isinstance(raw, str) or len(raw) > 64:
        return None
    code = raw.translate(_IGNORED).upper().translate(_FOLD)
    if len(code) != LENGTH or any(symbol not in ALPHABET for symbol in code):
        return None
    return code
