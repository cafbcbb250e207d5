"""requests.yaml: who was asked for updates, when, about which actions, and by when; and from
the plans, who has returned their form since.

An owner counts as returned once any action they were asked about has an update noted
"returned by ROLE, DATE" (what `apply-updates` writes) dated on or after the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from yotplan.edit.roundtrip import dump_new
from yotplan.errors import YotplanError
from yotplan.plans.planset import PlanSet
from yotplan.plans.strict_yaml import YamlProblem, parse_yaml
from yotplan.updates.cycle import Round

REQUESTS_FILE = "requests.yaml"


class RequestsUnreadable(YotplanError):
    """requests.yaml is missing or not what request-updates wrote."""


def requests_text(round_: Round, forms: dict[str, str]) -> str:
    """requests.yaml for a round; `forms` maps owner keys to their form's file name."""
    owners: dict[str, Any] = {}
    for request in round_.requests:
        owners[request.key] = {
            "role": request.role,
            "email": request.email,
            "form": forms.get(request.key),
            "actions": [a.id for a in request.actions],
        }
    data: dict[str, Any] = {
        "service": round_.service,
        "requested": round_.made,
        "return_by": round_.return_by,
        "meeting": round_.meeting,
        "owners": owners,
    }
    header = "# Written by `yotplan request-updates`: who was asked, when, for which actions, by when.\n"
    return header + dump_new({k: v for k, v in data.items() if v is not None})


@dataclass(frozen=True, slots=True)
class OwnerReturn:
    key: str
    role: str
    actions: list[str]
    returned: date | None
    """The first day a form of theirs was applied, or None when it is outstanding."""
    days_late: int
    """Days past the return-by date (outstanding ones as of today; returned ones when returned)."""


@dataclass(frozen=True, slots=True)
class RequestsStatus:
    requested: date
    return_by: date
    meeting: str | None
    owners: list[OwnerReturn]


def read_requests(folder: Path) -> dict[str, Any]:
    path = folder / REQUESTS_FILE
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RequestsUnreadable(f"{path}: not found; run `yotplan request-updates -o {folder}` first") from None
    except (OSError, UnicodeDecodeError, YamlProblem) as exc:
        raise RequestsUnreadable(f"{path}: cannot be read ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("owners"), dict):
        raise RequestsUnreadable(f"{path}: not a requests file written by `yotplan request-updates`")
    return dict(data)


def request_status(folder: Path, plans: PlanSet, today: date) -> RequestsStatus:
    """Who has returned and who is outstanding, from requests.yaml and the plans."""
    data = read_requests(folder)
    try:
        requested = date.fromisoformat(str(data["requested"]))
        return_by = date.fromisoformat(str(data["return_by"]))
    except (KeyError, ValueError):
        raise RequestsUnreadable(f"{folder / REQUESTS_FILE}: needs `requested:` and `return_by:` dates") from None
    notes = _returned_notes(plans)
    owners = []
    for key, entry in sorted(data["owners"].items()):
        entry = entry if isinstance(entry, dict) else {}
        role = str(entry.get("role") or key)
        actions = [str(a) for a in entry.get("actions") or []]
        marker = f"(returned by {' '.join(role.split())}, "
        days = sorted(
            day
            for action in actions
            for day, note in notes.get(action.casefold(), [])
            if day >= requested and marker in note
        )
        returned = days[0] if days else None
        late = ((returned or today) - return_by).days
        owners.append(OwnerReturn(key, role, actions, returned, max(late, 0)))
    meeting = str(data["meeting"]) if data.get("meeting") else None
    return RequestsStatus(requested, return_by, meeting, owners)


def _returned_notes(plans: PlanSet) -> dict[str, list[tuple[date, str]]]:
    found: dict[str, list[tuple[date, str]]] = {}
    for ref in plans.actions():
        for update in ref.action.updates:
            if "(returned by " in update.note:
                found.setdefault(ref.action.id.casefold(), []).append((update.date, " ".join(update.note.split())))
    return found
