"""The author-line date split searches only where a match can be: same answers as searching the
whole line with both patterns."""

from __future__ import annotations

import itertools
from datetime import datetime

from transforms.parse import text as t
from transforms.parse.dates import parse_date


def reference(line: str, ref: datetime | None) -> tuple[str, datetime | None, bool]:
    m = t._TRAILING_DATETIME.search(line) or t._TRAILING_AGO.search(line)
    if not m or m.start() == 0:
        return line, None, False
    return line[: m.start()].rstrip(" ,|•·–—-"), parse_date(m.group("date"), ref), True


NAMES = ["Ann", "Jean-Luc Picard", "", "x" * 130, "Posted by Bo |"]
DATES = [
    "March 5, 2024 at 07:00", "5. März 2024 um 14.30 Uhr", "5 mars 2024 à 9h05",
    "Mar 5th, 2024 @ 7:05 pm", "05.03.2024 - 07:00", "2024-03-05 07:00", "3 days ago",
    "an hour ago", "٥ March ٢٠٢٤ at ٠٧:٠٠", "March 5, 2024", "07:00", "ago", "12 PM.",
]  # fmt: skip
SEPARATORS = [" ", ", ", " • ", " | ", " – ", ""]
ENDINGS = ["", "  ", "\t", "\x1f", " !", "h", "."]


def test_matches_a_search_of_the_whole_line() -> None:
    ref = datetime(2024, 6, 1)
    for name, sep, date, end in itertools.product(NAMES, SEPARATORS, DATES, ENDINGS):
        line = f"{name}{sep}{date}{end}"
        assert t._split_trailing_date(line, ref) == reference(line, ref), line
