"""`yotplan init`: a new plans folder that `yotplan check` passes, whatever the date.

It holds the service file (which service the plans are), the boards file (the board that
oversees the plan, with no meeting yet), an owners file, one example plan file and, in
`schema/`, the JSON Schemas that the files' `# yaml-language-server: $schema=...` lines point
at, for completion and checking in editors. The example's only action is not started and has no completion
date, so no error rule depends on the day (it becomes overdue, a warning, after its due
date).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from yotplan.edit.safe_write import create_file
from yotplan.errors import EditRefused
from yotplan.plans.json_schema import SCHEMAS, json_schema, render_schema
from yotplan.plans.loader import OWNERS_FILE, PLAN_SUFFIXES, display_path
from yotplan.plans.models import OWNER_KEY_PATTERN

EXAMPLE_FILE = "self-assessment.yaml"
SCHEMA_FOLDER = "schema"

_OWNERS = """\
# yaml-language-server: $schema=schema/owners.schema.json
# Owners are roles in agencies, never named people or children: the plan holds no personal
# data. Plan files refer to an owner by its key (yot-manager). Add one with:
#   yotplan add owner KEY --role "..." --agency "..."
owners:
  yot-manager:
    role: YOT Manager
    agency: Example Council

  board-chair:
    role: YOT Management Board Chair
    agency: YOT Management Board
"""

_EXAMPLE = """\
# yaml-language-server: $schema=schema/plan.schema.json
# One plan file per report (inspection, peer review, self-assessment, ...). Quote each
# recommendation in the report's own words, give it an owner, and actions with due dates.
# Change it with `yotplan update`, `yotplan log` and `yotplan add`, or by hand, then run
# `yotplan check`. Replace this example with your own report.
source:
  id: SA
  title: Example self-assessment
  kind: self-assessment
  date: {today}
recommendations:
  - id: SA-1
    text: Agree an action plan for every recommendation, with an owner and a due date for each action.
    to: YOT Management Board
    owner: board-chair
    actions:
      - id: SA-1.1
        title: Record the report's recommendations and their actions in this plans folder
        owner: yot-manager
        due: {due}
        status: not-started
        measure: Every recommendation has an owner and at least one action with a due date.
"""


_SERVICE = """\
# yaml-language-server: $schema=schema/service.schema.json
# Which youth justice service these plans belong to. The id is a short slug, shown in regional
# views (several services' plans side by side) and used as SERVICE:ID when ids repeat across
# services; the name is how the service calls itself, and heads every report.
"""

_BOARDS = """\
# yaml-language-server: $schema=schema/boards.schema.json
# The boards that oversee the plan, keyed by a short slug. A board signs recommendations off at a
# meeting, named BOARD@YYYY-MM-DD. Add a meeting with:
#   yotplan add meeting yot-board --date YYYY-MM-DD
# and another board with:
#   yotplan add board KEY --name "..." --chair OWNER
boards:
  yot-board:
    name: YOT Management Board
    chair: board-chair         # an owner key from owners.yaml: the chair is a role
"""

DEFAULT_SERVICE_NAME = "Example Youth Justice Service"


def service_id_for(folder: Path) -> str:
    """A service id for a new plans folder: the name of the folder that holds it, as a slug
    (what the plans would be called without a service file), else `service`."""
    holder = folder.resolve().parent.name.casefold()
    slug = "-".join("".join(c if c.isalnum() else " " for c in holder).split())
    return slug if slug and OWNER_KEY_PATTERN.fullmatch(slug) else "service"


def starter_files(today: date, service: tuple[str, str] = ("service", DEFAULT_SERVICE_NAME)) -> dict[str, str]:
    """The files of a new plans folder, by path relative to it; `service` is its (id, name)."""
    from yotplan.edit.roundtrip import dump_new

    return {
        "service.yaml": _SERVICE + dump_new({"id": service[0], "name": service[1]}),
        "boards.yaml": _BOARDS,
        OWNERS_FILE: _OWNERS,
        EXAMPLE_FILE: _EXAMPLE.format(today=today, due=today + timedelta(days=30)),
        **{f"{SCHEMA_FOLDER}/{kind}.schema.json": render_schema(json_schema(model)) for kind, model in SCHEMAS.items()},
    }


def create_plans_folder(
    folder: Path, today: date, service_id: str | None = None, service_name: str | None = None
) -> list[Path]:
    """Create the starter files in `folder` (made if missing); returns the paths created. The
    service is `service_id` (default: the holding folder's name) called `service_name`.

    Refuses, creating nothing, when the folder already holds YAML files or any starter file.
    """
    service = (service_id or service_id_for(folder), service_name or DEFAULT_SERVICE_NAME)
    if not OWNER_KEY_PATTERN.fullmatch(service[0]):
        raise EditRefused(f"{service[0]!r} is not a service id: use a short slug such as torbay or north-devon")
    try:
        files = {folder / name: text for name, text in starter_files(today, service).items()}
    except OverflowError:  # `--today 9999-12-31`: the example's due date would be past the last day
        raise EditRefused(f"{today} is too late a date to start a plan on; give --today a real date") from None
    if folder.exists() and not folder.is_dir():
        raise EditRefused(f"{display_path(folder)} is a file; `yotplan init` makes a new plans folder")
    existing_yaml = sorted(p.name for p in folder.glob("*") if p.suffix in PLAN_SUFFIXES) if folder.is_dir() else []
    clashes = [display_path(p) for p in files if p.exists()]
    if existing_yaml or clashes:
        found = ", ".join(existing_yaml or clashes)
        raise EditRefused(f"{display_path(folder)} already has {found}; `yotplan init` never overwrites a plan")
    created: list[Path] = []
    for path, text in files.items():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            create_file(path, text.encode("utf-8"))
        except FileExistsError:
            raise EditRefused(f"{display_path(path)} appeared while `init` was running; it was left as it is") from None
        except OSError as exc:
            raise EditRefused(f"cannot create {display_path(path)}: {exc.strerror or exc}") from None
        created.append(path)
    return created
