"""The author-line date split searches only where a match can be: same answers as searching the
whole line with both patterns."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from transforms.parse import text as t
from transforms.parse.dates import parse_date


def reference(line: str, ref: datetime | None) -> tuple[str, datetime | None, bool]:
    m = (
        t._TRAILING_DATETIME.search(line)
        or t._TRAILING_AGO.search(line)
        or t._GLUED_DATETIME.search(line)
    )
    if not m or m.start() == 0:
        return line, None, False
    name = t._without_weekday(line[: m.start()].rstrip(" ,|•·–—-"))
    return name, parse_date(m.group("date"), ref), True


NAMES = [
    "Ann",
    "Jean-Luc Picard",
    "",
    "x" * 130,
    "Posted by Bo |",
    "Cy, Do",
    "Di |",
    "Bo, le lundi",
    "Al x",
]
DATES = [
    "March 5, 2024 at 07:00", "5. März 2024 um 14.30 Uhr", "5 mars 2024 à 9h05",
    "Mar 5th, 2024 @ 7:05 pm", "05.03.2024 - 07:00", "2024-03-05 07:00", "3 days ago",
    "an hour ago", "٥ March ٢٠٢٤ at ٠٧:٠٠", "March 5, 2024", "07:00", "ago", "12 PM.",
    "2024-03-05T07:00:00Z", "2024-03-05T07:00+02:00", "05.03.2024 07:00:13",
]  # fmt: skip
SEPARATORS = [" ", ", ", " • ", " | ", " – ", ""]
ENDINGS = ["", "  ", "\t", "\x1f", " !", "h", "."]


def test_matches_a_search_of_the_whole_line() -> None:
    ref = datetime(2024, 6, 1)
    for name, sep, date, end in itertools.product(NAMES, SEPARATORS, DATES, ENDINGS):
        line = f"{name}{sep}{date}{end}"
        assert t._split_trailing_date(line, ref) == reference(line, ref), line


def test_weekday_before_the_date_is_not_part_of_the_name() -> None:
    ref = datetime(2024, 6, 1)
    for line, name in [
        ("Citizen, Do 1 Aug 2019 / 01:15", "Citizen"),
        ("Ann Heim | Di, 21. April 2020 - 18:01", "Ann Heim"),
        ("Bruno Gobin, le mercredi 15 mai 2019 à 08:07", "Bruno Gobin"),
        ("Sana6. Juni 2015 um 10:23", "Sana"),
        ("Rose worldMay 30, 2019 at 6:22 PM", "Rose world"),
        ("Tom Sun 12 May 2020 at 10:00", "Tom Sun"),  # not set off: part of the name
        ("Dom 12 May 2020 at 10:00", "Dom"),
    ]:
        assert t._split_trailing_date(line, ref)[0] == name, line


def test_links_after_the_date_are_not_part_of_it() -> None:
    ref = datetime(2024, 6, 1)
    for line in [
        "Ann, 1 Aug 2019 / 01:15 Antworten",
        "Ann am 1. August 2019 - 01:15 Permanenter Link",
        "Ann 01.08.2019, 01:15 Permalink Reply",
        "Ann 01.08.2019, 01:15 # Zitieren",
        "Ann, le 1 août 2019 à 01:15 Lien permanent",
    ]:
        assert t._split_trailing_date(line, ref) == (
            "Ann",
            datetime(2019, 8, 1, 1, 15, tzinfo=UTC),
            True,
        ), line
    # a link word after text, not after a time, is the text's
    assert t._split_trailing_date("Ann wrote a reply", ref) == ("Ann wrote a reply", None, False)
