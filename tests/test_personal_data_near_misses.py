"""Near misses of the personal-data shapes: legitimate text one step from a child's data, and the
child's data one step from legitimate text. Each case holds one boundary of
yotplan.rules.personal_data (a number glued to a longer one, a bare age that does not end its
phrase, an acronym that is not initials, the ends of the day and month ranges). All names and
numbers are invented: the NHS numbers are test numbers, the phone numbers Ofcom drama numbers."""

from __future__ import annotations

import pytest

from yotplan.rules.personal_data import (
    DATE_OF_BIRTH,
    EMAIL_ADDRESS,
    NAME_WITH_AGE,
    NHS_NUMBER,
    PHONE_NUMBER,
    POSTCODE,
    find_personal_data,
    is_role_mailbox,
    is_work_contact,
)


def found(text: str) -> list[tuple[str, str]]:
    return [(f.code, text[f.start : f.end]) for f in find_personal_data(text)]


@pytest.mark.parametrize(
    "text",
    [
        # ten digits that pass the NHS check, glued to a longer number or token
        "Ratio 9434765919.5 recorded in the cost model",  # a decimal: ".5" after the digits
        "Order ref 9434765919X2 from the supplier",  # a letter after the digits
        "Batch 9434765919_old archived",  # an underscore after the digits
        "3.9434765919 is the ratio used",  # a decimal at the start of the text
        "Berlin partner office +4930123453",  # a number abroad, after a '+'
        # a phone-shaped run glued to a longer token
        "Invoice INV07700900123 paid in full",  # a letter before the 0
        "1.0123456789 is the conversion factor",  # a decimal at the start of the text
        "Rate 1.0123456789 applied to the grant",  # a decimal inside the text
        "Form 0121 replaced by ref 1234567 on 2022-01-01",  # groups far apart are not one number
        # a date of birth needs a real day
        "DOB 32 March 2008 typed in error and corrected",
        # two capitals that end an acronym, and dotted acronyms, are not initials
        "Referrals to CAMHS (14) and to the school nurse (3)",
        "Q.A. (12) audits were completed",
        "Q. A. (12) audits were completed",
        "Placements in Port-Louis (12) were reviewed",
        # a bare number that does not end its phrase is a count, not an age ("aged" elsewhere in the
        # text lets the name-and-age search run at all)
        "Led by Daniel, 12 volunteers aged 18 to 25 joined the reparation day",
        "Sessions with Grace, a 10 week course for boys aged 14 to 17, went well",
    ],
)
def test_legitimate_text_next_to_a_shape_gives_no_finding(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NHS no.9434765919 on the form", [(NHS_NUMBER, "9434765919")]),  # a word and a dot before it
        ("DOB 31/12/2008", [(DATE_OF_BIRTH, "31/12/2008")]),  # the last day and month
        ("DOB 31/01/2008", [(DATE_OF_BIRTH, "31/01/2008")]),  # January
        ("Kacper, aged 14, started the reparation project", [(NAME_WITH_AGE, "Kacper, aged 14")]),
        ("Jayden (14 ) was seen at school", [(NAME_WITH_AGE, "Jayden (14")]),  # a space before the bracket
        ("The panel met Jack, 15. He agreed to the plan", [(NAME_WITH_AGE, "Jack, 15")]),  # a full stop
        ("The panel met Jack, 15.", [(NAME_WITH_AGE, "Jack, 15")]),  # a full stop ending the text
    ],
)
def test_a_childs_data_next_to_the_boundary_is_found(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


def test_a_role_mailbox_has_no_single_letter() -> None:
    assert is_role_mailbox("youth.justice@example.gov.uk")
    assert not is_role_mailbox("j.youth@example.gov.uk")  # an initial: a person's mailbox
    assert not is_role_mailbox("j.justice@example.gov.uk")


def test_only_a_mailbox_or_a_landline_is_a_work_contact() -> None:
    assert is_work_contact(EMAIL_ADDRESS, "youth.justice@example.gov.uk")
    assert is_work_contact(PHONE_NUMBER, "01632 960123")
    assert not is_work_contact(PHONE_NUMBER, "07700 900123")
    assert not is_work_contact(POSTCODE, "TQ1 3HR")
    assert not is_work_contact(NHS_NUMBER, "943 476 5919")
