"""When a comment was written, read from its header or footer (dates.py) into the comments'
`published` column: as the page prints it, or not at all."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from threadloom import furniture
from threadloom.dates import comment_dates, read_date

DATES = [  # (a comment's header or footer, its date in ISO 8601 or None)
    ("Paul Smith on March 3, 2013 at 10:14 am said:", "2013-03-03T10:14"),
    ("Posted by: Paul | March 03, 2013 at 10:14 PM", "2013-03-03T22:14"),
    ("March 3, 2013 at 12:05 am", "2013-03-03T00:05"),
    ("March 3, 2013 at 12:05 p.m.", "2013-03-03T12:05"),
    ("March 3, 2013 at 10:14 am EST", "2013-03-03T10:14"),  # a zone's abbreviation is not read
    ("Paul Smith – Mar. 3rd, 2013", "2013-03-03"),
    ("3rd of March, 2013", "2013-03-03"),
    ("Sunday, 3 March 2013 22:14", "2013-03-03T22:14"),
    ("10:14 am on Sept 3, 2013", "2013-09-03T10:14"),
    ("2013-03-03 10:14:33", "2013-03-03T10:14:33"),
    ("2013/3/3", "2013-03-03"),
    ("#12 / Paul / May 5, 2014", "2014-05-05"),
    ("Mike77 2013-03-03", "2013-03-03"),
    ("25/04/2013", "2013-04-25"),  # day first: there is no month 25
    ("04/25/2013 at 9:05", "2013-04-25T09:05"),  # month first
    ("03.04.2013", "2013-04-03"),  # dots: day first
    ("03/03/13", "2013-03-03"),  # a two-digit year, as POSIX's %y reads it
    ("12/31/99", "1999-12-31"),
    ("03/04/2013", "2013"),  # April 3 or March 4: only the year is certain
    ("March 3, 2013 at 25:14", "2013-03-03"),  # no such time: the date alone
    ("February 30, 2013", None),  # no such day
    ("00/05/2013", None),
    ("13/13/2013", None),
    ("31/02/2013", None),
    ("Paul · 3 years ago", None),  # an age: when depends on when the page was read
    ("Paul says:", None),
    ("", None),
]


@pytest.mark.parametrize(("furniture_line", "expected"), DATES)
def test_a_comments_date_is_read_as_the_page_prints_it(furniture_line: str, expected: str | None) -> None:
    (found,) = comment_dates([[furniture_line]])
    assert (found.published if found else None) == expected


ISO_8601 = re.compile(r"[0-9]{4}(-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?)?)?")


@pytest.mark.parametrize(("furniture_line", "expected"), [case for case in DATES if case[1]])
def test_every_date_read_is_iso_8601_and_the_header_reads_as_one(furniture_line: str, expected: str) -> None:
    """The dates read are those of lines the furniture reads as a comment's header or footer (a
    header of several lines is read as its lines joined by " / ")."""
    assert ISO_8601.fullmatch(expected)
    assert any(furniture.comment_header(line) or furniture.comment_footer(line)
               for line in furniture_line.split(" / "))


PAGES = [  # (the headers of one page's comments, their dates): numeric dates share one order
    (["Ann 03/04/2013", "Bo 25/04/2013"], ["2013-04-03", "2013-04-25"]),
    (["Ann 03/04/2013", "Bo 04/25/2013"], ["2013-03-04", "2013-04-25"]),
    (["Ann 03/04/2013", "Bo 25/04/2013", "Cy 04/26/2013"], ["2013", "2013-04-25", "2013-04-26"]),  # both
    (["Ann 03/04/2013", "Bo says:"], ["2013", None]),
    (["Ann 03/04/2013", "Bo March 25, 2013"], ["2013", "2013-03-25"]),  # a month's name settles nothing
]


@pytest.mark.parametrize(("headers", "expected"), PAGES)
def test_a_pages_numeric_dates_are_read_in_the_order_its_other_dates_show(
        headers: list[str], expected: list[str | None]) -> None:
    assert [d.published if d else None for d in comment_dates([[h] for h in headers])] == expected


def test_the_evidence_gives_the_words_read_and_how_the_order_was_settled() -> None:
    headers = ["Ann · 03/04/2013 at 9:05 pm", "Bo · 25/04/2013", "Cy · 3 days ago"]
    first, second, third = comment_dates([[h] for h in headers])
    assert first is not None and second is not None and third is None
    assert first.published == "2013-04-03T21:05"
    assert first.evidence == ("date: '03/04/2013 at 9:05 pm' in 'Ann · 03/04/2013 at 9:05 pm'",
                              "read day first, as another of the page's dates shows")
    assert second.evidence[1] == "read day first: only that order is a date"
    (unsure,) = comment_dates([["03/04/2013"]])
    assert unsure is not None and unsure.evidence[1] == "day and month order unknown: the year only"


def test_the_first_line_that_gives_a_date_dates_the_comment() -> None:
    """A comment's header first, then the lines under it: a header without a date ("Paul
    said...") leaves the date to the line under the comment."""
    dated = comment_dates([["Paul said...", "Reply", "March 3, 2013 at 10:14 AM"],
                           ["Ann, May 5, 2014", "June 6, 2014"], ["Bo said...", "Reply"], []])
    assert [d.published if d else None for d in dated] == ["2013-03-03T10:14", "2014-05-05", None, None]
    assert dated[0] is not None and dated[0].evidence == (
        "date: 'March 3, 2013 at 10:14 AM' in 'March 3, 2013 at 10:14 AM'",)


def test_a_date_inside_a_longer_number_is_no_date() -> None:
    assert read_date("build 12013-03-03") is None
    assert read_date("v2.03/04/2013") is None
    assert read_date("2013-03-035") is None


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
# How pages print a date and time, and how much of it they print: (header, ISO 8601 of what it says)
FORMATS: list[Callable[[datetime], tuple[str, str]]] = [
    lambda t: (f"Paul on {MONTHS[t.month - 1]} {t.day}, {t.year} at {(t.hour + 11) % 12 + 1}:{t.minute:02d} "
               f"{'am' if t.hour < 12 else 'pm'} said:", t.strftime("%Y-%m-%dT%H:%M")),
    lambda t: (f"Paul Smith – {t.day} {MONTHS[t.month - 1][:3]} {t.year} {t.hour}:{t.minute:02d}",
               t.strftime("%Y-%m-%dT%H:%M")),
    lambda t: (f"Posted by: Paul | {t:%Y-%m-%d %H:%M:%S}", t.strftime("%Y-%m-%dT%H:%M:%S")),
    lambda t: (f"Paul · {t.day:02d}.{t.month:02d}.{t.year}", t.strftime("%Y-%m-%d")),
]


@given(st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2068, 12, 31)),
       st.sampled_from(range(len(FORMATS))))
def test_any_date_a_header_prints_reads_back(when: datetime, form: int) -> None:
    header, expected = FORMATS[form](when)
    (found,) = comment_dates([[header]])
    assert found is not None and found.published == expected, header


@given(st.lists(st.text(alphabet=st.sampled_from("0123456789/.-: apmAPMonJanDec,@|·"), max_size=40),
                max_size=4))
def test_whatever_a_line_says_a_date_read_is_one_that_exists(lines: list[str]) -> None:
    for found in comment_dates([[line] for line in lines]):
        if found is not None:
            assert ISO_8601.fullmatch(found.published)
            if len(found.published) >= 10:
                date.fromisoformat(found.published[:10])
