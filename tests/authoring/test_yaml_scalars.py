"""Plain YAML scalars read with format 1's rules (YAML 1.2's core schema where
YAML 1.1 writers agree with it: see game/authoring/loader.py).

French authors write `Non`, `23:12` or `off` as text; YAML 1.1 readers turn
them into booleans or base-60 numbers. The table is what a trainer gets.
"""

from __future__ import annotations

import math

import pytest

from game.authoring.loader import parse_document

TABLE = [
    ("Non", "Non"), ("non", "non"), ("Oui", "Oui"), ("yes", "yes"), ("no", "no"), ("off", "off"), ("on", "on"),
    ("y", "y"), ("true", True), ("True", True), ("TRUE", True), ("false", False), ("False", False),
    ("23:12", "23:12"), ("1:30:00", "1:30:00"), ("0,5", "0,5"), ("12", 12), ("-7", -7), ("+3", 3), ("007", 7),
    ("0x1F", 31), ("0o17", "0o17"), ("0b101", "0b101"), ("1e5", "1e5"), ("1.5e3", 1500.0), ("1.5", 1.5), (".5", 0.5), ("2.", 2.0),
    ("1_000", "1_000"), ("~", None), ("null", None), ("Null", None), ("", None), ("2026-12-01", "2026-12-01"),
    (".inf", math.inf), ("-.inf", -math.inf),
]


@pytest.mark.parametrize("written,value", TABLE)
def test_plain_scalars_have_their_format_1_values(written, value):
    doc = parse_document(f"key: {written}\n".encode(), "t.yaml")
    got = doc.data["key"]
    assert got == value and type(got) is type(value), (written, got)


def test_nan_and_quoted_scalars():
    doc = parse_document(b'a: .nan\nb: "12"\nc: \'true\'\n', "t.yaml")
    assert math.isnan(doc.data["a"])
    assert doc.data["b"] == "12" and doc.data["c"] == "true"


def test_a_number_too_long_to_read_stays_text():
    doc = parse_document(("n: " + "9" * 5000 + "\n").encode(), "t.yaml")
    assert doc.data["n"] == "9" * 5000
