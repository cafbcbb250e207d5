"""The words people write for a status and a date, read the same way by `import` and the edit commands.

Action plans are kept in spreadsheets by people, not by yotplan, so a status is `Complete`, `On
track` or `G`, and a date is `31/03/23`, `Sept 23`, `Q2 2023/24` or `TBC`. This module is the one
place that says what each of those means:

- `parse_status_word` reads a status or RAG word (`In progress`, `Blue`, `R`) as a plan status;
- `status_in_free_text` finds a clear status in a paragraph of progress ("Action completed.");
- `parse_date_text` reads a date written any of the ways UK plans write them, and says how it read
  it (a month is its last day; a financial quarter is its last day), or that the text names no
  date at all (`ongoing`, `TBC`, `n/a`).

Pure functions over text: no I/O, no clock.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from yotplan.plans.models import Status, UndatedKind

EARLIEST_YEAR = 1990
"""Dates before this are taken for mistakes (an Excel zero date shows as 1900)."""

# Statuses ------------------------------------------------------------------------------

STATUS_WORDS: dict[Status, tuple[str, ...]] = {
    "done": (
        *("done", "complete", "completed", "closed", "achieved", "finished", "embedded", "complete and embedded"),
        *("blue", "b", "c"),
    ),
    "in-progress": (
        *("in progress", "inprogress", "ongoing", "on going", "on track", "started", "underway", "under way"),
        *("in hand", "progressing", "partially complete", "partially completed", "partly complete"),
        *("green", "g", "amber", "a", "red", "r", "at risk", "off track"),
    ),
    "not-started": ("not started", "not yet started", "not begun", "to do", "todo", "planned", "not started yet"),
    "blocked": ("blocked", "delayed", "on hold", "stalled", "paused", "behind schedule"),
    "dropped": (
        *("dropped", "no longer required", "no longer needed", "not required", "cancelled", "canceled"),
        *("withdrawn", "superseded"),
    ),
}
"""The words of a status or RAG cell for each plan status, compared without case or punctuation.

A RAG is a judgement of progress against plan, not a status: only blue (BRAG's "complete") says
the action is done; red, amber and green say it is open and someone rated it, so in progress."""

_STATUS_OF: dict[str, Status] = {word: status for status, words in STATUS_WORDS.items() for word in words}
_STATUS_OF.update({status.replace("-", " "): status for status in STATUS_WORDS})

_FREE_TEXT: tuple[tuple[re.Pattern[str], Status], ...] = (
    (re.compile(r"\b(?:not\s+(?:yet\s+)?(?:been\s+)?started|not\s+yet\s+begun|yet\s+to\s+start)\b"), "not-started"),
    (re.compile(r"\b(?:on\s+hold|delayed|blocked|stalled)\b"), "blocked"),
    (re.compile(r"\b(?:no\s+longer\s+required|cancelled|withdrawn)\b"), "dropped"),
    (
        re.compile(
            r"^(?:action\s+)?(?:now\s+)?(?:complete|completed|achieved|done)\b"
            r"|\baction\s+(?:is\s+|has\s+been\s+|now\s+)?(?:complete|completed|achieved)\b"
        ),
        "done",
    ),
    (re.compile(r"\b(?:in\s+progress|underway|under\s+way|ongoing|on\s+track|progressing)\b"), "in-progress"),
)
"""Clear phrases in a paragraph of progress, checked in this order ("not yet started" before "started")."""


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


def parse_status_word(text: str) -> Status | None:
    """The plan status a status or RAG word means (`Complete`, `On track`, `G`, `not-started`), or None."""
    return _STATUS_OF.get(_words(text))


def status_in_free_text(text: str) -> Status | None:
    """The status a paragraph of progress states clearly ("Action completed. Update (July 2013) ..."), or None."""
    folded = " ".join(text.casefold().split())
    return next((status for pattern, status in _FREE_TEXT if pattern.search(folded)), None)


# Dates ---------------------------------------------------------------------------------

DateForm = Literal["iso", "day-first", "day-month-year", "month-year", "quarter", "no-date"]

NO_DATE_WORDS: dict[str, UndatedKind] = {
    **dict.fromkeys(("ongoing", "on going", "continuous", "continuing", "ongoing continuous"), "ongoing"),
    **dict.fromkeys(("tbc", "tba", "tbd", "to be confirmed", "to be agreed", "to be decided"), "to-be-confirmed"),
    **dict.fromkeys(("n a", "na", "none", "not applicable", "", "-"), "to-be-confirmed"),
}
"""Words that say an action has no fixed date, and which kind of undated action that makes."""

_MONTHS = {name.casefold(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.casefold(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_YEAR = r"(?P<year>\d{4}|\d{2})"
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_BY = r"(?:(?:by|before|due|from)\s+)?"
_ISO = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_DAY_FIRST = re.compile(_BY + r"(?P<day>\d{1,2})\s*([/.-])\s*(?P<month>\d{1,2})\s*\2\s*" + _YEAR)
_DAY_MONTH_YEAR = re.compile(
    _BY + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:\s+|-)(?:of\s+)?" + _MONTH + r"(?:,?\s+|-)" + _YEAR, re.I
)
_END_OF = r"(?:(?:by|before|due|in|during|(?:by\s+)?(?:the\s+)?end(?:\s+of)?)\s+)?"
_MONTH_YEAR = re.compile(_END_OF + _MONTH + r"(?:,?\s+|\s*[-/']\s*)" + _YEAR, re.I)
_QUARTER = re.compile(
    r"(?:(?:by|end\s+of|in)\s+)?(?:q|quarter\s*)(?P<q>[1-4])(?:\s+of)?\s*,?\s*(?:fy\s*)?"
    r"(?P<start>\d{4}|\d{2})\s*[/-]\s*(?P<end>\d{4}|\d{2})",
    re.I,
)
_QUARTER_MONTHS = {1: (0, 6, "Apr-Jun"), 2: (0, 9, "Jul-Sep"), 3: (0, 12, "Oct-Dec"), 4: (1, 3, "Jan-Mar")}
"""UK financial-year quarters: (years after the start year, last month, the months)."""


@dataclass(frozen=True, slots=True)
class DateText:
    """A date as written, and how it was read."""

    written: str
    day: date | None
    """None when the text names no date (`undated` says which kind)."""
    form: DateForm
    undated: UndatedKind | None = None

    @property
    def how(self) -> str:
        """How the text was read, for a note to the user; empty when it needs no saying (2023-03-31)."""
        if self.form == "month-year":
            return f"{self.written!r} read as {self.day}, the last day of that month"
        if self.form == "quarter":
            return f"{self.written!r} read as {self.day}, the last day of that financial-year quarter"
        if self.form == "no-date":
            return f"{self.written!r} is not a date: the action is undated ({self.undated})"
        if self.form == "day-first" and self.day is not None and self.day.day <= 12 and self.day.month != self.day.day:
            return f"{self.written!r} read day first as {self.day}"
        return ""


def _year(text: str) -> int:
    return int(text) + 2000 if len(text) == 2 else int(text)


def _calendar_day(text: str, year: int, month: int, day: int) -> date:
    try:
        found = date(year, month, day)
    except ValueError:
        raise ValueError(f"{text!r} is not a real calendar date (dates are read day first: dd/mm/yyyy)") from None
    return plausible(found, text)


def plausible(day: date, shown: str) -> date:
    """`day`, or ValueError when it is before EARLIEST_YEAR (an Excel zero date, a typo)."""
    if day.year < EARLIEST_YEAR:
        raise ValueError(f"{shown!r} is not a plausible date (before {EARLIEST_YEAR}); correct it")
    return day


def _month_end(text: str, year: int, month: int) -> date:
    return _calendar_day(text, year, month, calendar.monthrange(year, month)[1])


def parse_date_text(written: str) -> DateText:
    """A date written as UK plans write it, and how it was read.

    31/03/23, 31.03.2024, 2024-03-31, 31 Jul 22, 31st July 2022; a month (March 2023, Sept 23,
    Jul-22, end of March 2024) is its last day; a financial quarter (Q2 2023/24) is its last day;
    ongoing, TBC, n/a and blank are no date. Raises ValueError saying what the text is and how to
    write a date.
    """
    text = " ".join(written.split())
    words = _words(text)
    if words in NO_DATE_WORDS or text in NO_DATE_WORDS:
        return DateText(text, None, "no-date", NO_DATE_WORDS.get(words, NO_DATE_WORDS.get(text)))
    if match := _ISO.fullmatch(text):
        return DateText(text, _calendar_day(text, int(match["year"]), int(match["month"]), int(match["day"])), "iso")
    if match := _DAY_FIRST.fullmatch(text):
        day = _calendar_day(text, _year(match["year"]), int(match["month"]), int(match["day"]))
        return DateText(text, day, "day-first")
    if (match := _DAY_MONTH_YEAR.fullmatch(text)) and (month := _MONTHS.get(match["month"].casefold())):
        return DateText(text, _calendar_day(text, _year(match["year"]), month, int(match["day"])), "day-month-year")
    if (match := _MONTH_YEAR.fullmatch(text)) and (month := _MONTHS.get(match["month"].casefold())):
        return DateText(text, _month_end(text, _year(match["year"]), month), "month-year")
    if match := _QUARTER.fullmatch(text):
        start, end = _year(match["start"]), _year(match["end"])
        if end != start + 1 and end % 100 != (start + 1) % 100:
            raise ValueError(f"{text!r} is not a financial year: write it as Q2 2023/24")
        after, month, _ = _QUARTER_MONTHS[int(match["q"])]
        return DateText(text, _month_end(text, start + after, month), "quarter")
    raise ValueError(
        f"{text!r} is not a date; write it as dd/mm/yyyy, a month (March 2024), a quarter (Q2 2023/24), "
        "or ongoing or TBC"
    )
