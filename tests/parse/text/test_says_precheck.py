"""The "Name says:" pre-check skips the pattern only on lines it cannot match: same answers as
running the pattern on every line."""

from __future__ import annotations

import itertools

from transforms.parse import text as t

NAMES = ["Ann", "Jean-Luc Picard", "x" * 90, "Bo (at 7:05)", "", " lead"]
VERBS = ["says", "SAYS", "ſays", "sagt", "Sagt", "a écrit", "wrote", "said", "dit", "saysx"]
MIDDLES = [" ", "  ", "\t", "\u00a0", ""]
ENDINGS = ["", ":", " :", ": hello", ":\n", " ", "\n", "\x1f", "\u2003", " ok", "."]


def groups(m: object) -> object:
    return m.groupdict() if m is not None else None  # type: ignore[attr-defined]


def test_same_answers_as_the_pattern_on_every_line() -> None:
    lines = [
        f"{name}{middle}{verb}{end}"
        for name, middle, verb, end in itertools.product(NAMES, MIDDLES, VERBS, ENDINGS)
    ]
    lines += ["Reply", "Ann says", "a says: b", ":", "", "12:30 pm", "Kelvin \u212aays"]
    matched = 0
    for line in lines:
        expected = t._SAYS.match(line)
        assert groups(t._says_match(line)) == groups(expected), repr(line)
        matched += expected is not None
    assert matched > 100  # the lines exercise both forms of the pattern
