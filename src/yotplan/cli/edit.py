"""Editing commands: update, log, add (action, recommendation, owner) and init.

Each edit keeps the file as it was apart from the lines it changes, validates the whole
plan set as it would be, and writes atomically; see docs/editing.md.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from yotplan.choices import STATUSES
from yotplan.cli.app import GuardedGroup, YotplanTyper, app
from yotplan.cli.completion import (
    complete_action_ids,
    complete_owner_keys,
    complete_recommendation_ids,
    complete_source_ids,
)
from yotplan.cli.options import PlansDirs, PlansList, Today, resolve_today, usage_error
from yotplan.cli.output import print_notes, print_notice, print_problems, print_text
from yotplan.cli.reading import plans_folders
from yotplan.cli.written_values import (
    number_option,
    read_written_date,
    status_option,
    written_date_option,
)

if TYPE_CHECKING:
    from yotplan.edit.session import EditSession


DueDate = Annotated[
    date, written_date_option("--due", help="Due date (2022-12-31, 31/12/2022, March 2023, Q2 2023/24).")
]
OwnerKey = Annotated[
    str,
    typer.Option(
        "--owner", "-o", metavar="OWNER", help="Owner key from owners.yaml.", autocompletion=complete_owner_keys
    ),
]
Measure = Annotated[str | None, typer.Option("--measure", metavar="TEXT", help="How success will be judged.")]
NewId = Annotated[
    str | None, typer.Option("--id", metavar="ID", help="Use this id instead of the next free one (e.g. HMIP-3.4).")
]

add_app = YotplanTyper(
    cls=GuardedGroup,
    help="Add an action, a recommendation, an owner, an indicator, impact evidence or a meeting.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(add_app, name="add")


def apply_in(
    plans_dirs: list[Path] | None,
    plans_list: Path | None,
    today: date | None,
    edit: Callable[[EditSession, str], str],
    item_id: str | None = None,
) -> None:
    """Run one edit of the item `item_id` (`SERVICE:ID` among several services; None: an edit of
    one folder, such as adding an owner) in the folder that holds it, under its lock; say what it
    did, and show any warning it brought."""
    from yotplan.cli.settings import load_settings
    from yotplan.edit.operations import apply_edit

    folders = plans_folders(plans_dirs, plans_list)
    if item_id is None and len(folders) > 1:
        usage_error("this edit changes one service: give one --plans folder", "--plans")
    day = resolve_today(today)
    outcome = apply_edit(folders, item_id or "", day, edit, settings=load_settings(), on_wait=print_notice)
    print_notes(outcome.notes)
    print_text(outcome.summary + ("" if outcome.written else " (nothing written)") + "\n")
    if outcome.warnings:
        print_problems(outcome.warnings)


def text_option(name: str, *, help: str) -> typer.models.OptionInfo:
    """A free-text option (`--note`, `--reason`)."""
    return typer.Option(name, metavar="TEXT", help=help)  # type: ignore[no-any-return]


def _text(value: str, param: str) -> str:
    """A text option stripped, or a usage error when it is empty."""
    if not value.strip():
        usage_error("must not be empty", param)
    return value.strip()


ActionId = Annotated[
    str,
    typer.Argument(
        metavar="ACTION_ID",
        help="The action, any case (SERVICE:ID with several services).",
        autocompletion=complete_action_ids,
    ),
]


@app.command()
def update(
    action_id: ActionId,
    status: Annotated[
        str | None,
        status_option(
            "--status",
            help="New status: not-started, in-progress, blocked, done or dropped (or Complete, On track, ...).",
            statuses=STATUSES,
        ),
    ] = None,
    due: Annotated[
        str | None,
        typer.Option(
            "--due",
            metavar="DATE",
            help="New due date (2022-12-31, 31/12/2022, March 2023, Q2 2023/24), or TBC or ongoing; "
            "a later one needs --reason.",
        ),
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option("--owner", "-o", metavar="OWNER", help="New owner key.", autocompletion=complete_owner_keys),
    ] = None,
    completed: Annotated[
        date | None, written_date_option("--completed", help="Completion date (with --status done).")
    ] = None,
    measure: Annotated[
        str | None, typer.Option("--measure", metavar="TEXT", help='How success will be judged ("" removes it).')
    ] = None,
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            metavar="TEXT",
            help="Why; logged as a dated update. Needed to move --due later, and for blocked or dropped.",
        ),
    ] = None,
    plans_dirs: PlansDirs = None,
    plans_list: PlansList = None,
    today: Today = None,
) -> None:
    """Change an action's status, due date, owner, completion or measure.

    --status done records today as the completion date unless --completed gives one; any other status removes it.
    Moving the due date later, blocking or dropping an action need --reason, logged as a dated update.
    Only the changed lines change.

    Example: yotplan update HMIP-1.1 --due 2022-09-30 --reason "CAMHS post vacant until August"
    """
    if status is None and due is None and owner is None and completed is None and measure is None:
        usage_error("nothing to change: give --status, --due, --owner, --completed or --measure", "ACTION_ID")
    from yotplan.edit.operations import ActionChanges, update_action

    due_day, undated = read_written_date(due, "--due") if due is not None else (None, None)
    changes = ActionChanges(
        status=status,
        due=due_day,
        undated=undated,
        owner=owner,
        completed=completed,
        measure=measure.strip() if measure is not None else None,
        reason=_text(reason, "--reason") if reason is not None else None,
    )
    apply_in(plans_dirs, plans_list, today, lambda session, bare: update_action(session, bare, changes), action_id)


@app.command()
def log(
    action_id: ActionId,
    note: Annotated[str, typer.Argument(metavar="NOTE", help="What happened, in a sentence or two.")],
    on: Annotated[
        date | None, written_date_option("--date", help="Date of the update (default: today; not later).")
    ] = None,
    evidence: Annotated[
        list[str] | None,
        typer.Option("--evidence", "-e", metavar="TEXT", help="A quote or link that shows it; repeatable."),
    ] = None,
    plans_dirs: PlansDirs = None,
    plans_list: PlansList = None,
    today: Today = None,
) -> None:
    """Add a dated progress note (and evidence) to an action.

    Recommendations have no updates of their own: log progress on their actions.

    Example: yotplan log HMIP-1.1 "CAMHS attended the June Board" --date 2022-06-14 --evidence "Board minutes, 14 June"
    """
    from yotplan.edit.operations import log_progress

    text = _text(note, "NOTE")
    quotes = [_text(quote, "--evidence") for quote in evidence or ()]
    apply_in(
        plans_dirs, plans_list, today, lambda session, bare: log_progress(session, bare, text, on, quotes), action_id
    )


@add_app.command("action")
def add_action(
    rec_id: Annotated[
        str,
        typer.Argument(
            metavar="RECOMMENDATION_ID",
            help="The recommendation it answers (SERVICE:ID with several services).",
            autocompletion=complete_recommendation_ids,
        ),
    ],
    title: Annotated[str, typer.Option("--title", metavar="TEXT", help="What will be done.")],
    owner: OwnerKey,
    due: DueDate,
    measure: Measure = None,
    status: Annotated[
        str, status_option("--status", help="Status (done records today).", statuses=STATUSES)
    ] = "not-started",
    action_id: NewId = None,
    plans_dirs: PlansDirs = None,
    plans_list: PlansList = None,
    today: Today = None,
) -> None:
    """Append an action to a recommendation, with the next free id.

    HMIP-3.4 follows HMIP-3.3; an id given with --id starts with the recommendation's id.

    Example: yotplan add action HMIP-3 --title "Audit ten case files" --owner yot-manager --due 2022-09-30
    """
    from yotplan.edit.operations import NewAction
    from yotplan.edit.operations import add_action as add

    new = NewAction(_text(title, "--title"), owner, due, _optional(measure), status, action_id)
    apply_in(plans_dirs, plans_list, today, lambda session, bare: add(session, bare, new), rec_id)


@add_app.command("recommendation")
def add_recommendation(
    source: Annotated[
        str,
        typer.Option(
            "--source",
            "-s",
            metavar="SOURCE",
            help="Source id of the plan file.",
            autocompletion=complete_source_ids,
        ),
    ],
    text: Annotated[str, typer.Option("--text", metavar="TEXT", help="The recommendation, verbatim from the report.")],
    owner: OwnerKey,
    action_title: Annotated[str, typer.Option("--action-title", metavar="TEXT", help="Title of its first action.")],
    action_due: Annotated[date, written_date_option("--action-due", help="Due date of its first action.")],
    action_owner: Annotated[
        str | None,
        typer.Option(
            "--action-owner",
            metavar="OWNER",
            help="Owner of its first action (default: --owner).",
            autocompletion=complete_owner_keys,
        ),
    ] = None,
    to: Annotated[str | None, typer.Option("--to", metavar="TEXT", help="To whom the report addressed it.")] = None,
    rec_id: NewId = None,
    plans_dirs: PlansDirs = None,
    plans_list: PlansList = None,
    today: Today = None,
) -> None:
    """Append a recommendation, with its first action, to a source's plan file.

    A recommendation needs at least one action, so the first one is added with it.

    Its id continues the source's pattern (HMIP-9 after HMIP-8, LGA-k after LGA-j); give --id when there is none.

    Example: yotplan add recommendation -s HMIP --text "..." -o yot-manager --action-title "..." --action-due 2022-10-31
    """
    from yotplan.edit.operations import NewAction
    from yotplan.edit.operations import add_recommendation as add

    first = NewAction(_text(action_title, "--action-title"), action_owner or owner, action_due)
    body = _text(text, "--text")
    apply_in(
        plans_dirs, plans_list, today, lambda s, _: add(s, source, body, owner, first, to=_optional(to), rec_id=rec_id)
    )


@add_app.command("owner")
def add_owner(
    key: Annotated[str, typer.Argument(metavar="KEY", help="Short key, e.g. yot-manager (letters, digits, - _ .).")],
    role: Annotated[str, typer.Option("--role", metavar="TEXT", help="The role, never a person's name.")],
    agency: Annotated[str, typer.Option("--agency", metavar="TEXT", help="The agency the role belongs to.")],
    contact: Annotated[
        str | None, typer.Option("--contact", metavar="TEXT", help="A team mailbox or phone, not a person's.")
    ] = None,
    plans_dirs: PlansDirs = None,
    plans_list: PlansList = None,
    today: Today = None,
) -> None:
    """Add an owner (a role in an agency) to owners.yaml.

    Example: yotplan add owner youth-worker-lead --role "Lead Youth Worker" --agency "Torbay Council"
    """
    from yotplan.edit.operations import add_owner as add
    from yotplan.plans.models import OWNER_KEY_PATTERN

    if not OWNER_KEY_PATTERN.fullmatch(key):
        usage_error(f"{key!r} is not a key: use letters, digits, '-', '_' or '.', e.g. yot-manager", "KEY")
    role_text, agency_text = _text(role, "--role"), _text(agency, "--agency")
    apply_in(
        plans_dirs, plans_list, today, lambda session, _: add(session, key, role_text, agency_text, _optional(contact))
    )


@add_app.command("indicator")
def add_indicator(
    rec_id: Annotated[
        str,
        typer.Argument(
            metavar="RECOMMENDATION_ID",
            help="The recommendation whose impact it shows.",
            autocompletion=complete_recommendation_ids,
        ),
    ],
    indicator_id: Annotated[str, typer.Option("--id", metavar="ID", help="A new id, e.g. HMIP-1-camhs-attendance.")],
    name: Annotated[str, text_option("--name", help="What is measured.")],
    unit: Annotated[str, text_option("--unit", help='What a value counts, e.g. "%" or "meetings".')],
    better: Annotated[
        Literal["higher", "lower"], typer.Option("--better", metavar="[higher|lower]", help="Which way is better.")
    ],
    target_value: Annotated[float, number_option("--target", help="The value to reach.")],
    target_date: Annotated[date, written_date_option("--target-date", help="By when.")],
    baseline: Annotated[
        float | None, number_option("--baseline", help="Where it started (leave out if unknown).")
    ] = None,
    baseline_date: Annotated[
        date | None, written_date_option("--baseline-date", help="When the baseline was measured.")
    ] = None,
    plans_dirs: PlansDirs = None,
    plans_list: PlansList = None,
    today: Today = None,
) -> None:
    """Add an indicator: a number, with a baseline and a target, that shows the impact.

    Example: yotplan add indicator HMIP-1 --id HMIP-1-camhs --name "CAMHS at Board meetings" \\
      --unit % --better higher --target 100 --target-date 2023-03-31
    """
    from yotplan.edit.operations import NewIndicator
    from yotplan.edit.operations import add_indicator as add

    if (baseline is None) != (baseline_date is None):
        usage_error("give --baseline and --baseline-date together (or neither, when no number is known)", "--baseline")
    new = NewIndicator(
        indicator_id.strip(),
        _text(name, "--name"),
        _text(unit, "--unit"),
        better,
        (target_date, _number(target_value)),
        (baseline_date, _number(baseline)) if baseline is not None and baseline_date is not None else None,
    )
    apply_in(plans_dirs, plans_list, today, lambda session, bare: add(session, bare, new), rec_id)


@add_app.command("impact")
def add_impact(
    rec_id: Annotated[
        str,
        typer.Argument(
            metavar="RECOMMENDATION_ID",
            help="The recommendation that made the difference.",
            autocompletion=complete_recommendation_ids,
        ),
    ],
    text: Annotated[str, text_option("--text", help="What changed for children, in a sentence or two.")],
    on: Annotated[
        date | None, written_date_option("--date", help="When it was seen (default: today; not later).")
    ] = None,
    evidence: Annotated[
        list[str] | None,
        typer.Option("--evidence", "-e", metavar="TEXT", help="A quote, link or paper that shows it; repeatable."),
    ] = None,
    plans_dirs: PlansDirs = None,
    plans_list: PlansList = None,
    today: Today = None,
) -> None:
    """Record evidence that a recommendation made a difference for children (not a number).

    A delivered recommendation with no indicator can be signed off once it has impact evidence.

    Example: yotplan add impact HMIP-6 --date 2023-03-14 --text "Audit of 20 cases: every child assessed" \
      --evidence "Board paper 5, March 2023"
    """
    from yotplan.edit.operations import add_impact as add

    said = _text(text, "--text")
    quotes = [_text(quote, "--evidence") for quote in evidence or ()]
    apply_in(plans_dirs, plans_list, today, lambda session, bare: add(session, bare, said, on, quotes), rec_id)


@add_app.command("board")
def add_board(
    key: Annotated[str, typer.Argument(metavar="KEY", help="A short slug for the board, e.g. yot-board.")],
    name: Annotated[str, text_option("--name", help="The board's name, e.g. YOT Management Board.")],
    chair: Annotated[
        str | None,
        typer.Option("--chair", metavar="OWNER", help="Its chair: an owner key.", autocompletion=complete_owner_keys),
    ] = None,
    plans_dirs: PlansDirs = None,
    plans_list: PlansList = None,
    today: Today = None,
) -> None:
    """Add a board that oversees the plan to boards.yaml (made if missing).

    Example: yotplan add board yot-board --name "YOT Management Board" --chair board-chair
    """
    from yotplan.edit.operations import add_board as add

    said = _text(name, "--name")
    apply_in(plans_dirs, plans_list, today, lambda session, _: add(session, key.strip(), said, _optional(chair)))


class KindChoice(StrEnum):
    """The kinds of report of yotplan.plans.models.SOURCE_KINDS."""

    inspection = "inspection"
    peer_review = "peer-review"
    improvement_review = "improvement-review"
    self_assessment = "self-assessment"
    other = "other"


@add_app.command("source")
def add_source(
    source_id: Annotated[str, typer.Argument(metavar="SOURCE_ID", help="A short id for the report, e.g. HMIP.")],
    title: Annotated[str, text_option("--title", help="The report's title.")],
    kind: Annotated[KindChoice, typer.Option("--kind", help="What kind of report it is.")],
    on: Annotated[date | None, written_date_option("--date", help="The report's date.")] = None,
    url: Annotated[str | None, text_option("--url", help="Where the report is published.")] = None,
    file: Annotated[
        str | None, typer.Option("--file", metavar="NAME", help="The new plan file (default: the id, .yaml).")
    ] = None,
    plans_dirs: PlansDirs = None,
    plans_list: PlansList = None,
    today: Today = None,
) -> None:
    """Start a plan file for a new report; add its recommendations with `add recommendation`.

    Example: yotplan add source HMIP --title "Inspection of youth justice services" --kind inspection --date 2024-02-01
    """
    from yotplan.edit.operations import NewSource
    from yotplan.edit.operations import add_source as add

    new = NewSource(source_id, _text(title, "--title"), kind.value, on, _optional(url), _optional(file))
    apply_in(plans_dirs, plans_list, today, lambda session, _: add(session, new))


@add_app.command("meeting")
def add_meeting(
    board: Annotated[str, typer.Argument(metavar="BOARD", help="The board's key in boards.yaml, e.g. yot-board.")],
    day: Annotated[date, written_date_option("--date", help="The day it meets.")],
    ref: Annotated[str | None, text_option("--ref", help="Its agenda or paper number.")] = None,
    plans_dirs: PlansDirs = None,
    plans_list: PlansList = None,
    today: Today = None,
) -> None:
    """Add a meeting of a board to boards.yaml; sign-offs name it BOARD@YYYY-MM-DD.

    Example: yotplan add meeting yot-board --date 2023-03-14 --ref "Item 5"
    """
    from yotplan.edit.operations import add_meeting as add

    apply_in(plans_dirs, plans_list, today, lambda session, _: add(session, board, day, _optional(ref)))


def _number(value: float) -> float:
    """A whole number as an int, so the file says 75, not 75.0."""
    return int(value) if value.is_integer() else value


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(metavar="[DIR]", help="The new plans folder (default: plans).")] = Path(
        "plans"
    ),
    service: Annotated[
        str | None,
        typer.Option("--service", metavar="ID", help="The service's short id (default: the holding folder's name)."),
    ] = None,
    service_name: Annotated[
        str | None, text_option("--service-name", help="The service's name, as its reports are headed.")
    ] = None,
    today: Today = None,
) -> None:
    """Start a plans folder that passes check.

    It holds service.yaml (which service), boards.yaml (the YOT Management Board, no meeting yet),
    an owners file, one example plan and the editors' JSON Schemas, each file with comments that say
    how to change it.

    Never overwrites anything; `yotplan check` passes on the result.

    Example: yotplan init plans --service torbay --service-name "Torbay Youth Justice Service"
    """
    from yotplan.edit.scaffold import create_plans_folder
    from yotplan.plans.loader import display_path

    created = create_plans_folder(folder, resolve_today(today), _optional(service), _optional(service_name))
    print_text("".join(f"created {display_path(path)}\n" for path in created))
    print_text(
        f"next: edit {display_path(folder)}/owners.yaml, then run `yotplan check --plans {display_path(folder)}`\n"
    )


def _optional(value: str | None) -> str | None:
    """An optional text option, stripped; empty means not given."""
    return (value.strip() or None) if value is not None else None
