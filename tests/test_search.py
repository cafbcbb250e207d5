"""`yotplan search`: all words, anywhere, in any case; every format; hostile text; the query itself."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from yotplan.plans.loader import is_plan_file_name, load_plans
from yotplan.plans.planset import PlanSet
from yotplan.render.search import count_line, marked_snippet
from yotplan.views.queries import Filters
from yotplan.views.search import (
    ELLIPSIS,
    SNIPPET_MAX,
    SearchResult,
    _may_hold,
    _spans,
    fold,
    fold_with_offsets,
    make_snippet,
    query_words,
    search_plans,
)

from conftest import REPO, SHIPPED_PLANS, Invoke

Golden = Callable[[str, str], None]
TODAY = "2022-10-01"
ANSI = re.compile(r"\x1b\[")
CAMHS_ACTIONS = ["HMIP-1.1", "HMIP-1.2", "IR-3.1", "LGA-a.3"]


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


@pytest.fixture(scope="module")
def shipped() -> PlanSet:
    result = load_plans(SHIPPED_PLANS)
    assert result.problems == []
    return result.plans


def search(cli: Invoke, *args: str | Path, plans: Path = Path("plans")) -> Any:
    result = cli("search", *args, "--plans", plans, "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result


def search_json(cli: Invoke, *args: str | Path, plans: Path = Path("plans")) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(search(cli, *args, "--format", "json", plans=plans).stdout)["matches"]
    return data


# Through the command line, on the shipped plans --------------------------------------------


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (("camhs",), "search-camhs.txt"),
        (("camhs", "--format", "json"), "search-camhs.json"),
        (("camhs", "--format", "markdown"), "search-camhs-markdown.txt"),
        (("camhs", "--format", "csv"), "search-camhs-csv.txt"),
        (("board", "chair"), "search-board-chair.txt"),
    ],
)
def test_output_matches_golden(cli: Invoke, golden: Golden, args: tuple[str, ...], name: str) -> None:
    golden(name, search(cli, *args).stdout)


def test_camhs_finds_the_actions_by_title_update_measure_evidence_and_owner(cli: Invoke) -> None:
    hits = {h["id"]: h for h in search_json(cli, "camhs")}
    assert list(hits) == CAMHS_ACTIONS  # plan order: files by name, then position
    assert {h["kind"] for h in hits.values()} == {"action"}
    assert hits["HMIP-1.1"]["field"] == "title"
    assert hits["HMIP-1.1"]["fields"] == [
        "title",
        "measure",
        "update 2022-05-06",
        "evidence 1",
        "owner",
        "owner role",
        "owner agency",
    ]
    assert hits["HMIP-1.2"]["field"] == "update 2022-05-06"
    assert {"evidence 1", "owner role"} <= set(hits["HMIP-1.2"]["fields"])
    assert hits["LGA-a.3"]["field"] == "measure"
    assert hits["LGA-a.3"]["recommendation"] == "LGA-a"
    assert hits["LGA-a.3"]["source"] == "LGA"
    for hit in hits.values():
        assert hit["text"][hit["start"] : hit["end"]].casefold() == "camhs"
        assert "CAMHS" in hit["snippet"]


def test_an_action_matches_on_its_owners_role_and_agency(cli: Invoke) -> None:
    by_role = search_json(cli, "representative")  # only in camhs-lead's role
    assert [(h["id"], h["field"], h["text"]) for h in by_role] == [
        ("HMIP-1.1", "owner role", "CAMHS representative on the YOT Management Board"),
        ("HMIP-1.2", "owner role", "CAMHS representative on the YOT Management Board"),
    ]
    by_agency = search_json(cli, "NHS")
    assert [(h["id"], h["field"]) for h in by_agency] == [("HMIP-1.1", "owner agency"), ("HMIP-1.2", "owner agency")]
    by_key = search_json(cli, "council-chief-executive")
    assert [(h["id"], h["field"]) for h in by_key] == [("IR-1.1", "owner")]


def test_psychologist_finds_the_action_by_its_title(cli: Invoke) -> None:
    out = search(cli, "psychologist").stdout
    assert "HMIP-1.2" in out
    assert "Secure a full-time psychologist" in out
    assert out.splitlines()[-1] == "1 match in 1 action"
    (hit,) = search_json(cli, "psychologist")
    assert (hit["id"], hit["field"], hit["start"], hit["end"]) == ("HMIP-1.2", "title", 19, 31)


def test_every_word_must_occur_but_may_be_in_different_fields(cli: Invoke) -> None:
    (hit,) = search_json(cli, "quorate", "NHS")  # the update says quorate; only the owner's agency says NHS
    assert hit["id"] == "HMIP-1.1"
    assert hit["field"] == "update 2022-05-06"  # where the first word matched
    assert hit["fields"] == ["update 2022-05-06", "evidence 1", "owner agency"]
    assert hit["text"][hit["start"] : hit["end"]] == "quorate"
    (reversed_,) = search_json(cli, "NHS", "quorate")
    assert reversed_["field"] == "owner agency"
    assert search(cli, "psychologist", "quorate").stdout == "no matches for 'psychologist quorate'\n"


def test_board_chair_prefers_a_field_that_holds_both_words(cli: Invoke) -> None:
    hits = {h["id"]: h for h in search_json(cli, "board", "chair")}
    assert hits["HMIP-3.1"]["field"] == "update 2022-05-06"  # its title has neither word
    assert "Board Chair" in hits["HMIP-3.1"]["snippet"]
    assert hits["LGA-a.1"]["field"] == "title"
    assert hits["HMIP-1"]["field"] == "owner"  # yot-board-chair
    assert hits["HMIP-1"]["kind"] == "recommendation"
    assert "HMIP-1.2" not in hits  # Board, but no Chair
    out = search(cli, "board", "chair").stdout
    assert out.splitlines()[-1] == f"{len(hits)} matches in 16 actions and 6 recommendations"


@pytest.mark.parametrize("query", [("CAMHS Board",), ("camhs", "board"), ("cAmHs", "BOARD"), ("  board ", "Camhs")])
def test_case_and_how_the_words_are_given_do_not_matter(cli: Invoke, query: tuple[str, ...]) -> None:
    hits = search_json(cli, *query)
    assert [h["id"] for h in hits] == CAMHS_ACTIONS
    assert hits[1]["field"] == "owner role"  # HMIP-1.2: "CAMHS representative on the YOT Management Board"


def test_words_match_inside_words_and_ids_in_any_case(cli: Invoke) -> None:
    assert [h["id"] for h in search_json(cli, "chairperson")] == ["HMIP-3.1", "LGA-d.1"]
    hits = search_json(cli, "hmip-3")
    assert [(h["id"], h["field"]) for h in hits[:3]] == [("HMIP-3", "id"), ("HMIP-3.1", "id"), ("HMIP-3.2", "id")]


def test_a_word_that_matches_nothing_says_so_and_exits_0(cli: Invoke) -> None:
    result = search(cli, "xyzzy")
    assert result.stdout == "no matches for 'xyzzy'\n"
    assert json.loads(search(cli, "xyzzy", "-f", "json").stdout) == {"query": "xyzzy", "matches": [], "problems": []}
    assert search(cli, "xyzzy", "-f", "csv").stdout == "id,kind,field,snippet\n"
    assert search(cli, " camhs ", "xyzzy  ").stdout == "no matches for 'camhs xyzzy'\n"  # every word must occur


def test_filters_by_source_and_owner(cli: Invoke) -> None:
    assert [h["id"] for h in search_json(cli, "camhs", "--source", "lga")] == ["LGA-a.3"]
    assert [h["id"] for h in search_json(cli, "camhs", "-s", "HMIP", "-s", "IR")] == CAMHS_ACTIONS[:3]
    assert [h["id"] for h in search_json(cli, "camhs", "--owner", "camhs-lead")] == ["HMIP-1.1", "HMIP-1.2"]
    owned = search_json(cli, "board", "--owner", "yot-board-chair")
    assert owned
    assert "HMIP-1" in [h["id"] for h in owned]
    assert "HMIP-1.1" not in [h["id"] for h in owned]  # the Board's, but owned by camhs-lead


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("camhs", "--source", "HMPI"), "'HMPI' is not known (did you mean 'HMIP'?)"),
        (("camhs", "--owner", "camhs-led"), "did you mean 'camhs-lead'?"),
        (("",), "give at least one word to search for"),
        (("  ", " "), "give at least one word to search for"),
        (("--format", "xml", "camhs"), "Invalid value for '--format'"),
        ((), "Missing argument 'TEXT'"),
    ],
)
def test_bad_command_lines_exit_2(cli: Invoke, args: tuple[str, ...], words: str) -> None:
    result = cli("search", *args, "--plans", "plans")
    assert result.exit_code == 2
    assert words in result.stderr
    assert result.stdout == ""


def test_every_format_has_the_same_rows(cli: Invoke) -> None:
    as_json = search_json(cli, "camhs")
    assert [list(h) for h in as_json] == [
        ["id", "kind", "recommendation", "source", "field", "fields", "text", "start", "end", "snippet", "service"]
    ] * len(as_json)
    rows = list(csv.DictReader(io.StringIO(search(cli, "camhs", "-f", "csv").stdout)))
    assert [(r["id"], r["kind"], r["field"]) for r in rows] == [(h["id"], h["kind"], h["field"]) for h in as_json]
    assert [r["snippet"] for r in rows] == [" ".join(h["text"].split()) for h in as_json]  # the whole field
    markdown = search(cli, "camhs", "-f", "markdown").stdout.splitlines()
    assert markdown[:2] == ["| id | kind | field | snippet |", "| --- | --- | --- | --- |"]
    assert [line.split(" | ")[0].removeprefix("| ") for line in markdown[2:]] == CAMHS_ACTIONS
    assert "**" not in "\n".join(markdown)  # matches are not marked in markdown
    table = search(cli, "camhs").stdout
    assert all(i in table for i in CAMHS_ACTIONS)
    assert table.splitlines()[-1] == "4 matches in 4 actions"


def test_the_table_marks_the_matches_in_bold(cli: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.delenv("TERM")
    monkeypatch.setenv("FORCE_COLOR", "1")
    out = search(cli, "psychologist").stdout
    assert "\x1b[1mpsychologist\x1b[0m" in out


@pytest.mark.parametrize("width", [40, 80, 120])
def test_the_table_fits_the_terminal(cli: Invoke, monkeypatch: pytest.MonkeyPatch, width: int) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    out = search(cli, "camhs").stdout
    assert max(len(line) for line in out.splitlines()) <= width
    assert all(f" {i} " in out for i in CAMHS_ACTIONS)  # ids are never cut


# Hostile text -------------------------------------------------------------------------------


@pytest.fixture
def hostile(plans: Path) -> Path:
    path = plans / "hmip-inspection.yaml"
    title = "        title: Secure regular CAMHS attendance at the YOT Management Board\n"
    evil = '        title: "Clear \\e[2J the **bold** [red]CAMHS[/] \\e]0;owned\\a screen"\n'
    text = path.read_text(encoding="utf-8")
    assert title in text
    path.write_text(text.replace(title, evil), encoding="utf-8")
    return plans


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
def test_control_characters_never_reach_the_output_raw(cli: Invoke, hostile: Path, fmt: str) -> None:
    out = search(cli, "bold", "-f", fmt, plans=hostile).stdout
    assert "HMIP-1.1" in out
    assert "\x1b" not in out
    assert "\x07" not in out
    if fmt == "markdown":
        assert r"\*\*bold\*\*" in out
        assert r"\[red\]CAMHS\[/\]" in out
    if fmt in ("table", "csv"):
        assert "\\x1b[2J the **bold** [red]CAMHS[/]" in out  # shown as typed, not read as markup
    if fmt == "json":
        (hit,) = json.loads(out)["matches"]
        assert hit["text"].startswith("Clear \x1b[2J the **bold**")  # the data is exact
        assert hit["text"][hit["start"] : hit["end"]] == "bold"


def test_a_hostile_query_is_shown_harmless(cli: Invoke) -> None:
    result = search(cli, "\x1b]0;owned\x07")
    assert "\x1b" not in result.stdout
    assert result.stdout == "no matches for '\\x1b]0;owned\\x07'\n"


def test_escape_sequences_in_plans_can_be_searched(cli: Invoke, hostile: Path) -> None:
    (hit,) = search_json(cli, "[2j", plans=hostile)
    assert hit["text"][hit["start"] : hit["end"]] == "[2J"


# show's hint --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("camhs", "; `yotplan status` lists the ids; search for it with `yotplan search camhs`"),
        ("board chair", "; search for it with `yotplan search board chair`"),
        ("hmip", "; did you mean HMIP-8, HMIP-7, HMIP-6? Or search for it with `yotplan search hmip`"),
    ],
)
def test_show_suggests_search_for_words(cli: Invoke, text: str, hint: str) -> None:
    result = cli("show", text, "--plans", "plans")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"yotplan: error: no recommendation or action has id {text!r}")
    assert result.stderr.rstrip("\n").endswith(hint)


@pytest.mark.parametrize("text", ["HMIP-9", "LGA-z", "IR-1.9", " HMIP-99 "])
def test_show_does_not_suggest_search_for_an_id(cli: Invoke, text: str) -> None:
    result = cli("show", text, "--plans", "plans")
    assert result.exit_code == 1
    assert "did you mean" in result.stderr
    assert "yotplan search" not in result.stderr


# The query, directly --------------------------------------------------------------------------


def independent_search(words: list[str]) -> list[str]:
    """The ids holding every word (lower case, ASCII plans) in some field, by plain PyYAML: the oracle."""
    owners = yaml.safe_load((SHIPPED_PLANS / "owners.yaml").read_text(encoding="utf-8"))["owners"]

    def owner_texts(key: str) -> list[str]:
        return [key, owners[key]["role"], owners[key]["agency"]]

    ids = []
    for path in sorted(SHIPPED_PLANS.glob("*.yaml")):
        if not is_plan_file_name(path.name):
            continue
        for rec in yaml.safe_load(path.read_text(encoding="utf-8"))["recommendations"]:
            items = [(rec["id"], [rec["id"], rec["text"], rec.get("to") or "", *owner_texts(rec["owner"])])]
            for a in rec["actions"]:
                notes = [u["note"] for u in a.get("updates", [])]
                texts = [a["id"], a["title"], a.get("measure") or "", *notes, *a.get("evidence", [])]
                items.append((a["id"], texts + owner_texts(a["owner"])))
            for item_id, texts in items:
                folded = [" ".join(t.lower().replace("-", " ").split()) for t in texts]
                if all(any(w in f for f in folded) for w in words):
                    ids.append(item_id)
    return ids


@pytest.mark.parametrize(
    "query", ["camhs", "board chair", "yot", "review found", "out-of-court", "data analyst", "the", "torbay council"]
)
def test_the_query_agrees_with_an_independent_reading(shipped: PlanSet, query: str) -> None:
    result = search_plans(shipped, [query])
    expected = independent_search([fold(w) for w in query.split()])
    assert expected
    assert [h.id for h in result.hits] == expected
    for hit in result.hits:
        assert hit.field in hit.fields
        assert fold(hit.text[hit.start : hit.end]) in result.words
        for start, end in hit.marks:
            assert fold(hit.snippet[start:end]) in result.words


def test_the_query_returns_view_values(shipped: PlanSet) -> None:
    result = search_plans(shipped, ["Board Chair"], Filters(sources=("HMIP",)))
    assert isinstance(result, SearchResult)
    assert result.words == ("board", "chair")
    assert [h.id for h in result.hits] == ["HMIP-1", "HMIP-1.1", "HMIP-2", "HMIP-2.1", "HMIP-3.1", "HMIP-4", "HMIP-4.2"]
    assert (result.actions, result.recommendations) == (4, 3)
    assert count_line(result) == "7 matches in 4 actions and 3 recommendations"
    assert search_plans(shipped, ()).hits == []


def test_the_snippet_is_bold_where_the_words_matched(shipped: PlanSet) -> None:
    (hit,) = search_plans(shipped, ["psychologist"]).hits
    text = marked_snippet(hit)
    bold = [text.plain[s.start : s.end] for s in text.spans if s.style == "bold"]
    assert bold == ["psychologist"]


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("out-of-court", "Out of Court"),
        ("out of court", "out-of-court"),
        ("children's", "children’s"),
        ("“board”", '"Board"'),
        ("cafe", "Café"),
        ("CAFÉ", "cafe\u0301"),
        ("strasse", "Straße"),
        ("camhs-led", "CAMHS–led"),
        ("re-offending", "re\u2011offending"),
        ("disentangled", "disen\u00adtangled"),
        ("two words", "two\n   words"),
        ("ﬁnance", "finance"),
        ("naive", "nai¨ve"),
    ],
)
def test_folding_forgives_how_text_was_typed_or_pasted(typed: str, written: str) -> None:
    assert fold(typed) in fold(written)
    folded, where = fold_with_offsets(f"x {written} y")
    assert len(folded) == len(where)
    assert fold(f"x {written} y") == folded


def test_folding_keeps_what_matters() -> None:
    assert fold("camhs") not in fold("CAMH S")
    assert fold("1.2") not in fold("1 2")
    assert query_words(["", "  ", "—", "\u00ad"]) == ()  # nothing to find
    assert query_words(["Board  board", "BOARD"]) == ("board",)


def test_offsets_point_into_the_original_text(plans: Path) -> None:
    path = plans / "hmip-inspection.yaml"
    title = "        title: Secure regular CAMHS attendance at the YOT Management Board\n"
    pasted = "        title: “Réunion” of the CAMHS‑led Straße Board\n"
    path.write_text(path.read_text(encoding="utf-8").replace(title, pasted), encoding="utf-8")
    loaded = load_plans(plans)
    assert loaded.problems == []
    for typed, original in [("reunion", "Réunion"), ("camhs-led", "CAMHS‑led"), ("strasse", "Straße")]:
        (hit,) = search_plans(loaded.plans, [typed]).hits
        assert hit.field == "title"
        assert hit.text[hit.start : hit.end] == original
        (mark,) = hit.marks
        assert hit.snippet[mark[0] : mark[1]] == original


def test_snippets_are_one_line_cut_at_word_boundaries() -> None:
    words = [f"word{n:02}" for n in range(60)]
    text = " ".join(words[:30]) + "\n  target \t" + " ".join(words[30:])
    start = text.index("target")
    snippet, marks = make_snippet(text, [(start, start + 6)])
    assert snippet.startswith(ELLIPSIS)
    assert snippet.endswith(ELLIPSIS)
    assert "\n" not in snippet
    assert "\t" not in snippet
    assert "  " not in snippet
    assert set(snippet.strip(ELLIPSIS).split()) <= {*words, "target"}  # no word cut in two
    assert [snippet[s:e] for s, e in marks] == ["target"]
    assert len(snippet) <= SNIPPET_MAX
    whole, whole_marks = make_snippet("the target", [(4, 10)])
    assert (whole, whole_marks) == ("the target", ((4, 10),))


def test_a_later_match_is_brought_into_the_snippet(shipped: PlanSet) -> None:
    text = "alpha " + "filler " * 8 + "omega and more words after it, a good many of them, to be cut off here"
    alpha, omega = (0, 5), (text.index("omega"), text.index("omega") + 5)
    snippet, marks = make_snippet(text, [alpha, omega])
    assert [snippet[s:e] for s, e in marks] == ["alpha", "omega"]
    punctuated = text.replace("omega and", "omega, and")
    snippet, marks = make_snippet(punctuated, [alpha, (omega[0], omega[1])])
    assert [snippet[s:e] for s, e in marks] == ["alpha", "omega"]
    assert "omega," in snippet


TEXT = st.text(alphabet="abcAB -\n\t\x0b\x1f\x1b\u2028\xa0\u00a8–’'é\u0301ßﬁ\u00ad.x", max_size=200)


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(text=TEXT, cut=st.tuples(st.integers(0, 200), st.integers(1, 8)))
def test_folding_fast_and_slow_agree_and_spans_point_at_the_word(text: str, cut: tuple[int, int]) -> None:
    folded, where = fold_with_offsets(text)
    assert fold(text) == folded  # the ASCII fast path folds as the general one does
    assert len(where) == len(folded)
    word = fold(text[cut[0] : cut[0] + cut[1]])
    spans = _spans(text, [word]) if word else ()
    assert bool(spans) == bool(word and word in folded)
    for start, end in spans:
        assert fold(text[start:end]) == word
    if spans:
        snippet, marks = make_snippet(text, spans)
        assert "\n" not in snippet
        assert "\t" not in snippet
        assert marks
        assert all(word in fold(snippet[s:e]) or fold(snippet[s:e]) in word for s, e in marks)


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(texts=st.lists(TEXT, min_size=1, max_size=3), word=TEXT)
def test_the_quick_check_agrees_with_folding_each_field(texts: list[str], word: str) -> None:
    words = query_words([word]) or ("a",)
    expected = all(any(w in fold(t) for t in texts) for w in words)
    assert _may_hold(words, texts, "") == expected
