"""Dates as comment headers and footers give them ("March 3, 2013 at 10:14 am", "3 March 2013",
"2013-03-03 10:14", "03/03/2013"): the pattern the furniture recognisers are built from
(furniture.py), and the reading of each comment's date into the ISO 8601 string of the comments'
`published` column.

A date is read as the page prints it, never guessed:
- the time is the page's local time (a zone's abbreviation says nothing certain: "CST" is three
  zones), to the minute, or to the second when the page gives seconds;
- "03/04/2013" reads day first or month first as the page's other dates show ("25/04/2013" is day
  first); when none shows it, only the year is certain and only the year is given ("2013"); a
  date with dots ("03.04.2013") is day first, as only day-first locales write it;
- a two-digit year follows POSIX's strptime: 69-99 are 1969-1999, 00-68 are 2000-2068;
- an age ("3 years ago") is no date: when it was written depends on when the page was read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

# The fragments, lower case (furniture.py compiles them case-insensitively).
MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
         r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
DAY = r"\d{1,2}(?:st|nd|rd|th)?"
YEAR = r"(?:19|20)\d\d"
TIME = r"\d{1,2}[:.]\d\d(?::\d\d)?\s*(?:[ap]\.?m\.?)?(?:\s+[a-z]{2,4})?"
WEEKDAY = r"(?:mon|tue|tues|wed|wednes|thu|thurs|fri|sat|satur|sun)(?:day)?\.?,?\s+"
DATE = (rf"(?:{WEEKDAY})?(?:{MONTH}\s+{DAY},?\s+{YEAR}|{DAY}\s+(?:of\s+)?{MONTH},?\s+{YEAR}|"
        rf"{YEAR}[-/.]\d{{1,2}}[-/.]\d{{1,2}}|\d{{1,2}}[-/.]\d{{1,2}}[-/.](?:{YEAR}|\d\d))")
# A date, a time or both, or an age: what a comment header says of when it was written.
WHEN = (rf"(?:(?:on\s+)?{DATE}(?:(?:\s*(?:at|@|,|-|–|—)\s*|\s+){TIME})?|{TIME}\s*(?:on\s+|,\s*)?{DATE}|"
        r"(?:\d{1,3}|an?|one)\s+(?:second|minute|min|hour|day|week|month|year)s?\s+ago)")

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# The same dates with their parts named, one form at a time; not inside a longer number.
_DATE_FORMS = re.compile(
    rf"(?<![\w/.-])(?:"
    rf"(?P<month_name>{MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>{YEAR})"
    rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month_name2>{MONTH}),?\s+(?P<year2>{YEAR})"
    rf"|(?P<year3>{YEAR})(?P<sep3>[-/.])(?P<month3>\d{{1,2}})(?P=sep3)(?P<day3>\d{{1,2}})"
    rf"|(?P<first>\d{{1,2}})(?P<sep4>[-/.])(?P<second>\d{{1,2}})(?P=sep4)(?P<year4>{YEAR}|\d\d))"
    r"(?![\w/-]|\.\d)",
    re.IGNORECASE,
)
_TIME_PARTS = r"(?P<hour>\d{1,2})[:.](?P<minute>\d\d)(?::(?P<second>\d\d))?(?:\s*(?P<half>[ap])\.?m\b\.?)?"
# A time right after the date ("at 10:14 am"), or right before it ("10:14 am on March 3, 2013").
_TIME_AFTER = re.compile(rf"(?:\s*(?:at|@|,|-|–|—)\s*|\s+){_TIME_PARTS}(?![\d:])", re.IGNORECASE)
_TIME_BEFORE = re.compile(rf"(?<![\d:.]){_TIME_PARTS}\s*(?:on\s+|,\s*)?$", re.IGNORECASE)

_DAY_FIRST, _MONTH_FIRST = "day first", "month first"


@dataclass(frozen=True)
class CommentDate:
    """When a comment was written, as its header or footer says: an ISO 8601 string (a date, a
    date and time, or only a year) and the words it was read from."""

    published: str
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class PrintedDate:
    """A date as a line prints it, read into its parts."""

    words: str  # the date (and time) as the page prints them
    year: int
    month: int  # 0: not known yet (a numeric date whose order the page must settle)
    day: int
    time: str  # "T10:14", "T10:14:33" or ""
    numbers: tuple[int, int] | None = None  # a numeric date's first two numbers, before its order is known


def read_date(text: str) -> PrintedDate | None:
    """The first date in `text` (a comment's header or footer), with the time beside it."""
    for found in _DATE_FORMS.finditer(text):
        reading = _reading(found)
        if reading is not None:
            return _with_time(reading, text, found.start(), found.end())
    return None


def _reading(found: re.Match[str]) -> PrintedDate | None:
    words = found.group(0)
    if found.group("year") or found.group("year2"):
        name = found.group("month_name") or found.group("month_name2")
        month = _MONTHS.index(name[:3].lower()) + 1
        day = int(found.group("day") or found.group("day2"))
        return _valid(PrintedDate(words, int(found.group("year") or found.group("year2")), month, day, ""))
    if found.group("year3"):
        return _valid(PrintedDate(words, int(found.group("year3")), int(found.group("month3")),
                               int(found.group("day3")), ""))
    year = int(found.group("year4"))
    if year < 100:
        year += 1900 if year >= 69 else 2000  # POSIX strptime's %y
    first, second = int(found.group("first")), int(found.group("second"))
    if found.group("sep4") == ".":
        return _valid(PrintedDate(words, year, second, first, ""))
    if not (1 <= first <= 31 and 1 <= second <= 31) or min(first, second) > 12:
        return None  # no day and month in either order
    return PrintedDate(words, year, 0, 0, "", (first, second))


def _valid(reading: PrintedDate) -> PrintedDate | None:
    try:
        date(reading.year, reading.month, reading.day)
    except ValueError:
        return None
    return reading


def _with_time(reading: PrintedDate, text: str, start: int, end: int) -> PrintedDate:
    after = _TIME_AFTER.match(text, end)
    before = None if after else _TIME_BEFORE.search(text, 0, start)
    found = after or before
    if found is None:
        return reading
    hour, minute, half = int(found.group("hour")), int(found.group("minute")), found.group("half")
    if half:
        if not 1 <= hour <= 12:
            return reading
        hour = hour % 12 + (12 if half.lower() == "p" else 0)
    second = found.group("second")
    if hour > 23 or minute > 59 or (second and int(second) > 59):
        return reading
    time = f"T{hour:02d}:{minute:02d}" + (f":{second}" if second else "")
    words = (reading.words + text[end : found.end()]) if after else text[found.start() : end]
    return PrintedDate(words.strip(), reading.year, reading.month, reading.day, time, reading.numbers)


def _page_order(readings: list[PrintedDate | None]) -> str | None:
    """Whether the page writes numeric dates day first or month first, as a date with a number
    over 12 shows; None when none shows it, or some show each."""
    orders = {(_DAY_FIRST if r.numbers[0] > 12 else _MONTH_FIRST) for r in readings
              if r is not None and r.numbers is not None and max(r.numbers) > 12}
    return orders.pop() if len(orders) == 1 else None


def comment_dates(furniture: Sequence[Sequence[str]]) -> list[CommentDate | None]:
    """The date of each comment of a thread from its furniture: the lines that may date it, the
    likeliest first (its header, then what the page prints under it); the first with a date
    dates it. Read together: the page's numeric dates share one order."""
    found = [_first_date(texts) for texts in furniture]
    order = _page_order([reading for _, reading in found])
    return [None if reading is None else _comment_date(text, reading, order) for text, reading in found]


def _first_date(texts: Sequence[str]) -> tuple[str, PrintedDate | None]:
    for text in texts:
        reading = read_date(text) if text else None
        if reading is not None:
            return text, reading
    return "", None


def _comment_date(text: str, reading: PrintedDate, order: str | None) -> CommentDate | None:
    read = f"date: '{reading.words}' in '{_shortened(text)}'"
    if reading.numbers is None:
        return CommentDate(f"{reading.year:04d}-{reading.month:02d}-{reading.day:02d}{reading.time}", (read,))
    first, second = reading.numbers
    if first == second:
        order, how = _DAY_FIRST, "day and month are the same number"
    elif max(first, second) > 12:
        order = _DAY_FIRST if first > 12 else _MONTH_FIRST
        how = f"read {order}: only that order is a date"
    elif order is not None:
        how = f"read {order}, as another of the page's dates shows"
    else:
        return CommentDate(f"{reading.year:04d}", (read, "day and month order unknown: the year only"))
    day, month = (first, second) if order == _DAY_FIRST else (second, first)
    dated = _valid(PrintedDate(reading.words, reading.year, month, day, reading.time))
    if dated is None:
        return None
    return CommentDate(f"{dated.year:04d}-{dated.month:02d}-{dated.day:02d}{dated.time}", (read, how))


def _shortened(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
