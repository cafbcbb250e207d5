"""Which owners' roles read as a person's name (YP206, and `import`'s note on a lead): the
heuristic's edges, each a case a Board's owners file could hold."""

from __future__ import annotations

import pytest

from yotplan.rules.owner_names import looks_like_person


@pytest.mark.parametrize(
    "lead",
    [
        "Mr Patel",
        "DR. PATEL",  # a title in any case, with its full stop
        "Cllr Sarah Jones",
        "Dr Jane Smith Manager",  # a title first wins over the role words after it
        "J. Smith",
        "J.K. Rowling",
        "J. K. Rowling",  # three words, the initials spaced
        "Sarah Jane Jones",
        "Anne-Marie Smith",
        "Sarah Jones (YOT Manager)",
        "YOT Manager / Sarah Jones",
        "YOT Manager, Sarah Jones",
        "YOT Manager; Sarah Jones",
        "YOT Manager & Sarah Jones",
        "YOT Manager – Sarah Jones",  # an en dash between spaces
        "Head of Service and Sarah Jones",
    ],
)
def test_a_lead_that_names_a_person(lead: str) -> None:
    assert looks_like_person(lead), lead


@pytest.mark.parametrize(
    "lead",
    [
        "Mr",  # a title alone names nobody
        "Sarah",  # one word is not enough
        "Sarah Jane Mary Jones",  # nor four
        "A. B. C. Smith",  # initials and a name, four words
        "sarah jones",  # not capitalised
        "Sarah Jones Manager",  # a role word anywhere
        "Sarah Co-ordinator",  # a role word written with a hyphen
        "Head of Service (YOT)",
        "CAMHS Lead",
        "YOT Manager-Sarah Jones",  # no spaces round the dash: one role
        "Virtual School Head",
        "",
        "()",
    ],
)
def test_a_lead_that_is_a_role(lead: str) -> None:
    assert not looks_like_person(lead), lead
