"""Dates as pages write them, to UTC datetimes.

Handles ISO 8601 / RFC 2822 / Unix timestamps, English, German and French month names
("March 22, 2013 at 2:05 pm", "22. März 2013 um 14:05", "22 mars 2013 à 14h05"), numeric
day-first dates ("22.03.2013 14:05"), and relative dates ("2 days ago", "vor 3 Stunden",
"il y a 5 minutes", "yesterday") resolved against a reference time (the fetch time).
Naive times are taken as UTC: a page rarely says its zone, and guessing one is worse.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan januar jän jänner janvier janv",
        "february feb februar febr février fevrier févr fevr",
        "march mar märz maerz mars mrz",
        "april apr avril avr",
        "may mai",
        "june jun juni juin",
        "july jul juli juillet juil",
        "august aug août aout",
        "september sep sept septembre",
        "october oct okt oktober octobre",
        "november nov novembre",
        "december dec dez dezember décembre decembre déc",
    ),
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number

_MONTH_RE = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_TIME = (
    r"(?:\D{0,12}?(?P<hour>\d{1,2})\s*(?:[:h.]\s*(?P<minute>\d{2}))?(?:\s*[:.]\s*(?P<second>\d{2}))?"
    r"\s*(?P<ampm>[ap]\.?\s?m\.?)?(?![\d]))?"
)
_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"(?:[T ](?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?"
)
_MDY = re.compile(
    rf"(?P<month>{_MONTH_RE})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}}){_TIME}",
    re.IGNORECASE,
)
_DMY = re.compile(
    rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th|er)?\.?\s*(?:of\s+)?(?P<month>{_MONTH_RE})\.?,?\s+(?P<year>\d{{4}}){_TIME}",
    re.IGNORECASE,
)
_NUMERIC_DMY = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})(?P<sep>[./])(?P<month>\d{{1,2}})(?:[./]|,\s?(?=\d{{4}}))"
    rf"(?P<year>\d{{4}}|\d{{2}})(?!\d){_TIME}",
    re.IGNORECASE,
)
_RFC2822 = re.compile(r"^\w{3},\s+\d{1,2}\s+\w{3}\s+\d{4}\s+\d{2}:\d{2}")
_NUMERIC_YMD = re.compile(
    rf"(?<!\d)(?P<year>\d{{4}})/(?P<month>\d{{1,2}})/(?P<day>\d{{1,2}})(?!\d){_TIME}", re.IGNORECASE
)
_RELATIVE_UNITS = {
    "second": 1, "sec": 1, "sekunde": 1, "sekunden": 1, "seconde": 1, "secondes": 1,
    "minute": 60, "min": 60, "minuten": 60, "minutes": 60, "mins": 60,
    "hour": 3600, "hours": 3600, "hr": 3600, "hrs": 3600, "stunde": 3600, "stunden": 3600,
    "heure": 3600, "heures": 3600,
    "day": 86400, "days": 86400, "tag": 86400, "tagen": 86400, "tage": 86400, "jour": 86400,
    "jours": 86400,
    "week": 604800, "weeks": 604800, "woche": 604800, "wochen": 604800, "semaine": 604800,
    "semaines": 604800,
    "month": 2592000, "months": 2592000, "monat": 2592000, "monaten": 2592000, "mois": 2592000,
    "year": 31536000, "years": 31536000, "jahr": 31536000, "jahren": 31536000, "an": 31536000,
    "ans": 31536000, "année": 31536000, "années": 31536000,
}  # fmt: skip
_UNIT_RE = "|".join(sorted(_RELATIVE_UNITS, key=len, reverse=True))
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "ein": 1, "einer": 1, "einem": 1, "einen": 1,
                 "un": 1, "une": 1}  # fmt: skip
_AGO = re.compile(rf"(?P<n>\d+|an?|one)\s+(?P<unit>{_UNIT_RE})s?\s+ago\b", re.IGNORECASE)
_VOR = re.compile(
    rf"\bvor\s+(?P<n>\d+|einer|einem|einen|ein)\s+(?P<unit>{_UNIT_RE})\b", re.IGNORECASE
)
_IL_Y_A = re.compile(rf"\bil\s+y\s+a\s+(?P<n>\d+|une?|un)\s+(?P<unit>{_UNIT_RE})\b", re.IGNORECASE)
_YESTERDAY = re.compile(r"\b(yesterday|gestern|hier)\b", re.IGNORECASE)
_TODAY = re.compile(
    r"\b(today|heute|aujourd'hui|aujourd’hui|just now|gerade eben)\b", re.IGNORECASE
)
_CLOCK = re.compile(
    r"(?P<hour>\d{1,2})[:h](?P<minute>\d{2})\s*(?P<ampm>[ap]\.?\s?m\.?)?", re.IGNORECASE
)


def _hour24(hour: int, ampm: str | None) -> int:
    if ampm:
        pm = ampm.lower().startswith("p")
        if hour == 12:
            return 12 if pm else 0
        return hour + 12 if pm else hour
    return hour


def _build(year: int, month: int, day: int, m: re.Match[str]) -> datetime | None:
    hour = int(m.group("hour")) if m.group("hour") else 0
    minute = int(m.group("minute")) if m.group("minute") else 0
    second = int(m.group("second")) if m.group("second") else 0
    hour = _hour24(hour, m.group("ampm"))
    if year < 100:
        year += 2000 if year < 70 else 1900
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:
        # The "time" may have been something else (a comment number); keep the date alone.
        try:
            return datetime(year, month, day, tzinfo=UTC)
        except ValueError:
            return None


def parse_iso(value: str) -> datetime | None:
    """An ISO 8601 datetime (as in <time datetime> and meta tags) in UTC, or None."""
    m = _ISO.search(value)
    if not m:
        return None
    text = m.group(0).replace(" ", "T", 1)
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def parse_relative(value: str, reference: datetime | None) -> datetime | None:
    """A relative date ("3 days ago", "vor 2 Stunden", "il y a 5 minutes", "yesterday at
    9:15") resolved against ``reference``; None without a reference or a match."""
    if reference is None:
        return None
    reference = reference.astimezone(UTC)
    for pattern in (_AGO, _VOR, _IL_Y_A):
        m = pattern.search(value)
        if m:
            raw = m.group("n").lower()
            n = int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw, 1)
            unit = m.group("unit").lower()
            seconds = _RELATIVE_UNITS.get(unit) or _RELATIVE_UNITS.get(unit.rstrip("s"), 0)
            return reference - timedelta(seconds=n * seconds)
    day_offset = 1 if _YESTERDAY.search(value) else 0 if _TODAY.search(value) else None
    if day_offset is None:
        return None
    day = (reference - timedelta(days=day_offset)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    clock = _CLOCK.search(value)
    if clock:
        hour = _hour24(int(clock.group("hour")), clock.group("ampm"))
        if hour < 24 and int(clock.group("minute")) < 60:
            return day.replace(hour=hour, minute=int(clock.group("minute")))
    return day if day_offset else reference


def parse_date(value: str | None, reference: datetime | None = None) -> datetime | None:
    """The first date written in ``value`` as a UTC datetime, or None when there is none."""
    if not value:
        return None
    value = value.strip()
    if not value:
        return None
    if value.isdigit() and len(value) in (10, 13):  # Unix timestamp (s or ms)
        stamp = int(value) / (1000 if len(value) == 13 else 1)
        return datetime.fromtimestamp(stamp, tz=UTC)
    if _RFC2822.match(value):
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            pass
        else:
            return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    iso = parse_iso(value)
    if iso is not None:
        return iso
    for pattern in (_MDY, _DMY):
        m = pattern.search(value)
        if m:
            month = MONTHS.get(m.group("month").lower().rstrip("."))
            if month:
                return _build(int(m.group("year")), month, int(m.group("day")), m)
    m = _NUMERIC_YMD.search(value)
    if m:
        return _build(int(m.group("year")), int(m.group("month")), int(m.group("day")), m)
    m = _NUMERIC_DMY.search(value)
    if m:
        day, month = int(m.group("day")), int(m.group("month"))
        # Dots are day-first everywhere; slashes are month-first with a 12-hour clock (US)
        # when ambiguous; day-first otherwise, unless the numbers rule it out.
        us_style = m.group("sep") == "/" and month <= 12 and day <= 12 and m.group("ampm")
        if us_style or month > 12 >= day:
            day, month = month, day
        if month <= 12:
            return _build(int(m.group("year")), month, day, m)
    return parse_relative(value, reference)
