"""What the cells of an action-plan spreadsheet mean: text, dates, statuses, RAG and leads.

Each reader takes one cell's value (and for RAG its fill colour) and returns the plan's value,
or raises ValueError with a message that says what the cell holds and how to fix it.
"""

from __future__ import annotations

import colorsys
import re
import unicodedata
from datetime import date, datetime, time
from typing import Any

from yotplan.plans.vocabulary import STATUS_WORDS as STATUS_WORDS
from yotplan.plans.vocabulary import DateText, parse_date_text, parse_status_word, plausible
from yotplan.rules.owner_names import looks_like_person as looks_like_person


def clean_text(value: Any) -> str:
    """A cell as text, verbatim apart from whitespace: runs of spaces and line breaks become one space."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


# Dates and statuses: the words are yotplan.plans.vocabulary's, shared with the edit commands ---------


def read_date(value: Any) -> DateText:
    """A real date, or text in any form `parse_date_text` reads (31/03/23, Sept 23, Q2 2023/24, TBC).

    Raises ValueError saying what the cell holds and how to write it.
    """
    if isinstance(value, datetime):
        return DateText(clean_text(value), plausible(value.date(), clean_text(value)), "iso")
    if isinstance(value, date):
        return DateText(clean_text(value), plausible(value, clean_text(value)), "iso")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(f"{clean_text(value)!r} is a number, not a date; format the cell as a date (dd/mm/yyyy)")
    return parse_date_text(clean_text(value))


def read_status(value: Any) -> str | None:
    """The plan status a Status cell means (the plan's own words too: `not-started`), or None if unknown."""
    return parse_status_word(clean_text(value))


# RAG -----------------------------------------------------------------------------------

RAG_WORDS: dict[str, tuple[str, ...]] = {
    "red": ("r", "red"),
    "amber": ("a", "amber", "orange", "yellow"),
    "green": ("g", "green"),
    "blue": ("b", "blue", "c", "complete", "completed", "complete and embedded", "done"),
}
_RAG_OF = {word: rag for rag, words in RAG_WORDS.items() for word in words}

RAG_STATUS: dict[str, str] = {"blue": "done", "green": "in-progress", "amber": "in-progress", "red": "in-progress"}
"""The status an action gets from its RAG when the sheet has no Status column.

A RAG is a judgement of progress against plan, not a status: only blue (BRAG's "complete") says
the action is done; red, amber and green say it is open and someone rated it, so in progress.
A blank RAG is not started."""


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


def read_rag(value: Any, colour: str | None) -> str | None:
    """red, amber, green or blue from a RAG cell's text, or from its fill colour when it has no text.

    None when the cell is blank and uncoloured. Raises ValueError for text that is no RAG.
    """
    text = clean_text(value)
    if text:
        rag = _RAG_OF.get(_words(text))
        if rag is None:
            raise ValueError(f"RAG {text!r} is not red, amber, green or blue (complete); write one of those")
        return rag
    return rag_of_colour(colour) if colour else None


def rag_of_colour(colour: str) -> str | None:
    """The RAG a hand-picked fill colour (RRGGBB) stands for, by its hue; None for white, grey or black."""
    try:
        red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4))
    except ValueError:
        return None
    hue, saturation, brightness = colorsys.rgb_to_hsv(red, green, blue)
    if saturation < 0.25 or brightness < 0.2:
        return None
    degrees = hue * 360
    if degrees < 15 or degrees >= 340:
        return "red"
    if degrees < 65:
        return "amber"
    if degrees < 170:
        return "green"
    if degrees < 260:
        return "blue"
    return None


# Leads ---------------------------------------------------------------------------------

MAX_KEY_LENGTH = 60


def owner_key(lead: str) -> str:
    """The owners.yaml key for a lead: lower case, ASCII letters and digits joined by hyphens.

    "Head of Service (YOT)" -> head-of-service-yot. Empty when the lead has no letter or digit.
    """
    ascii_text = unicodedata.normalize("NFKD", lead).encode("ascii", "ignore").decode("ascii")
    key = "-".join(re.findall(r"[a-z0-9]+", ascii_text.casefold()))
    if len(key) > MAX_KEY_LENGTH:
        key = key[:MAX_KEY_LENGTH].rsplit("-", 1)[0]
    return key
