"""Dates as pages write them, to UTC datetimes.

Handles ISO 8601 / RFC 2822 / Unix timestamps; month names in English, German, French,
Spanish, Italian, Portuguese, Dutch, the Scandinavian languages, Polish and Russian ("March 22,
2013 at 2:05 pm", "22. März 2013 um 14:05", "22 de marzo de 2013", "22 марта 2013 г. в 14:05");
numeric dates, day first ("22.03.2013 14:05") or year first ("2013/03/22", "2013. 3. 22.",
the CJK "2013年3月22日 下午2:05"); and relative dates ("2 days ago", "vor 3 Stunden", "il y a 5
minutes", "hace 3 días", "3 giorni fa", "6天前", "yesterday") resolved against a reference
time (the fetch time). Naive times are taken as UTC: a page rarely says its zone, and
guessing one is worse.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

MONTHS: dict[str, int] = {}
# English, German, French, Spanish, Italian, Portuguese, Dutch, Scandinavian, Polish and Russian
# names (Polish and Russian in the genitive that dates use too), with the usual abbreviations.
for _number, _names in enumerate(
    (
        "january jan januar jän jänner janvier janv enero ene gennaio gen janeiro januari "
        "stycznia styczeń января январь",
        "february feb februar febr février fevrier févr fevr febrero febbraio fevereiro fev "
        "februari lutego luty февраля февраль",
        "march mar märz maerz mars mrz marzo março marco maart mrt marca marzec марта март",
        "april apr avril avr abril abr aprile kwietnia kwiecień апреля апрель",
        "may mai mayo maggio mag maio mei maj maja мая май",
        "june jun juni juin junio giugno giu junho czerwca czerwiec июня июнь",
        "july jul juli juillet juil julio luglio lug julho lipca lipiec июля июль",
        "august aug août aout agosto ago augustus augusti sierpnia sierpień августа август",
        "september sep sept septembre septiembre setiembre settembre set setembro "
        "września wrzesień сентября сентябрь",
        "october oct okt oktober octobre octubre ottobre ott outubro out października "
        "październik октября октябрь",
        "november nov novembre noviembre novembro listopada listopad ноября ноябрь",
        "december dec dez dezember décembre decembre déc diciembre dic dicembre dezembro "
        "grudnia grudzień декабря декабрь",
    ),
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number

_TIME = (
    r"(?:\D{0,12}?(?P<hour>\d{1,2})\s*(?:[:h.時时点點시]\s*(?P<minute>\d{2}))?"
    r"(?:\s*[:.]\s*(?P<second>\d{2}))?\s*(?P<ampm>[ap]\.?\s?m\.?)?(?![\d]))?"
)
_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"(?:[T ](?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?"
)
# A month name starts a word ("about 5" is not "out 5"), or is capitalised: text of inline
# elements may be joined without a space ("MeyerJuni 19th, 2018").
_NOT_AFTER_LETTER = r"(?:(?<![^\W\d_])|(?-i:(?=[A-ZÀ-ÞА-Я])))"
# A month is matched as any word of 3-12 letters and looked up in MONTHS: an alternation of
# ~160 names made every date search 2-3x slower (the regex engine tries each at each place).
_MONTH_WORD = r"[^\W\d_]{3,12}"
_MDY = re.compile(
    rf"{_NOT_AFTER_LETTER}(?P<month>{_MONTH_WORD})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+"
    rf"(?P<year>\d{{4}}){_TIME}",
    re.IGNORECASE,
)
_DMY = re.compile(  # "22 March 2013", "22. März 2013", "22 de marzo de 2013", "22 марта 2013"
    rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th|er|º)?\.?\s*(?:(?:of|de|del)\s+)?(?P<month>{_MONTH_WORD})"
    rf"\.?,?\s+(?:de\s+|del\s+)?(?P<year>\d{{4}}){_TIME}",
    re.IGNORECASE,
)
_NUMERIC_DMY = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})(?:(?P<sep>[./])(?P<month>\d{{1,2}})(?:[./]|,\s?(?=\d{{4}}))"
    rf"(?P<year>\d{{4}}|\d{{2}})|(?P<dash>-)(?P<dmonth>\d{{1,2}})-(?P<dyear>\d{{4}}))"
    rf"(?!\d){_TIME}",
    re.IGNORECASE,
)
# A day and month without the year, and a time after them ("le 17 juillet à 22:09", "Jan 5
# at 3:04 pm"): pages that leave out the current year. Read only against a reference.
_CLOCK_AFTER = (
    r"\D{0,12}?(?P<hour>\d{1,2})\s*[:h.]\s*(?P<minute>\d{2})(?:\s*[:.]\s*(?P<second>\d{2}))?"
    r"\s*(?P<ampm>[ap]\.?\s?m\.?)?(?!\d)"
)
_YEARLESS = (
    re.compile(
        rf"(?<!\d)(?P<day>\d{{1,2}})(?:st|nd|rd|th|er|º)?\.?\s*(?:(?:of|de|del)\s+)?"
        rf"(?P<month>{_MONTH_WORD})\.?,?{_CLOCK_AFTER}",
        re.IGNORECASE,
    ),
    re.compile(
        rf"{_NOT_AFTER_LETTER}(?P<month>{_MONTH_WORD})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?"
        rf"{_CLOCK_AFTER}",
        re.IGNORECASE,
    ),
)
_RFC2822 = re.compile(r"^\w{3},\s+\d{1,2}\s+\w{3}\s+\d{4}\s+\d{2}:\d{2}")
# Year first: "2013/03/22", "2013-3-22", "2013.03.22", Korean "2013. 3. 22.", and the CJK
# "2013年3月22日" / "2013년 3월 22일".
_NUMERIC_YMD = re.compile(
    rf"(?<!\d)(?P<year>\d{{4}})(?:(?P<sep>[/.-])\s?(?P<month>\d{{1,2}})(?P=sep)\s?(?P<day>\d{{1,2}})"
    rf"|\s*[年년]\s*(?P<cmonth>\d{{1,2}})\s*[月월]\s*(?P<cday>\d{{1,2}})\s*[日일号號]?)(?!\d){_TIME}",
    re.IGNORECASE,
)
_CJK_PM = re.compile("下午|午後|오후|晚上")
_RELATIVE_UNITS = {
    # English, German, French
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
    # Spanish, Italian, Portuguese
    "segundo": 1, "segundos": 1, "secondo": 1, "secondi": 1, "minuto": 60, "minutos": 60,
    "minuti": 60, "hora": 3600, "horas": 3600, "ora": 3600, "ore": 3600, "día": 86400,
    "días": 86400, "dia": 86400, "dias": 86400, "giorno": 86400, "giorni": 86400,
    "semana": 604800, "semanas": 604800, "settimana": 604800, "settimane": 604800,
    "mes": 2592000, "meses": 2592000, "mês": 2592000, "mese": 2592000, "mesi": 2592000,
    "año": 31536000, "años": 31536000, "anno": 31536000, "anni": 31536000, "ano": 31536000,
    "anos": 31536000,
    # Dutch
    "seconden": 1, "minuut": 60, "uur": 3600, "uren": 3600, "dag": 86400, "dagen": 86400,
    "weken": 604800, "maand": 2592000, "maanden": 2592000, "jaar": 31536000, "jaren": 31536000,
    # Russian (the forms numbers take)
    "секунду": 1, "секунды": 1, "секунд": 1, "минуту": 60, "минуты": 60, "минут": 60,
    "час": 3600, "часа": 3600, "часов": 3600, "день": 86400, "дня": 86400, "дней": 86400,
    "неделю": 604800, "недели": 604800, "недель": 604800, "месяц": 2592000,
    "месяца": 2592000, "месяцев": 2592000, "год": 31536000, "года": 31536000, "лет": 31536000,
}  # fmt: skip
_CJK_UNITS = {
    "秒": 1, "秒钟": 1, "秒鐘": 1, "초": 1,
    "分": 60, "分钟": 60, "分鐘": 60, "분": 60,
    "小时": 3600, "小時": 3600, "个小时": 3600, "個小時": 3600, "時間": 3600, "시간": 3600,
    "天": 86400, "日": 86400, "일": 86400,
    "周": 604800, "週": 604800, "星期": 604800, "个星期": 604800, "週間": 604800, "주": 604800,
    "个月": 2592000, "個月": 2592000, "ヶ月": 2592000, "か月": 2592000, "カ月": 2592000,
    "月": 2592000, "개월": 2592000, "달": 2592000,
    "年": 31536000, "년": 31536000,
}  # fmt: skip
_UNIT_RE = "|".join(sorted(_RELATIVE_UNITS, key=len, reverse=True))
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "ein": 1, "einer": 1, "einem": 1, "einen": 1,
                 "un": 1, "une": 1, "uno": 1, "una": 1, "um": 1, "uma": 1, "een": 1}  # fmt: skip
_N = rf"(?P<n>\d+|{'|'.join(sorted(_NUMBER_WORDS, key=len, reverse=True))})"
# "3 days ago", "3 giorni fa", "3 dagen geleden", "3 дня назад"
_AGO = re.compile(rf"{_N}\s+(?P<unit>{_UNIT_RE})s?\s+(?:ago|fa|geleden|назад)\b", re.IGNORECASE)
# "vor 2 Stunden", "il y a 5 minutes", "hace 3 días", "há 3 dias"
_BEFORE = re.compile(
    rf"(?:\bvor|\bil\s+y\s+a|\bhace|\bhá)\s+{_N}\s+(?P<unit>{_UNIT_RE})\b",
    re.IGNORECASE,
)
# "6天前", "3 小时前", "2時間前", "3일 전"
_CJK_AGO = re.compile(
    "(?P<n>\\d+)\\s*(?P<unit>"
    + "|".join(sorted(_CJK_UNITS, key=len, reverse=True))
    + ")\\s*(?:以前|之前|前|전)"
)
_YESTERDAY_WORDS = "yesterday gestern hier ayer ieri ontem gisteren вчера wczoraj igår"
_TODAY_WORDS = "today heute aujourd'hui aujourd’hui hoy oggi hoje vandaag сегодня dzisiaj idag"
_YESTERDAY = re.compile(
    rf"\b(?:{'|'.join(_YESTERDAY_WORDS.split())})\b|昨天|昨日|어제", re.IGNORECASE
)
_TODAY = re.compile(
    rf"\b(?:{'|'.join(_TODAY_WORDS.split())}|just now|gerade eben)\b"
    "|今天|今日|刚刚|剛剛|刚才|剛才|たった今|오늘|방금",
    re.IGNORECASE,
)
_DAY_WORD_TEXT = 40  # "yesterday at 9:15 pm", "Gestern, 14:05 Uhr": a day word in a short text
DAY_WORD = re.compile(f"{_YESTERDAY.pattern}|{_TODAY.pattern}", re.IGNORECASE)
_CLOCK = re.compile(
    r"(?P<hour>\d{1,2})[:h](?P<minute>\d{2})\s*(?P<ampm>[ap]\.?\s?m\.?)?", re.IGNORECASE
)
# Words a line that is only a date may hold beside numbers and month names (any language
# above): connectors, relative units and the words around them.
DATE_WORDS = frozenset(
    (
        "at on um à am pm a p m st nd rd th er le den posted published updated de del the of utc "
        "gmt ago vor il y uhr h by fa geleden назад hace há om às a las alle o в г "
        "about over almost "  # "about a minute ago"
        f"{_YESTERDAY_WORDS} {_TODAY_WORDS}"
    ).split()
    + [unit for unit in _RELATIVE_UNITS if unit.isalpha()]
    + list(_NUMBER_WORDS)
)


# Any time resolves a relative date ("2 days ago") well enough to see that it is one: what
# parsers use to tell a date line or a date element when the page has no fetch time, or when
# only the shape matters.
SHAPE_REFERENCE = datetime(2000, 1, 1, tzinfo=UTC)


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
    if hour < 12 and _CJK_PM.search(m.group(0)):  # "下午2:05", "오후 2:05"
        hour += 12
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
    for pattern in (_AGO, _BEFORE, _CJK_AGO):
        m = pattern.search(value)
        if m:
            raw = m.group("n").lower()
            n = int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw, 1)
            unit = m.group("unit").lower()
            seconds = (
                _RELATIVE_UNITS.get(unit)
                or _RELATIVE_UNITS.get(unit.rstrip("s"))
                or _CJK_UNITS.get(unit, 0)
            )
            try:
                return reference - timedelta(seconds=n * seconds)
            except OverflowError:  # "4000 years ago" is history, not a posting time
                return None
    if len(value) > _DAY_WORD_TEXT:
        return None  # prose that says "today", not a date
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


def parse_date(
    value: str | None, reference: datetime | None = None, *, yearless: bool = False
) -> datetime | None:
    """The first date written in ``value`` as a UTC datetime, or None when there is none.
    With ``yearless``, a day and month with a time but no year ("le 17 juillet à 22:09")
    is read as the last such moment before ``reference`` (callers that know the text is a
    comment's date line: in other text "May 5 … 3:04" is rarely a date)."""
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
    named = _named_month((_MDY, _DMY), value)
    if named is not None:
        found, month = named
        return _build(int(found.group("year")), month, int(found.group("day")), found)
    m = _NUMERIC_YMD.search(value)
    if m:
        month_text, day_text = (
            m.group("month") or m.group("cmonth"),
            m.group("day") or m.group("cday"),
        )
        return _build(int(m.group("year")), int(month_text), int(day_text), m)
    m = _NUMERIC_DMY.search(value)
    if m:
        day, month = int(m.group("day")), int(m.group("month") or m.group("dmonth"))
        # Dots are day-first everywhere; slashes and dashes (with a four-digit year) are
        # month-first with a 12-hour clock (US) when ambiguous; day-first otherwise, unless the
        # numbers rule it out.
        us_style = m.group("sep") != "." and month <= 12 and day <= 12 and m.group("ampm")
        if us_style or month > 12 >= day:
            day, month = month, day
        if month <= 12:
            return _build(int(m.group("year") or m.group("dyear")), month, day, m)
    if yearless and reference is not None and (when := _yearless(value, reference)) is not None:
        return when
    return parse_relative(value, reference)


def _named_month(
    patterns: tuple[re.Pattern[str], ...], value: str
) -> tuple[re.Match[str], int] | None:
    """The first match of ``patterns`` (in order) whose month word is a month name, and that
    month's number. The patterns take any word as the month: a match on another word is
    looked for again from the next character."""
    for pattern in patterns:
        position = 0
        while (m := pattern.search(value, position)) is not None:
            month = MONTHS.get(m.group("month").lower())
            if month:
                return m, month
            position = m.start() + 1
    return None


def _yearless(value: str, reference: datetime) -> datetime | None:
    """A day and month with a time but no year: the last such moment before ``reference``
    (a day of slack for time zones)."""
    named = _named_month(_YEARLESS, value)
    if named is None:
        return None
    m, month = named
    when = _build(reference.year, month, int(m.group("day")), m)
    if when is not None and when > reference + timedelta(days=1):
        when = _build(reference.year - 1, month, int(m.group("day")), m)
    return when
