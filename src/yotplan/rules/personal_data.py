"""Text that looks like a child's personal data, found before it reaches git.

Plans are reviewed in pull requests and kept forever in git history: a date of birth typed into a
progress update cannot be taken back by a later commit. So the free text of a plan is searched for
the shapes people type without thinking, each with a stable code:

| code  | looks like                   | shapes flagged                                                        |
| ----- | ---------------------------- | --------------------------------------------------------------------- |
| YP301 | a date of birth              | "DOB", "D.O.B.", "D-O-B", "date of birth", "date-of-birth", "birth    |
|       |                              | date" or "born", then closely a date (any order, `/ . -`, month names) |
| YP302 | an NHS number                | 10 digits (or 3-3-4 with spaces or hyphens, mixed) passing modulus 11 |
| YP303 | a National Insurance number  | `AB 12 34 56 C`, spaces optional, with an issuable prefix             |
| YP304 | a postcode                   | `TQ1 3HR`, `EC1A 1BB`; a real postcode area, a valid inward code;     |
|       |                              | `GIR 0AA`; `BFPO 105`                                                 |
| YP305 | a phone number               | UK numbers: `07700 900123`, `(01803) 123456`, `+44 7700 900123`,      |
|       |                              | `0044 7700 900123`, `+44 (0)1632 960123`                              |
| YP306 | an email address             | `name@domain.tld`, any letters (`_jo@`, `zoë.smith@`)                 |
| YP307 | a name or initials + an age  | "J.S. (15)", "JS, 15,", "Jayden, aged 14", "a 15-year-old called Tom" |
| YP308 | a PNC ID or case number      | `08/123456Z`, `2008/0123456Z`; CRO `123456/08X`; "case ref 123456",   |
|       |                              | "CRN A123456", "case no. 2022/01234"                                  |

Precision is kept, so that a warning is believed, by flagging shapes rather than single numbers:

- A date needs a birth keyword just before it (at most three filler words such as "is", "on",
  "recorded as"); a meeting date or a due date alone is never a DOB. A bare year ("born in 2008")
  is not flagged.
- An NHS number must pass its check digit; ten repeated digits (placeholders) are not flagged. About
  one random 10-digit number in eleven passes the check, so an unrelated 10-digit reference can be
  flagged; the 3-3-4 grouping and the check are all there is to go on.
- A National Insurance number must have an issuable prefix (not D, F, I, Q, U or V as either letter,
  not O as the second, not BG, GB, KN, NK, NT, TN or ZZ), so the specimen QQ 12 34 56 C is not flagged.
  Letters are all upper case or all lower case.
- A postcode's area must be one of the 124 real areas (TQ, EC, W, ...) and its inward code a digit and
  two of the letters the Royal Mail uses. Upper case always counts; all lower case counts only with
  the space and when the inward code is not an ordinal or a time ("m5 3rd", "le1 3pm"); the space may
  be missing only in upper case (`TQ13HR`).
- A phone number starts with 0, +44 or an area code in brackets, and has exactly the UK digit count
  (11, or 10 for 01 and 08 numbers) in at most four groups. Year ranges, financial years, dates,
  times, ids and money never start with 0 followed by ten digits.
- Every email address is flagged, a team mailbox too: the shape cannot tell a team from a person.
  Only in an owner's `contact` field (a work contact) does the guard (rules/file_checks.py) let a
  role mailbox (`is_role_mailbox`) and a landline pass (`is_work_contact`).
- An age is flagged only next to a name or initials, and only in these shapes:
  initials ("J.S.", "J. S.", "JS") or a name, then "(15)", "(aged 15)", ", 15,", ", now 15,",
  ", aged 15", " is aged 15", " 15 years old", ", a 15-year-old"; or "a 15-year-old (boy|girl|...)
  called Jayden".
  With an age word ("aged", "years old", "year-old") the age may be 1 to 25 and the name any
  capitalised word that is not a common plan word ("Children aged 15") and not a plural ("Pupils").
  Without one ("Jayden (14)", "JS, 15,") the age must be 10 to 19 (the youth justice ages) and a name
  must be a common given name from the built-in list, so "Board (12)", "Torbay (12)" and the RAG
  count "Amber (12)" are not flagged, and a text with three or more "(N)" is a list of counts
  ("Caseloads: Emma (24), Jack (31), Sam (12)"), not of ages. Two-letter initials that are common
  acronyms ("QA", "LA", "RJ", "CE", "YP") are not initials. A name right after a determiner ("the
  Beacon, 12 years old") or inside a run of capitalised words ("Operation Grace (12)") is not a name.
- PNC IDs need a two- or four-digit year, a slash, 4 to 7 digits and an upper-case check letter (1 to
  7 digits straight after "PNC"); the check letter is not verified. CRO numbers need 5 or 6 digits, a
  slash, a two-digit year and a check letter (fewer digits straight after "CRO"). Case-record
  numbers are flagged only after "case ref", "case reference", "case no", "case number" or "case
  id" (4 to 10 digits, up to three letters before them, or a year, a slash and 3 to 7 digits), and
  nDelius CRNs only after "CRN" (one letter, six digits). A financial year ("2022/23") has no
  letter and two digits after the slash, so it is never flagged.

Not caught, on purpose or for want of a reliable shape: ages in words ("fourteen"), names without an
age, a bare "Kacper (14)" when the name is not on the list of common given names (with "aged 14" it
is caught), a bare "(N)" age outside 10 to 19, "Jayden is 15" and "Jayden, 14 years" (no bracket,
comma or "old"), ages in a list of three or more "(N)", mixed-case postcodes ("Tq1 3hr"), addresses
without a postcode, phone numbers outside the UK, and dates of birth with no keyword or only a year.

Speed: this runs on every free-text field of every plan on every `check` (a large plan has about
40,000 texts). Every shape needs a digit or an '@', so a text with neither returns after one C-level
count of its digits; otherwise each shape runs only behind a cheap test that its matches cannot lack
(enough digits, a keyword, a '/', a short number next to a bracket or comma).

Pure: standard library only, no I/O, no printing. The `check` rules turn findings into problems,
showing the match through `mask` so that CI logs do not repeat the data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DATE_OF_BIRTH = "YP301"
NHS_NUMBER = "YP302"
NI_NUMBER = "YP303"
POSTCODE = "YP304"
PHONE_NUMBER = "YP305"
EMAIL_ADDRESS = "YP306"
NAME_WITH_AGE = "YP307"
POLICE_OR_CASE_NUMBER = "YP308"

PERSONAL_DATA_CODES: dict[str, str] = {
    DATE_OF_BIRTH: "a date of birth",
    NHS_NUMBER: "an NHS number",
    NI_NUMBER: "a National Insurance number",
    POSTCODE: "a postcode",
    PHONE_NUMBER: "a phone number",
    EMAIL_ADDRESS: "an email address",
    NAME_WITH_AGE: "a name or initials with an age",
    POLICE_OR_CASE_NUMBER: "a PNC ID or case-record number",
}
"""Code -> what the matched text looks like (for docs and tests)."""

_WHY: dict[str, str] = {
    DATE_OF_BIRTH: "a child's date of birth identifies them",
    NHS_NUMBER: "an NHS number identifies one person for life",
    NI_NUMBER: "a National Insurance number identifies one person for life",
    POSTCODE: "a postcode can lead to a child's home",
    PHONE_NUMBER: "a phone number reaches a person directly",
    EMAIL_ADDRESS: "an email address identifies and reaches a person",
    NAME_WITH_AGE: "a name or initials with an age identify a child",
    POLICE_OR_CASE_NUMBER: "a police or case-record number points to one child's record",
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One stretch of text that looks like personal data: `text[start:end]` is the data itself."""

    code: str
    start: int
    end: int
    what: str
    why: str


def _finding(code: str, start: int, end: int, what: str | None = None) -> Finding:
    return Finding(code, start, end, what or PERSONAL_DATA_CODES[code], _WHY[code])


# --- the cheap first look -------------------------------------------------------------------------

_ASCII_DIGITS = b"0123456789"
_SPACES = str.maketrans(dict.fromkeys("\t\n\r\v\f\u00a0\u2007\u2009\u202f", " "))
_ODD_SPACE = re.compile("[\v\f\u00a0\u2007\u2009\u202f]")
_TEN_DIGIT_STRETCH = re.compile(r"[0-9][0-9 ()+-]{9}")
"""NHS and phone numbers are one stretch of digits, spaces, hyphens, brackets: dates and years are not."""


def find_personal_data(text: str) -> list[Finding]:
    """Every stretch of `text` that looks like personal data, in order of position.

    Overlapping matches are reported once: the earliest, then the longest, then by code order
    (an NHS number that is also phone-shaped is reported as an NHS number).
    """
    # Counting digits on the UTF-8 bytes is one C call, several times cheaper than a regex scan; every
    # shape but an email needs digits, and most need more than a few.
    raw = text.encode("utf-8", "surrogatepass")
    digits = len(raw) - len(raw.translate(None, _ASCII_DIGITS))
    if digits == 0:
        return _email_addresses(text) if "@" in text else []
    if "\n" in text or "\t" in text or "\r" in text or (not text.isascii() and _ODD_SPACE.search(text)):
        # Line breaks of block scalars, and the no-break and thin spaces of text pasted from Word,
        # become plain spaces; one character for one, so positions do not move.
        text = text.translate(_SPACES)
    found: list[Finding] = []
    if "@" in text:
        found += _email_addresses(text)
    if digits >= 10 and _TEN_DIGIT_STRETCH.search(text):
        found += _nhs_numbers(text)
        found += _phone_numbers(text)
    if digits >= 6:
        found += _ni_numbers(text)
        found += _pnc_ids(text)
    lowered = text.lower()
    if digits >= 4 and ("case" in lowered or "crn" in lowered):
        found += _case_numbers(text)
    if "dob" in lowered or "d.o.b" in lowered or "d-o-b" in lowered or "birth" in lowered or "born" in lowered:
        found += _dates_of_birth(text)
    found += _postcodes(text)
    found += _names_with_ages(text)
    if len(found) < 2:
        return found
    found.sort(key=lambda f: (f.start, -f.end, _CODE_ORDER[f.code]))
    kept = [found[0]]
    for finding in found[1:]:
        if finding.start >= kept[-1].end:
            kept.append(finding)
    return kept


def mask(matched: str) -> str:
    """The matched text with its middle hidden, for CI logs: '943 476 5919' -> '94••••••••19'.

    Never reveals more than 2 characters at each end, and fewer for short matches: a quarter of
    the length at most (1 for 4 to 7 characters, none below 4). The length is kept.
    """
    shown = min(2, len(matched) // 4)
    if shown == 0:
        return "•" * len(matched)
    return matched[:shown] + "•" * (len(matched) - 2 * shown) + matched[-shown:]


def masked_personal_data(text: str) -> str:
    """`text` with every stretch that looks like personal data passed through `mask`, so that a
    message quoting a user's text (an owner key, an id) never repeats the data into a CI log."""
    for finding in reversed(find_personal_data(text)):
        text = text[: finding.start] + mask(text[finding.start : finding.end]) + text[finding.end :]
    return text


# The regexes below start with a digit, a capital letter or a literal where they can, so the regex
# engine skips ahead to candidates in C (a leading lookbehind would make it try every position); what
# a match may not be glued to (a letter, a digit, '/') is checked after it matches. The others run
# only behind a keyword test.


def _glued_before(text: str, start: int, also: str = "/") -> bool:
    """Whether the character before `start` joins the match to a longer token (a word, an id)."""
    if start == 0:
        return False
    before = text[start - 1]
    return before.isalnum() or before == "_" or before in also


def _glued_after(text: str, end: int, also: str = "/") -> bool:
    """Whether what follows `end` continues the token: a letter or digit, '/', or ".5" and "-2"."""
    after = text[end : end + 2]
    if not after:
        return False
    first = after[0]
    return first.isalnum() or first == "_" or first in also or (first in ".,-" and after[1:].isdigit())


def _words(text: str) -> frozenset[str]:
    """The words of a long word list, kept as text so that it reads (and diffs) as a list."""
    return frozenset(text.split())


# --- YP302 NHS number -----------------------------------------------------------------------------

_NHS_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


def is_nhs_number(digits: str) -> bool:
    """Whether ten digits pass the NHS modulus 11 check (weights 10..2 on the first nine;
    check = 11 - sum mod 11, 11 -> 0, 10 -> invalid)."""
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits, _NHS_WEIGHTS, strict=False))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


_NHS = re.compile(r"[0-9][0-9][0-9][ -]?[0-9][0-9][0-9][ -]?[0-9][0-9][0-9][0-9]")


def _nhs_numbers(text: str) -> list[Finding]:
    found = []
    for m in _NHS.finditer(text):
        digits = m[0].replace(" ", "").replace("-", "")
        if (
            is_nhs_number(digits)
            and digits != digits[0] * 10  # 0000000000 and 1111111111 pass, and are placeholders
            and not _glued_before(text, m.start(), "/+")
            and not _glued_after(text, m.end())
            and not (m.start() >= 2 and text[m.start() - 1] in ".,-" and text[m.start() - 2].isdigit())
        ):
            found.append(_finding(NHS_NUMBER, m.start(), m.end()))
    return found


# --- YP303 National Insurance number --------------------------------------------------------------

_NI_NEVER_EITHER = frozenset("DFIQUV")
_NI_NEVER_PAIRS = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})


def is_ni_prefix(letters: str) -> bool:
    """Whether two letters can start an issued National Insurance number (HMRC's rules)."""
    prefix = letters.upper()
    return (
        len(prefix) == 2
        and prefix.isascii()
        and prefix.isalpha()
        and not _NI_NEVER_EITHER.intersection(prefix)
        and prefix[1] != "O"
        and prefix not in _NI_NEVER_PAIRS
    )


_NI_DIGITS = re.compile(r"[0-9][0-9] ?[0-9][0-9] ?[0-9][0-9] ?[A-Da-d]")
_NI_LETTERS = re.compile(r"[A-Za-z][A-Za-z] ?\Z")


def _ni_numbers(text: str) -> list[Finding]:
    found = []
    for m in _NI_DIGITS.finditer(text):
        letters = _NI_LETTERS.search(text, max(0, m.start() - 3), m.start())
        if letters is None or _glued_before(text, letters.start(), "/-") or _glued_after(text, m.end(), "/-"):
            continue
        prefix = letters[0][:2]
        cased = prefix + m[0][-1]
        if (cased.isupper() or cased.islower()) and is_ni_prefix(prefix):
            found.append(_finding(NI_NUMBER, letters.start(), m.end()))
    return found


# --- YP304 postcode -------------------------------------------------------------------------------

_POSTCODE_AREAS = _words(
    """AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC EH
    EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN LS LU M ME
    MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW
    SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE"""
)
"""The postcode areas of the UK, the Channel Islands and the Isle of Man."""

_INWARD_LETTERS = frozenset("ABDEFGHJLNPQRSTUWXYZ")
_NOT_LOWERCASE_INWARD = frozenset({"st", "nd", "rd", "th", "am", "pm"})
"""Lower case, these are ordinals and times ("m5 3rd", "le1 3pm"), not inward codes."""

_INWARD = re.compile(r"[0-9][A-Za-z][A-Za-z]")
_OUTWARD = re.compile(r"([A-Za-z][A-Za-z]?)[0-9][A-Za-z0-9]?( ?)\Z")


_SPECIAL_POSTCODE = re.compile(r"\b(?:GIR ?0AA|BFPO ?[0-9]{1,4})\b", re.IGNORECASE)
"""Girobank's GIR 0AA, and British Forces Post Office numbers (a family's address abroad)."""


def _postcodes(text: str) -> list[Finding]:
    found = []
    if "BFPO" in text.upper() or "GIR" in text.upper():
        found += [_finding(POSTCODE, m.start(), m.end()) for m in _SPECIAL_POSTCODE.finditer(text)]
    for m in _INWARD.finditer(text):
        if _glued_after(text, m.end(), "/-"):
            continue
        outward = _OUTWARD.search(text, max(0, m.start() - 5), m.start())
        if outward is None or _glued_before(text, outward.start(), "/-"):
            continue
        area, spaced, inward = outward[1], outward[2], m[0]
        whole = text[outward.start() : m.end()]
        if whole.isupper():
            pass
        elif not (whole.islower() and spaced and inward[1:] not in _NOT_LOWERCASE_INWARD):
            continue
        if area.upper() in _POSTCODE_AREAS and _INWARD_LETTERS.issuperset(inward[1:].upper()):
            found.append(_finding(POSTCODE, outward.start(), m.end()))
    return found


# --- YP305 phone number ---------------------------------------------------------------------------

_PHONE = re.compile(
    r"(?:(?P<international>(?:\+|00[ -]?)44[ -]?(?:\(0\)[ -]?)?)(?=[1-9])"
    r"|\(0[1-9][0-9]{1,4}\)[ -]?(?=[0-9])|0(?=[1-9]))"
    r"[0-9]+(?:[ -][0-9][0-9]+){0,3}"
)
_DIGIT_GROUP = re.compile(r"[0-9]+")


def _uk_phone_digits_ok(digits: str) -> bool:
    """UK numbers have 11 digits (01, 02, 03, 05, 07, 08), or 10 for some 01 and 0800 numbers."""
    if len(digits) == 11:
        return digits[1] in "123578"
    return len(digits) == 10 and digits[1] in "18"


def _phone_numbers(text: str) -> list[Finding]:
    found = []
    for m in _PHONE.finditer(text):
        start = m.start()
        if _glued_before(text, start, "/+") or (start >= 2 and text[start - 1] in ".,-" and text[start - 2].isdigit()):
            continue
        international = m["international"] is not None
        groups = list(_DIGIT_GROUP.finditer(text, m.end("international") if international else start, m.end()))
        # Longest first, then without trailing groups: "07700 900123 15 actions" is the phone number.
        for last in range(len(groups), 0, -1):
            digits = "".join(g[0] for g in groups[:last])
            if international:
                digits = "0" + digits  # +44 7700 900123 is 07700 900123
            end = groups[last - 1].end()
            if _uk_phone_digits_ok(digits) and not _glued_after(text, end):
                found.append(_finding(PHONE_NUMBER, start, end))
                break
    return found


# --- YP306 email address --------------------------------------------------------------------------

# Bounded by the RFC 5321 lengths (64 for the local part, 63 a label) so a long run of letters and
# hyphens around an '@' cannot make the regex backtrack over the whole text.
_EMAIL = re.compile(r"[\w][\w.%+'-]{0,63}@[^\W_](?:[\w-]{0,62})(?:\.[^\W_][\w-]{0,62}){1,8}")


def _email_addresses(text: str) -> list[Finding]:
    found = []
    for m in _EMAIL.finditer(text):
        top_level = m[0].rsplit(".", 1)[1]
        if len(top_level) >= 2 and top_level.isalpha() and not _glued_before(text, m.start(), "._%+-"):
            found.append(_finding(EMAIL_ADDRESS, m.start(), m.end()))
    return found


# --- YP301 date of birth --------------------------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b"
)
_DOB = re.compile(
    r"\b(?:d[.-]?o[.-]?b\b\.?|date[\s_-]+of[\s_-]+birth\b|birth[\s_-]?date\b|born\b)"
    r"[\s:=,;(\-–]*"
    r"(?:(?:is|was|of|on|in|the|as|recorded|given|noted|listed|shown)\s+){0,3}"
    r"(?P<date>"
    r"(?P<day>[0-9]{1,2})[/.-](?P<month>[0-9]{1,2})[/.-](?:[0-9]{4}|[0-9]{2})"
    r"|[0-9]{4}(?P<iso_sep>[-/.])(?P<iso_month>[0-9]{2})(?P=iso_sep)(?P<iso_day>[0-9]{2})"
    r"|(?:(?P<word_day>[0-9]{1,2})(?:st|nd|rd|th)?[\s-]+(?:of\s+)?)?" + _MONTH + r"\.?,?[\s-]+(?:[0-9]{4}|'?[0-9]{2})"
    r"|" + _MONTH + r"\.?\s+(?P<us_day>[0-9]{1,2})(?:st|nd|rd|th)?,?\s+[0-9]{4}"
    r")(?![\w/]|[./-][0-9])",
    re.IGNORECASE,
)


def _dates_of_birth(text: str) -> list[Finding]:
    found = []
    for m in _DOB.finditer(text):
        day = m["day"] or m["iso_day"] or m["word_day"] or m["us_day"]
        month = m["month"] or m["iso_month"]
        if (day is None or 1 <= int(day) <= 31) and (month is None or 1 <= int(month) <= 12):
            found.append(_finding(DATE_OF_BIRTH, m.start("date"), m.end("date")))
    return found


# --- YP307 a name or initials next to an age ------------------------------------------------------

_GIVEN_NAMES = _words(
    """Aaron Abbie Abdul Abdullah Abigail Adam Aidan Aiden Aimee Alesha Alex Alexander Alexandra Alfie
    Ali Alice Alicia Alisha Alyssa Amelia Amelie Amir Amy Andrew Angel Anna Anthony Archie Ashley Ava
    Bailey Ben Benjamin Bethan Bethany Billy Bradley Brandon Brooke Caitlin Callum Cameron Casey Charlie
    Charlotte Chelsea Chloe Christopher Ciaran Cody Connor Conor Corey Courtney Daisy Daniel Danielle
    Danny Darcy David Declan Demi Dominic Dylan Edward Eleanor Elise Elizabeth Ella Ellie Elliot Elliott
    Ellis Emily Emma Erin Ethan Eve Evie Ewan Faye Finlay Finley Freddie Freya Gabriel Georgia Georgina
    George Grace Gracie Hannah Harley Harrison Harry Harvey Hayden Hayley Heidi Henry Holly Hollie Hugo
    Isaac Isabel Isabella Isabelle Isla Isobel Jack Jacob Jade Jaden Jake James Jamie Jasmine Jason Jay
    Jayden Jaydon Jessica Jodie Joe Joel Jordan Joseph Josh Joshua Jude Kacey Kai Kaiden Katie Kayden
    Kayla Kayleigh Keira Kelsey Kian Kieran Kyle Kyra Lacey Lara Laura Lauren Layla Leah Leo Leon Lewis
    Lexi Lexie Liam Libby Lilly Lily Logan Louis Louise Lucas Lucy Luke Lydia Macy Maddison Madison
    Maisie Maisy Marcus Mason Matthew Megan Mia Michael Millie Mohammad Mohammed Molly Morgan
    Muhammad Nathan Niamh Nicole Noah Oliver Olivia Oscar Owen Paige Phoebe Poppy Rebecca Reece Reuben
    Rhys Riley Robert Rosie Ruby Ryan Sam Samuel Sarah Scarlett Scott Sean Shannon Shauna Sienna Skye
    Sophia Sophie Stanley Taylor Tegan Teigan Theo Thomas Tia Tilly Toby Tom Tommy Tyler Tyra Zac Zach
    Zachary Zak Zara Zoe"""
)
"""Common given names of children born in England and Wales since about 2000, minus names that are
also ordinary plan words (Amber is a RAG colour, Devon a county, Summer and June are times).
Only the bare form ("Jayden (14)", "Jayden, 15,") needs the name to be on this list."""

_NOT_NAMES = _words(
    """A About Academy Action Actions Adult Adults After Age Aged Agency All Also An And Annex Any Anyone
    Appendix April Area Around As Assessment At August Baby Before Between Board Both Boy But By Cabinet
    Carer Case Chair Chapter Child Children Cohort Committee Council Court Day December Devon Director
    Domain During Each Education Every Everyone February Female Figure For From Girl Group Health Her
    His However If In Including Indicator Item January July June Key Learner Level Male March May Member
    Men Month Mother Father Brother Sister Sibling Nobody None November Number October Of On One Only
    Or Our Over Page Paragraph Parent Part Partner People Person Phase Plan Police Priority Probation
    Pupil Quarter Recommendation Report Review Schedule School Section September Service Since Some
    Someone Stage Standard Step Student Table Team Teenager Term That The Their Them Then There These
    They This Those To Total Under Until Update Victim Week When While With Woman Women Year Young Youth
    Amber Red Green Blue"""
)
"""Capitalised words that start plan sentences or name things, never a person: "Children aged 10"."""

_NOT_INITIALS = _words(
    """AD AM AP BA BC CC CE CP CS DA DC DV EH EU EY FE GP HE HM HQ HR ID IR IT KS LA MA MH MP NB NE NI NW OK OT
    PA PC PE PM PO PR PS QA RE RJ RO SE SG SL SM SV SW TV UK UN US YC YJ YP"""
)
"""Two-letter acronyms that a plan uses on their own ("QA (12)", "RJ, 15,", "CE (12)" for criminal
exploitation, "DA" domestic abuse): not a child's initials."""

_DETERMINERS = _words("a an the our their its this that these those each every all any some no per")

_NAME_WORD = r"[A-Z](?:'[A-Z])?[a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)?"
# One leading [A-Z] outside any group lets the regex engine skip to capital letters in C, and the
# atomic group (?>...) stops it from retrying every shorter prefix of a capitalised word: without
# them a line of title-case text took 20 µs.
_WHO = (
    r"[A-Z](?>"
    r"\.[ ]?[A-Z](?:\.[ ]?[A-Z])?\.?(?![A-Za-z])"  # initials with dots: J.S., J. S., J.A.S.
    r"|[A-Z](?![A-Za-z])"  # two capitals: JS
    r"|(?:'[A-Z])?[a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)?"  # a name: Jayden, O'Neill, McKay, Mary-Jane
    r"(?:[ ](?:" + _NAME_WORD + r"|[A-Z]\.?(?![A-Za-z])))?"  # and a surname or its initial
    r")"
)
_NAME_THEN_AGE = re.compile(
    r"(?P<who>" + _WHO + r")"
    r"(?:(?P<paren>[ ]?\()[ ]?|(?P<comma>[ ]?,)[ ]*|[ ]+)"
    r"(?:(?:is|was|now|who[ ]is)[ ]+)?"
    r"(?:(?P<aged>aged?)[ ]+|(?P<article>an?)[ ]+)?"
    r"(?P<age>[0-9][0-9]?)"
    r"(?P<old>[ -]?(?:years?|yrs?)[ -]?old\b|[ ]?(?:yrs?|y/o)\b)?"
    r"(?![0-9]|[.,][0-9]|[ ]?(?:-|–|to)[ ]?[0-9])"
)
_AGE_THEN_NAME = re.compile(
    r"(?P<age>[0-9](?<![0-9][0-9])[0-9]?)[ -]?(?:years?|yrs?)[ -]?old"
    r"(?:[ ](?:boy|girl|child|young[ ](?:person|man|woman)|male|female|lad|teenager|pupil|learner|victim))?"
    r",?[ ]+(?:called|named|known[ ]as)[ ]+"
    r"(?P<who>" + _WHO + r")"
)
_BARE_AGE = re.compile(r"[(,] *(?:(?:is|was|now|who is) +)?[0-9][0-9]?(?![0-9]) *(?:[,;)]|\.(?![0-9])|\Z)")
"""What every bare age ends like, "(15)", "(15, DOB", ", 15,": a cheap test before the costly regex."""
_AGED_NUMBER = re.compile(r"age(?<![A-Za-z]age)d? +[0-9]")

_MARKED_AGES = range(1, 26)
_BARE_AGES = range(10, 20)
"""Without "aged" or "years old" a number is an age only in the youth justice range."""


def _is_child_reference(text: str, m: re.Match[str], marked: bool) -> bool:
    """Whether the `who` of a match is a person (initials or a name) rather than a plan word."""
    who = m["who"]
    if _glued_before(text, m.start("who"), ".'’-"):
        return False
    if who[1] == "." or who[1].isupper():  # initials: J.S., J. S., JS
        return who.replace(".", "").replace(" ", "") not in _NOT_INITIALS
    words = who.split()
    if any(word in _NOT_NAMES for word in words):
        return False
    first = words[0]
    if marked:
        if first.endswith("s") and first not in _GIVEN_NAMES:
            return False  # a plural: "Pupils aged 15"
    elif first not in _GIVEN_NAMES:
        return False
    before = text[: m.start("who")].rstrip(" ")
    if len(before) == m.start("who"):  # not after a space: start of text or after punctuation
        return True
    previous = before.rsplit(" ", 1)[-1]
    if previous.lower() in _DETERMINERS:
        return False
    return not (previous[:1].isupper() and previous.isalpha())  # "Youth Justice Plan (12)"


def _bare_age_closes(text: str, end: int) -> bool:
    """A bare number is an age only when it ends its phrase: "(15)", "(15, DOB ...", ", 15,"."""
    rest = text[end:].lstrip(" ")
    return not rest or rest[0] in "),;" or (rest[0] == "." and not rest[1:2].isdigit())


_BRACKETED_NUMBER = re.compile(r"\([0-9]+\)")
_COUNT_LIST_LENGTH = 3
"""Three or more "(N)" in one text are a list of counts ("Emma (24), Jack (31), Sam (12)"), not ages."""


def _name_then_age(text: str, m: re.Match[str]) -> bool:
    """Whether a match of _NAME_THEN_AGE is an age next to a person, by the rules in the docstring."""
    age = int(m["age"])
    marked = bool(m["aged"] or m["old"])
    if m["article"] and not m["old"]:
        return False
    if marked:
        if age not in _MARKED_AGES:
            return False
    elif (
        age not in _BARE_AGES
        or not (m["paren"] or m["comma"])
        or not _bare_age_closes(text, m.end())
        or (m["paren"] and len(_BRACKETED_NUMBER.findall(text)) >= _COUNT_LIST_LENGTH)
    ):
        return False
    return _is_child_reference(text, m, marked)


def _names_with_ages(text: str) -> list[Finding]:
    # The name-and-age regex tries every capital letter, so it runs only if the text has what each
    # shape needs around its number: a bracket or comma before and a stop after, "aged" before, "old" after.
    if not (
        (("(" in text or "," in text) and _BARE_AGE.search(text))
        or ("age" in text and _AGED_NUMBER.search(text))
        or "old" in text
        or "yr" in text
        or "y/o" in text
    ):
        return []
    found = []
    pos = 0
    while m := _NAME_THEN_AGE.search(text, pos):
        if _name_then_age(text, m):
            end = m.end()
            if m["paren"] and text[end : end + 1] == ")":
                end += 1
            found.append(_finding(NAME_WITH_AGE, m.start(), end))
            pos = end
        else:  # "Meeting Jayden (14)": the name may start inside a rejected match
            pos = m.start() + 1
    if "old" in text:
        for m in _AGE_THEN_NAME.finditer(text):
            if (
                int(m["age"]) in _MARKED_AGES
                and not _glued_before(text, m.start(), ".")
                and _is_child_reference(text, m, marked=True)
            ):
                found.append(_finding(NAME_WITH_AGE, m.start(), m.end()))
    return found


# --- YP308 PNC ID and case-record numbers ---------------------------------------------------------

_PNC = re.compile(r"(?:19|20)?[0-9][0-9]/(?P<serial>[0-9]{1,7})[A-Z]")
_CRO = re.compile(r"[0-9]{1,6}/[0-9][0-9][A-Z]")
"""A Criminal Records Office number: a serial number, a slash, a two-digit year and a check letter."""
_CRO_KEYWORD = re.compile(r"\bcro\b[^0-9]{0,12}\Z", re.IGNORECASE)
_PNC_KEYWORD = re.compile(r"\bpnc\b[^0-9]{0,12}\Z", re.IGNORECASE)
"""Right after "PNC", a PNC ID may have a short serial number ("PNC 04/123X")."""

_CASE_NUMBER = re.compile(
    r"\b(?i:(?P<crn>crn)|case[ -]?(?:ref(?:erence)?|no|number|id))\b\.?"
    r"[ ]*(?:[:#=][ ]*|is[ ]+)?"
    r"(?P<number>[A-Z]{0,3}-?[0-9]{4,10}|(?:19|20)[0-9][0-9][/-][0-9]{3,7})(?![\w/-])"
)
_CRN = re.compile(r"[A-Z][0-9]{6}")
"""An nDelius case reference number: one letter and six digits ("CRN 1234567" is a charity)."""


def _pnc_ids(text: str) -> list[Finding]:
    if "/" not in text:
        return []
    found = []
    for m in _PNC.finditer(text):
        if _glued_before(text, m.start(), "/.-") or _glued_after(text, m.end(), "/-"):
            continue
        if len(m["serial"]) >= 4 or _PNC_KEYWORD.search(text, max(0, m.start() - 20), m.start()):
            found.append(_finding(POLICE_OR_CASE_NUMBER, m.start(), m.end(), "a PNC ID"))
    for m in _CRO.finditer(text):
        if _glued_before(text, m.start(), "/.-") or _glued_after(text, m.end(), "/-"):
            continue
        if m[0].index("/") >= 5 or _CRO_KEYWORD.search(text, max(0, m.start() - 20), m.start()):
            found.append(_finding(POLICE_OR_CASE_NUMBER, m.start(), m.end(), "a CRO number"))
    return found


def _case_numbers(text: str) -> list[Finding]:
    return [
        _finding(POLICE_OR_CASE_NUMBER, m.start("number"), m.end("number"), "a case-record number")
        for m in _CASE_NUMBER.finditer(text)
        if m["crn"] is None or _CRN.fullmatch(m["number"])
    ]


# --- work contacts (an owner's `contact` field) ----------------------------------------------------

_ROLE_WORDS = _words(
    """admin administration board business camhs care central chair children community contact contacts
    coordinator court courts custody data director duty education enquiries enquiry ete general
    group head health help helpdesk hub info information intake justice lead mash manager management
    nurse office officer offending operations out panel partnership performance police prevention
    probation referral referrals reparation safeguarding school schools secure service services
    support team teams triage victim victims yjs yjt yos yot youth"""
)
"""Words a role or team mailbox is made of (`yot.manager@`, `youth.justice@`, `mash@`)."""

_MOBILE = re.compile(r"(?:\+|00[ -]?)44[ -]?(?:\(0\)[ -]?)?7|07")


def is_role_mailbox(address: str) -> bool:
    """Whether an email address is a role or team mailbox: its local part has a role word and no
    given name, single letter or digit ("yot.manager", "torbay-yot"; not "jayden.smith",
    "j.smith", "yot.manager2", "ksmith")."""
    local = address.rpartition("@")[0].lower()
    words = [w for w in re.split(r"[._+'-]", local) if w]
    if not words or any(not w.isalpha() or len(w) == 1 or w.title() in _GIVEN_NAMES for w in words):
        return False
    return any(w in _ROLE_WORDS for w in words)


def is_work_contact(code: str, matched: str) -> bool:
    """Whether a finding in an owner's `contact` field (the one field for a work contact) is what
    that field is for: a role mailbox, or a phone number that is not a mobile."""
    if code == EMAIL_ADDRESS:
        return is_role_mailbox(matched)
    if code == PHONE_NUMBER:
        return _MOBILE.match(matched) is None
    return False


_CODE_ORDER = {
    code: rank
    for rank, code in enumerate(
        (
            EMAIL_ADDRESS,
            NHS_NUMBER,
            NI_NUMBER,
            POLICE_OR_CASE_NUMBER,
            DATE_OF_BIRTH,
            PHONE_NUMBER,
            POSTCODE,
            NAME_WITH_AGE,
        )
    )
}
"""Which code wins when two shapes match the same span: the one with the stronger evidence."""
