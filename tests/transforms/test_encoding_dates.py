from __future__ import annotations

import codecs
from datetime import UTC, datetime, timedelta

import pytest

from transforms.parse.dates import parse_date
from transforms.parse.encoding import DecodeError, decode_bytes

REF = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "content_type", "text", "encoding"),
    [
        ("Grüße – “x”".encode(), None, "Grüße – “x”", "utf-8"),
        (codecs.BOM_UTF8 + "Grüße".encode(), None, "Grüße", "utf-8"),
        ("Grüße".encode("utf-16"), None, "Grüße", "utf-16-le"),
        ("Grüße – “x”".encode("cp1252"), None, "Grüße – “x”", "cp1252"),  # nothing declared
        ("Grüße".encode("cp1252"), "text/html; charset=ISO-8859-1", "Grüße", "cp1252"),
        (
            '<meta charset="utf-8"><p>Grüße'.encode(),
            None,
            '<meta charset="utf-8"><p>Grüße',
            "utf-8",
        ),
        # declared latin-1 but really UTF-8: no mojibake
        (
            '<meta charset="iso-8859-1"><p>Grüße'.encode(),
            None,
            '<meta charset="iso-8859-1"><p>Grüße',
            "utf-8",
        ),
        (
            "Привет, как дела? Это проверка.".encode("cp1251"),
            None,
            "Привет, как дела? Это проверка.",
            "cp1251",
        ),
    ],
)
def test_decode(raw: bytes, content_type: str | None, text: str, encoding: str) -> None:
    assert decode_bytes(raw, content_type) == (text, encoding)


@pytest.mark.parametrize(
    "raw", [bytes(range(256)) * 8, b"\xff\xfe\x00\xd8\x00\xd8", b"\x00\x01\x02abc"]
)
def test_undecodable_raises(raw: bytes) -> None:
    with pytest.raises(DecodeError):
        decode_bytes(raw)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("March 22, 2013 at 2:05 pm", datetime(2013, 3, 22, 14, 5, tzinfo=UTC)),
        ("22nd March, 2013 1:55 pm", datetime(2013, 3, 22, 13, 55, tzinfo=UTC)),
        ("22. März 2013 um 14:05 Uhr", datetime(2013, 3, 22, 14, 5, tzinfo=UTC)),
        ("22 mars 2013 à 14h05", datetime(2013, 3, 22, 14, 5, tzinfo=UTC)),
        ("2019-08-02T14:15:03+02:00", datetime(2019, 8, 2, 12, 15, 3, tzinfo=UTC)),
        ("22.03.2013 14:05", datetime(2013, 3, 22, 14, 5, tzinfo=UTC)),
        ("12/03/2004 10:31 PM", datetime(2004, 12, 3, 22, 31, tzinfo=UTC)),
        # dashes: month first with a 12-hour clock (vBulletin's default), else day first
        ("01-15-2012, 10:42 AM", datetime(2012, 1, 15, 10, 42, tzinfo=UTC)),
        ("02-03-2012, 08:05 PM", datetime(2012, 2, 3, 20, 5, tzinfo=UTC)),
        ("15-01-2012 10:42", datetime(2012, 1, 15, 10, 42, tzinfo=UTC)),
        ("ext. 12-34-56", None),
        ("Mon, 06 Sep 2010 16:54:40 +0200", datetime(2010, 9, 6, 14, 54, 40, tzinfo=UTC)),
        ("3 days ago", datetime(2026, 11, 19, 12, tzinfo=UTC)),
        ("vor 2 Stunden", datetime(2026, 11, 22, 10, tzinfo=UTC)),
        ("il y a 5 minutes", datetime(2026, 11, 22, 11, 55, tzinfo=UTC)),
        ("gestern um 9:15", datetime(2026, 11, 21, 9, 15, tzinfo=UTC)),
        ("no date here", None),
        ("", None),
    ],
)
def test_parse_date(text: str, expected: datetime | None) -> None:
    assert parse_date(text, REF) == expected


_MAR22 = datetime(2013, 3, 22, 14, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22 de marzo de 2013 a las 14:05", _MAR22),
        ("22 de março de 2013 às 14:05", _MAR22),
        ("22 marzo 2013 alle 14:05", _MAR22),
        ("22 maart 2013 om 14:05", _MAR22),
        ("22 marca 2013 o 14:05", _MAR22),
        ("22 марта 2013 г. в 14:05", _MAR22),
        ("11 dic. 2022 a las 9:12", datetime(2022, 12, 11, 9, 12, tzinfo=UTC)),
        ("5 ago 2013", datetime(2013, 8, 5, tzinfo=UTC)),
        ("set 5, 2013", datetime(2013, 9, 5, tzinfo=UTC)),
        ("2013年3月22日 下午2:05", _MAR22),
        ("2013年03月22日 14:05", _MAR22),
        ("2013년 3월 22일 오후 2:05", _MAR22),
        ("2013. 3. 22. 14:05", _MAR22),
        ("2013-3-22 14:05", _MAR22),
        ("2013.03.22", datetime(2013, 3, 22, tzinfo=UTC)),
        # inline elements' texts joined without a space: a capitalised month still starts one
        ("MoritzMeyerJuni 19th, 2018", datetime(2018, 6, 19, tzinfo=UTC)),
        # a month name must start a word: "about 5, 2013" is not "out 5, 2013" (October)
        ("about 5, 2013", None),
        ("offset 5, 2013", None),
    ],
)
def test_parse_date_in_more_languages(text: str, expected: datetime | None) -> None:
    assert parse_date(text, REF) == expected


@pytest.mark.parametrize(
    ("text", "ago"),
    [
        ("hace 3 días", timedelta(days=3)),
        ("há 2 horas", timedelta(hours=2)),
        ("3 giorni fa", timedelta(days=3)),
        ("un anno fa", timedelta(days=365)),
        ("2 dagen geleden", timedelta(days=2)),
        ("3 дня назад", timedelta(days=3)),
        ("vor einer Stunde", timedelta(hours=1)),
        ("6天前", timedelta(days=6)),
        ("3 小时前", timedelta(hours=3)),
        ("2時間前", timedelta(hours=2)),
        ("3일 전", timedelta(days=3)),
        ("15 seconds ago (7:18 PM)", timedelta(seconds=15)),
    ],
)
def test_relative_dates_in_more_languages(text: str, ago: timedelta) -> None:
    assert parse_date(text, REF) == REF - ago


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ayer a las 10:15", datetime(2026, 11, 21, 10, 15, tzinfo=UTC)),
        ("昨天 12:30", datetime(2026, 11, 21, 12, 30, tzinfo=UTC)),
        ("hoy", REF),
        ("刚刚", REF),
        # a day word in prose is not a date
        ("Today 3 new stations opened on the line that runs along the river", None),
    ],
)
def test_day_words(text: str, expected: datetime | None) -> None:
    assert parse_date(text, REF) == expected


def test_relative_dates_beyond_the_calendar_are_not_dates() -> None:
    # "5000 years ago" would fall before year 1: prose about history, not an error
    assert parse_date("5000 years ago", REF) is None
    assert parse_date("4000 years ago", datetime(2000, 1, 1, tzinfo=UTC)) is None


def test_relative_without_reference_is_unknown() -> None:
    assert parse_date("3 days ago") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le 17 juillet à 22:09", datetime(2026, 7, 17, 22, 9, tzinfo=UTC)),
        ("le 1er juillet à 19:47", datetime(2026, 7, 1, 19, 47, tzinfo=UTC)),
        ("Nov 23 at 9:04 am", datetime(2026, 11, 23, 9, 4, tzinfo=UTC)),  # a day of slack
        ("Dec 5 at 3:04 pm", datetime(2025, 12, 5, 15, 4, tzinfo=UTC)),  # after the reference
        ("5. März um 14:05", datetime(2026, 3, 5, 14, 5, tzinfo=UTC)),
        ("12 Octobre à 17h45", datetime(2026, 10, 12, 17, 45, tzinfo=UTC)),
        ("17 juillet", None),  # no time: too often not a date at all
        ("May 5 and 12", None),
    ],
)
def test_dates_without_a_year(text: str, expected: datetime | None) -> None:
    """A comment's day, month and time without the year: the last such moment before the
    reference, only when asked for and with a reference."""
    assert parse_date(text, REF, yearless=True) == expected
    assert parse_date(text, REF) is None
    assert parse_date(text, None, yearless=True) is None
