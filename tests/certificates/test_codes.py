"""Verification codes: format, randomness source, Crockford folding."""

import re

import pytest

from certificates.codes import ALPHABET, LENGTH, format_code, new_code, normalise_code


def test_new_code_is_12_crockford_symbols_and_60_bits():
    code = new_code()
    assert len(code) == LENGTH == 12
    assert set(code) <= set(ALPHABET)
    assert len(ALPHABET) == 32  # 5 bits a symbol: 60 bits
    assert not set(code) & set("ILOU")


def test_codes_do_not_repeat():
    assert len({new_code() for _ in range(2000)}) == 2000


def test_format_groups_by_four():
    assert format_code("7KQ2MX9D4HTV") == "7KQ2-MX9D-4HTV"
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", format_code(new_code()))


@pytest.mark.parametrize(
    "typed",
    ["7KQ2-MX9D-4HTV", "7kq2mx9d4htv", " 7KQ2 MX9D 4HTV ", "7kq2-mx9d-4htv", "7KQ2–MX9D–4HTV"],
)
def test_dashes_spaces_and_case_are_ignored(typed):
    assert normalise_code(typed) == "7KQ2MX9D4HTV"


def test_o_i_l_are_folded_as_crockford_does():
    assert normalise_code("O1IL-0000-0000") == "01110000" + "0000"
    assert normalise_code("oilO-0000-0000") == "01100000" + "0000"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "7KQ2-MX9D-4HT",
        "7KQ2-MX9D-4HTVX",
        "7KQ2-MX9D-4HTU",
        "7KQ2/MX9D/4HTV",
        None,
        "x" * 500,
        "ÉKQ2-MX9D-4HTV",
    ],
)
def test_malformed_codes_normalise_to_none(typed):
    assert normalise_code(typed) is None
