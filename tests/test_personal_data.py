"""The personal-data detector (yotplan.rules.personal_data): what it finds, exactly where, and what it
must leave alone, since a plan is kept forever in git history and a false alarm teaches people to
ignore the real one.

The corpus, tests/personal_data_corpus.txt, is plain text rather than YAML on purpose: each case is
one line of plan prose exactly as a YOT manager would type it, with every expected finding marked in
place as {{CODE|matched text}}. So the expected code and span sit where a reviewer reads them, there
is no quoting to get wrong (plan text is full of colons, brackets and '#'), and a span is checked to
the character. Lines start with '+' (personal data, marked), '-' (legitimate look-alikes: no finding)
or '~' (known misses, kept so the module's list of what it does not catch stays true).
"""

from __future__ import annotations

import cProfile
import importlib.util
import itertools
import pstats
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yotplan.plans.strict_yaml import parse_yaml
from yotplan.rules import personal_data
from yotplan.rules.personal_data import (
    PERSONAL_DATA_CODES,
    Finding,
    find_personal_data,
    is_nhs_number,
    is_ni_prefix,
    mask,
)

from conftest import REPO, SHIPPED_PLANS

CORPUS = Path(__file__).resolve().parent / "personal_data_corpus.txt"
MARK = re.compile(r"\{\{(YP\d{3})\|(.*?)\}\}")
BOUNDED = settings(max_examples=300, derandomize=True, database=None, deadline=None)


@dataclass(frozen=True)
class Case:
    line: int
    kind: str  # "+", "-" or "~"
    text: str
    expected: tuple[tuple[str, int, int], ...]  # (code, start, end)

    def __str__(self) -> str:
        return f"line {self.line}: {self.text[:50]}"


def read_corpus() -> list[Case]:
    cases = []
    for number, raw in enumerate(CORPUS.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        kind, body = raw[:2], raw[2:]
        assert kind in ("+ ", "- ", "~ "), f"corpus line {number} must start with '+ ', '- ' or '~ ': {raw!r}"
        text, expected, taken = "", [], 0
        for mark in MARK.finditer(body):
            text += body[taken : mark.start()]
            expected.append((mark[1], len(text), len(text) + len(mark[2])))
            text += mark[2]
            taken = mark.end()
        text += body[taken:]
        assert "{{" not in text, f"corpus line {number} has a broken marker"
        assert "}}" not in text, f"corpus line {number} has a broken marker"
        cases.append(Case(number, kind[0], text, tuple(expected)))
    return cases


CASES = read_corpus()
POSITIVE = [c for c in CASES if c.kind == "+"]
NEGATIVE = [c for c in CASES if c.kind == "-"]
KNOWN_MISSES = [c for c in CASES if c.kind == "~"]


def found(text: str) -> list[tuple[str, str]]:
    """(code, matched text) for every finding: what a failing assert should show."""
    return [(f.code, text[f.start : f.end]) for f in find_personal_data(text)]


# --- the corpus -----------------------------------------------------------------------------------


def test_the_corpus_is_big_enough_and_covers_every_code() -> None:
    assert len(POSITIVE) >= 40
    assert len(NEGATIVE) >= 40
    assert all(c.expected for c in POSITIVE), [str(c) for c in POSITIVE if not c.expected]
    assert not [c for c in NEGATIVE + KNOWN_MISSES if c.expected]
    per_code = {code: sum(code == e[0] for c in POSITIVE for e in c.expected) for code in PERSONAL_DATA_CODES}
    assert all(count >= 3 for count in per_code.values()), per_code
    assert sum(len(c.expected) > 1 for c in POSITIVE) >= 3  # lines with several findings


@pytest.mark.parametrize("case", POSITIVE, ids=str)
def test_personal_data_is_found_with_its_exact_span(case: Case) -> None:
    findings = find_personal_data(case.text)
    assert [(f.code, f.start, f.end) for f in findings] == list(case.expected), found(case.text)


@pytest.mark.parametrize("case", NEGATIVE, ids=str)
def test_legitimate_plan_text_gives_no_finding(case: Case) -> None:
    assert found(case.text) == []


@pytest.mark.parametrize("case", KNOWN_MISSES, ids=str)
def test_known_misses_are_still_missed(case: Case) -> None:
    """If one of these starts being caught, good: move it to the '+' lines of the corpus."""
    assert found(case.text) == []


# --- findings themselves --------------------------------------------------------------------------


def test_the_span_is_the_personal_data_not_its_label() -> None:
    text = "J.S. (15, DOB 03/04/2008) lives at TQ1 3HR; NHS number 943 476 5919, mum on 07700 900123"
    assert found(text) == [
        ("YP307", "J.S. (15"),
        ("YP301", "03/04/2008"),
        ("YP304", "TQ1 3HR"),
        ("YP302", "943 476 5919"),
        ("YP305", "07700 900123"),
    ]
    assert found("case ref 123456 and CRN X123456") == [("YP308", "123456"), ("YP308", "X123456")]
    assert found("Jayden (14) attends") == [("YP307", "Jayden (14)")]
    assert found("Jayden (aged 14, Year 10)") == [("YP307", "Jayden (aged 14")]


def test_a_finding_says_what_it_looks_like_and_why_it_matters() -> None:
    [dob] = find_personal_data("DOB 03/04/2008")
    assert dob == Finding("YP301", 4, 14, "a date of birth", "a child's date of birth identifies them")
    [pnc, case] = find_personal_data("PNC 08/123456Z, case no. 2022/01234")
    assert (pnc.code, pnc.what) == ("YP308", "a PNC ID")
    assert (case.code, case.what) == ("YP308", "a case-record number")
    for code, what in PERSONAL_DATA_CODES.items():
        assert re.fullmatch(r"YP30[1-8]", code)
        assert what.startswith(("a ", "an "))
        assert personal_data._WHY[code]


@pytest.mark.parametrize("text", ["DOB 32/01/2008", "DOB 03/13/2008", "born 2008-13-01", "DOB 2008-04-32"])
def test_a_date_of_birth_must_be_a_date(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "date of birth 3/4/2008",
        "D.O.B.: 03-04-08",
        "born on the 3rd of April 2008",
        "DOB April 3rd, 2008",
        "DOB Dec '07",
    ],
)
def test_dates_of_birth_in_other_shapes(text: str) -> None:
    [(code, matched)] = found(text)
    assert code == "YP301"
    assert matched[0].isdigit() or matched[0] in "AD"
    assert text.endswith(matched)


def test_findings_come_in_order_of_position() -> None:
    text = "mum@example.org, 07700 900123, TQ1 3HR, DOB 3 April 2008, a 15-year-old called Tom, JS (15), AB 123456 C"
    findings = find_personal_data(text)
    assert [f.code for f in findings] == ["YP306", "YP305", "YP304", "YP301", "YP307", "YP307", "YP303"]
    assert [f.start for f in findings] == sorted(f.start for f in findings)


def test_a_number_that_is_both_nhs_and_phone_shaped_is_reported_once() -> None:
    assert is_nhs_number("0800123468")
    assert found("Freephone 0800123468 for the helpline") == [("YP302", "0800123468")]
    assert not is_nhs_number("0800123456")  # fails the check: only the phone shape is left
    assert found("Freephone 0800123456 for the helpline") == [("YP305", "0800123456")]


@pytest.mark.parametrize(
    "number",
    [
        "07700 900123",
        "07700900123",
        "+447700900123",
        "+44 (0)1632 960789",
        "(01632) 960123",
        "0300 123 4567",
        "0800 123 456",
    ],
)
def test_uk_phone_shapes(number: str) -> None:
    assert found(f"Carer: {number}.") == [("YP305", number)]


@pytest.mark.parametrize(
    "text", ["2022-2023", "01/04/2022-31/03/2023", "0712 345 678", "09:30-10:30", "0.5 FTE", "+33 1 23 45 67 89"]
)
def test_not_phone_numbers(text: str) -> None:
    assert found(text) == []


def test_line_breaks_and_pasted_spaces_count_as_spaces_and_keep_positions() -> None:
    assert found("Update: Jayden\n(14) attends") == [("YP307", "Jayden\n(14)")]
    assert found("Mum on 07700\u00a0900123 (from Word)") == [("YP305", "07700\u00a0900123")]
    assert found("Café note: TQ1\u00a03HR") == [("YP304", "TQ1\u00a03HR")]


def test_a_phone_number_is_found_even_when_a_count_follows_it() -> None:
    assert found("Called 07700 900123 15 times") == [("YP305", "07700 900123")]


# --- NHS number: the modulus 11 check ---------------------------------------------------------------


@pytest.mark.parametrize("number", ["9434765919", "4010232137", "4857773457", "4505577104", "0800123468"])
def test_valid_nhs_numbers_pass_the_check(number: str) -> None:
    assert is_nhs_number(number)
    assert found(f"NHS {number} recorded") == [("YP302", number)]


def test_every_other_check_digit_fails() -> None:
    for digit in "012345678":
        assert not is_nhs_number("943476591" + digit)
        assert found(f"ref 943 476 591{digit} recorded") == []


def weighted_sum(first_nine: str) -> int:
    return sum(int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True))


def test_a_remainder_of_ten_means_no_valid_number() -> None:
    assert weighted_sum("485777349") % 11 == 1  # 320: the check digit would be 11 - 1 = 10
    assert not any(is_nhs_number(f"485777349{d}") for d in "0123456789")
    assert found("NHS 485 777 3490 and 485 777 3491") == []


def test_a_check_of_eleven_means_zero() -> None:
    first_nine = next(p for p in (str(n) for n in range(400_000_000, 400_000_100)) if weighted_sum(p) % 11 == 0)
    assert is_nhs_number(first_nine + "0")
    assert not any(is_nhs_number(first_nine + d) for d in "123456789")


@pytest.mark.parametrize("value", ["943476591", "94347659190", "943 476 5919", "94347659l9", "９４３４７６５９１９"])
def test_only_ten_ascii_digits_are_checked(value: str) -> None:
    assert not is_nhs_number(value)


def test_placeholders_and_glued_numbers_are_not_nhs_numbers() -> None:
    assert is_nhs_number("1111111111")  # passes the arithmetic...
    assert found("NHS number 1111111111 (placeholder)") == []  # ...but is a placeholder
    assert found("order X9434765919 and 9434765919/2 and 1.9434765919") == []
    # Typed by hand, one number often mixes its separators (issue 17): still one NHS number.
    assert found("943 476-5919") == [("YP302", "943 476-5919")]
    assert found("943-476 5919") == [("YP302", "943-476 5919")]


# --- National Insurance number prefixes -----------------------------------------------------------


@pytest.mark.parametrize("letter", list("DFIQUV"))
def test_never_issued_letters_in_either_place(letter: str) -> None:
    assert not is_ni_prefix(letter + "A")
    assert not is_ni_prefix("A" + letter)
    assert found(f"NI {letter}A 12 34 56 C and NI A{letter} 12 34 56 C") == []


def test_o_is_never_the_second_letter() -> None:
    assert not is_ni_prefix("AO")
    assert is_ni_prefix("OA")
    assert found("NI OA 12 34 56 C") == [("YP303", "OA 12 34 56 C")]


@pytest.mark.parametrize("prefix", ["BG", "GB", "NK", "KN", "TN", "NT", "ZZ"])
def test_excluded_pairs(prefix: str) -> None:
    assert not is_ni_prefix(prefix)
    assert not is_ni_prefix(prefix.lower())
    assert found(f"NINO {prefix}123456A") == []


@pytest.mark.parametrize("number", ["AB123456C", "AB 12 34 56 C", "AB 123456 C", "ab123456c", "JH 12 34 56 D"])
def test_issuable_ni_numbers_are_found_with_or_without_spaces(number: str) -> None:
    assert found(f"NI: {number}.") == [("YP303", number)]


@pytest.mark.parametrize("text", ["NI AB 12 34 56 E", "NI Ab123456C", "NI XAB123456C", "NI AB1234567C", "QQ123456C"])
def test_not_ni_numbers(text: str) -> None:
    assert found(text) == []


# --- mask ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("matched", "masked"),
    [
        ("943 476 5919", "94••••••••19"),
        ("jayden@example.org", "ja••••••••••••••rg"),
        ("TQ1 3HR", "T•••••R"),
        ("JS15", "J••5"),
        ("abc", "•••"),
        ("a", "•"),
        ("", ""),
    ],
)
def test_mask_examples(matched: str, masked: str) -> None:
    assert mask(matched) == masked


@BOUNDED
@given(st.text(alphabet=st.characters(blacklist_characters="•"), max_size=60))
def test_mask_keeps_the_length_and_shows_at_most_two_characters_at_each_end(matched: str) -> None:
    masked = mask(matched)
    shown = masked.find("•") if "•" in masked else 0  # characters shown at each end
    assert len(masked) == len(matched)
    assert shown <= 2
    assert shown <= len(matched) // 4  # at least half stays hidden
    assert masked == matched[:shown] + "•" * (len(matched) - 2 * shown) + matched[len(matched) - shown :]


def test_mask_shows_one_character_at_each_end_of_short_matches() -> None:
    for length in (4, 5, 6, 7):
        matched = "x" * length
        masked = mask(matched)
        assert masked[0] == "x"
        assert masked[-1] == "x"
        assert set(masked[1:-1]) == {"•"}


# --- the shipped plans -----------------------------------------------------------------------------


def strings(node: Any) -> Iterator[str]:
    """Every str in parsed YAML, keys included."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from strings(key)
            yield from strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from strings(item)


def test_the_shipped_plans_give_no_finding() -> None:
    paths = sorted(SHIPPED_PLANS.glob("*.yaml"))
    assert len(paths) == 6
    texts = [text for path in paths for text in strings(parse_yaml(path.read_text(encoding="utf-8")))]
    assert len(texts) > 500
    assert any(t == "YOT Management Board Chair" for t in texts)  # role titles, ids, dates are all there
    assert {t: found(t) for t in texts if find_personal_data(t)} == {}


def test_the_shipped_plans_with_a_child_added_are_caught() -> None:
    """The walk above really reaches the free text: the same walk finds data slipped into a note."""
    path = SHIPPED_PLANS / "hmip-inspection.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "It reports no step yet to fix the\n              attendance.",
        "It reports no step yet; J.S. (15) was seen by\n              CAMHS.",
    )
    hits = [found(t) for t in strings(parse_yaml(text)) if find_personal_data(t)]
    assert hits == [[("YP307", "J.S. (15)")]]


# --- properties, speed and the fast path ------------------------------------------------------------

_DETECTORS = (
    "_email_addresses",
    "_nhs_numbers",
    "_phone_numbers",
    "_ni_numbers",
    "_pnc_ids",
    "_case_numbers",
    "_dates_of_birth",
    "_postcodes",
    "_names_with_ages",
)


def test_text_without_a_digit_or_at_sign_runs_no_detector(monkeypatch: pytest.MonkeyPatch) -> None:
    """The common case must cost next to nothing: one C call, no regex."""

    def boom(*args: object) -> list[Finding]:
        raise AssertionError("a detector ran on text with no digit and no '@'")

    for name in _DETECTORS:
        monkeypatch.setattr(personal_data, name, boom)
    assert find_personal_data("Secure regular CAMHS attendance at the YOT Management Board (see HMIP-one)") == []
    assert find_personal_data("") == []


@BOUNDED
@given(st.text(alphabet=st.characters(blacklist_characters="0123456789@"), max_size=200))
def test_no_digit_and_no_at_sign_means_no_finding(text: str) -> None:
    assert find_personal_data(text) == []


@BOUNDED
@given(st.text(alphabet="0123456789 ()+-/.,:@aAbBcCdDjJsSqQtTxXyYzZ ", max_size=80))
def test_findings_are_ordered_apart_and_inside_the_text(text: str) -> None:
    findings = find_personal_data(text)
    for finding in findings:
        assert finding.code in PERSONAL_DATA_CODES
        assert 0 <= finding.start < finding.end <= len(text)
        assert text[finding.start : finding.end].strip() == text[finding.start : finding.end]
    assert all(a.end <= b.start for a, b in itertools.pairwise(findings))


@pytest.mark.parametrize(
    "text",
    [
        "1" * 50_000,
        "0" * 50_000,
        "07700 " * 10_000,
        "x@" + "a-" * 25_000,
        ("a" * 70 + "@") * 700,
        "Jayden Smith " * 5_000 + "(15)",
        "J.S. (1" * 7_000,
        "born " * 10_000 + "3 April",
        "AB 12 " * 10_000,
        "Tom Smith, " * 5_000 + "15",
    ],
    ids=lambda t: f"{t[:12]!r}x{len(t)}",
)
def test_long_hostile_text_is_searched_to_the_end(text: str) -> None:
    """No regex here may backtrack over the whole text: a plan field may be megabytes long. One that
    did would hang here (pytest-timeout's limit in pyproject.toml fails it); bench/limits.py times
    these texts against a plain scan of the same text."""
    found = find_personal_data(text)
    assert [f.code for f in found] == (["YP307"] if text.startswith("Tom Smith") else [])


def generated_texts(actions: int) -> list[str]:
    """The strings of bench/generate.py's synthetic plan: titles, notes, evidence, ids, dates, owners."""
    spec = importlib.util.spec_from_file_location("bench_generate", REPO / "bench" / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = generate
    spec.loader.exec_module(generate)
    plans = generate.build_plans(actions, seed=1)
    texts: list[str] = [text for pair in plans.owners.values() for text in pair]
    for source in plans.sources:
        texts += [source.id, source.title, source.day.isoformat()]
        for rec in source.recommendations:
            texts += [rec.id, rec.text, rec.to, rec.owner, *rec.related]
            for action in rec.actions:
                texts += [action.id, action.title, action.owner, action.due.isoformat(), action.measure]
                texts += [u.note for u in action.updates] + [u.day.isoformat() for u in action.updates]
                texts += action.evidence
    return texts


def test_a_large_plan_takes_the_fast_path_for_text_without_digits() -> None:
    """40,000 texts of a large generated plan. A text without a digit or an `@` cannot hold personal
    data and is answered by one count of its digits; only texts with digits reach the patterns.
    Counted with cProfile, not timed (bench/limits.py times it: about 35 ms here)."""
    texts = generated_texts(6_000)[:40_000]
    assert len(texts) == 40_000
    with_digits = sum(any(c in "0123456789" for c in t) for t in texts)
    assert 10_000 < with_digits < 30_000  # ids and dates: both paths are taken
    profile = cProfile.Profile()
    profile.enable()
    results = [find_personal_data(t) for t in texts]
    profile.disable()
    assert results.count([]) == len(texts)
    calls = {name: count for (_, _, name), (_, count, *_) in pstats.Stats(profile).stats.items()}
    assert calls["find_personal_data"] == len(texts)
    assert calls["_postcodes"] == with_digits
    assert calls.get("_nhs_numbers", 0) <= sum(sum(c in "0123456789" for c in t) >= 10 for t in texts)
