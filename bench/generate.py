"""Synthetic, valid plan folders of N actions, the same for the same seed.

The shape follows real plans: one file per source report, about 8 actions per
recommendation, updates and evidence on most actions, several owners, and about 420
bytes of YAML per action. Dates are relative to a fixed day (BENCH_TODAY) so the share
of overdue, due-soon and done actions is the same whenever the benchmark runs.

    python bench/generate.py OUT_DIR --actions 10000 [--seed 1]
    python bench/generate.py OUT_DIR --services 155 [--actions 100] [--seed 1]

With `--services N` it writes N service folders `OUT_DIR/<service id>/` (each a plans folder
with service.yaml `{id, name, region}`, owners.yaml and its plan files) of about `--actions`
actions each (50 % to 150 % of it, `--actions` x N in total), spread over England's nine
regions, and `OUT_DIR/plans-list.txt` naming them all for `--plans-list`. Action ids repeat
across services (every service has an SRC000-1.1), as HMIP-1 does in real plans.

The same actions can be written as a Taskwarrior 2.6 data folder (`write_taskwarrior`),
so `task overdue` can be timed on exactly the same work.
"""

from __future__ import annotations

import argparse
import json
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

BENCH_TODAY = date(2026, 1, 15)
"""The `--today` of every benchmark run: the generated dates are relative to it."""

ACTIONS_PER_RECOMMENDATION = 8
ACTIONS_PER_FILE = 200
"""About 25 recommendations per source report, as in a large inspection."""

OWNER_COUNT = 40

_VOCABULARY = (
    "board partnership children young people youth justice service review inspection plan practice "
    "assessment quality assurance audit supervision training staff case management reoffending education "
    "health wellbeing speech language therapy psychologist placement custody court police probation "
    "restorative victims parents carers safeguarding risk safety contingency planning disproportionality "
    "diversion prevention resettlement transitions data performance reporting dashboard escalation "
    "protocol policy procedure induction learning development feedback participation voice engagement "
    "commissioning budget funding resources recruitment retention workforce culture leadership "
    "governance oversight scrutiny accountability timeliness consistency evidence outcomes impact "
    "monitoring"
)
_WORDS = _VOCABULARY.split()
_VERB_LIST = (
    "Agree Review Embed Deliver Develop Introduce Strengthen Improve Audit Secure Publish Train Revise "
    "Establish Monitor Report Complete Commission Align Extend"
)
_VERBS = _VERB_LIST.split()
_TO = ("YOT Management Board", "YOT Head of Service", "Director of Children's Services", "Partnership")
_KINDS = ("inspection", "peer-review", "improvement-review", "self-assessment", "other")
REGIONS = (
    "North East",
    "North West",
    "Yorkshire and the Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
)
"""England's nine regions; generated services are spread over them in turn."""
_PLACE_LIST = (
    "Ash Bank Bourne Brook Burn Bury Caster Chester Cliff Dale Dean Down Field Ford Gate Ham Haven Holme "
    "Hurst Ley Marsh Mere Minster Moor Mouth Ness Pool Port Sea Shaw Stead Stoke Stow Thorpe Ton Wick Wold "
    "Wood Worth"
)
_PLACES = _PLACE_LIST.split()


@dataclass
class Update:
    day: date
    note: str


@dataclass
class Action:
    id: str
    title: str
    owner: str
    due: date
    status: str
    completed: date | None
    measure: str
    updates: list[Update] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    source: str = ""


@dataclass
class Recommendation:
    id: str
    text: str
    to: str
    owner: str
    related: list[str]
    actions: list[Action]


@dataclass
class PlanSource:
    id: str
    title: str
    kind: str
    day: date
    recommendations: list[Recommendation]


@dataclass
class Plans:
    owners: dict[str, tuple[str, str]]
    sources: list[PlanSource]

    def actions(self) -> list[Action]:
        return [a for s in self.sources for r in s.recommendations for a in r.actions]


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize()


def _status(rng: random.Random, today: date) -> tuple[str, date, date | None]:
    """A status and due date with a realistic mix: a third done, about 8 % overdue."""
    roll = rng.random()
    if roll < 0.33:
        due = today - timedelta(days=rng.randint(1, 400))
        return "done", due, min(due + timedelta(days=rng.randint(-30, 20)), today)
    if roll < 0.37:
        return "dropped", today + timedelta(days=rng.randint(-200, 200)), None
    if roll < 0.45:  # open and late: the overdue list
        status = rng.choice(("in-progress", "in-progress", "not-started", "blocked"))
        return status, today - timedelta(days=rng.randint(1, 120)), None
    status = rng.choice(("in-progress", "in-progress", "not-started", "not-started", "blocked"))
    return status, today + timedelta(days=rng.randint(0, 365)), None


def build_plans(actions: int, seed: int = 1, today: date = BENCH_TODAY, per_file: int = ACTIONS_PER_FILE) -> Plans:
    """The plans of `actions` actions, as Python objects, fully determined by the arguments."""
    rng = random.Random(seed)
    owners = {
        f"owner-{i:02d}": (f"{rng.choice(_WORDS).capitalize()} lead", f"{rng.choice(_WORDS).capitalize()} agency")
        for i in range(OWNER_COUNT)
    }
    owner_keys = sorted(owners)
    files = max(3, -(-actions // per_file))
    sources: list[PlanSource] = []
    made = 0
    for f in range(files):
        count = actions * (f + 1) // files - made  # spread evenly, exactly `actions` in total
        made += count
        source = PlanSource(
            id=f"SRC{f:03d}",
            title=f"{_sentence(rng, 4, 8)} report {f}",
            kind=_KINDS[f % len(_KINDS)],
            day=today - timedelta(days=rng.randint(200, 900)),
            recommendations=[],
        )
        sources.append(source)
        r = 0
        while count > 0:
            n = min(count, ACTIONS_PER_RECOMMENDATION + rng.randint(-2, 2) if count > 10 else count)
            count -= n
            rec_id = f"{source.id}-{r + 1}"
            rec = Recommendation(
                id=rec_id,
                text=_sentence(rng, 10, 20),
                to=rng.choice(_TO),
                owner=rng.choice(owner_keys),
                related=[f"{source.id}-{r}"] if r and rng.random() < 0.3 else [],
                actions=[],
            )
            for a in range(n):
                status, due, completed = _status(rng, today)
                action = Action(
                    id=f"{rec_id}.{a + 1}",
                    title=f"{rng.choice(_VERBS)} {_sentence(rng, 3, 5).lower()}",
                    owner=rng.choice(owner_keys),
                    due=due,
                    status=status,
                    completed=completed,
                    measure=_sentence(rng, 3, 6) + ".",
                    source=source.id,
                )
                for _ in range(rng.choice((0, 1, 1, 2))):
                    action.updates.append(Update(today - timedelta(days=rng.randint(1, 100)), _sentence(rng, 4, 8)))
                action.updates.sort(key=lambda u: u.day)
                if status == "in-progress" and not action.updates:  # started work has a note
                    action.updates.append(Update(today - timedelta(days=rng.randint(1, 80)), _sentence(rng, 4, 8)))
                for _ in range(rng.choice((0, 0, 1))):
                    action.evidence.append(_sentence(rng, 4, 8))
                rec.actions.append(action)
            source.recommendations.append(rec)
            r += 1
    return Plans(owners, sources)


def _plan_yaml(source: PlanSource) -> str:
    out = [
        f"# Synthetic plan {source.id} written by bench/generate.py",
        "source:",
        f"  id: {source.id}",
        f"  title: {source.title}",
        f"  kind: {source.kind}",
        f"  date: {source.day.isoformat()}",
        "recommendations:",
    ]
    for rec in source.recommendations:
        out += [
            f"  - id: {rec.id}",
            "    text: >-",
            f"      {rec.text}",
            f"    to: {rec.to}",
            f"    owner: {rec.owner}",
        ]
        if rec.related:
            out.append(f"    related: [{', '.join(rec.related)}]")
        out.append("    actions:")
        for a in rec.actions:
            out += [
                f"      - id: {a.id}",
                f"        title: {a.title}",
                f"        owner: {a.owner}",
                f"        due: {a.due.isoformat()}",
                f"        status: {a.status}",
            ]
            if a.completed:
                out.append(f"        completed: {a.completed.isoformat()}")
            out.append(f"        measure: {a.measure}")
            if a.updates:
                out.append("        updates:")
                for u in a.updates:
                    out += [f"          - date: {u.day.isoformat()}", "            note: >-", f"              {u.note}"]
            if a.evidence:
                out.append("        evidence:")
                out += [f"          - {quote}" for quote in a.evidence]
    return "\n".join(out) + "\n"


def _owners_yaml(owners: dict[str, tuple[str, str]]) -> str:
    out = ["owners:"]
    for key, (role, agency) in owners.items():
        out += [f"  {key}:", f"    role: {role}", f"    agency: {agency}"]
    return "\n".join(out) + "\n"


def write_plans(plans: Plans, root: Path) -> int:
    """Write owners.yaml and one file per source into `root`; the total bytes written."""
    root.mkdir(parents=True, exist_ok=True)
    total = 0
    texts = {"owners.yaml": _owners_yaml(plans.owners)}
    for source in plans.sources:
        texts[f"{source.id.lower()}.yaml"] = _plan_yaml(source)
    for name, text in texts.items():
        data = text.encode()
        (root / name).write_bytes(data)
        total += len(data)
    return total


@dataclass
class Service:
    id: str
    name: str
    region: str
    plans: Plans


def service_sizes(services: int, actions: int, seed: int = 1) -> list[int]:
    """How many actions each of `services` services has: 50 % to 150 % of `actions`, exactly
    `services * actions` in all, the same for the same seed."""
    rng = random.Random(f"sizes-{seed}")
    low, high = max(1, actions // 2), max(1, actions * 3 // 2)
    sizes = [rng.randint(low, high) for _ in range(services)]
    gap = services * actions - sum(sizes)
    i = 0
    while gap:  # nudge one action at a time, round the services, until the total is exact
        step = 1 if gap > 0 else -1
        if low <= sizes[i % services] + step <= high:
            sizes[i % services] += step
            gap -= step
        i += 1
    return sizes


def build_services(services: int, actions: int = 100, seed: int = 1, today: date = BENCH_TODAY) -> list[Service]:
    """`services` services of about `actions` actions each, fully determined by the arguments."""
    rng = random.Random(f"services-{seed}")
    out: list[Service] = []
    for i, size in enumerate(service_sizes(services, actions, seed)):
        place = f"{rng.choice(_PLACES)}{rng.choice(_PLACES).lower()}"
        out.append(
            Service(
                id=f"yjs-{i + 1:03d}",
                name=f"{place} Youth Justice Service",
                region=REGIONS[i % len(REGIONS)],
                plans=build_plans(size, seed=seed * 100_003 + i, today=today),
            )
        )
    return out


def _service_yaml(service: Service) -> str:
    return f"id: {service.id}\nname: {service.name}\nregion: {service.region}\n"


def write_services(services: list[Service], root: Path) -> tuple[list[Path], int]:
    """Write each service's plans folder `root/<id>/` and `root/plans-list.txt`; the folders and
    the total bytes written."""
    root.mkdir(parents=True, exist_ok=True)
    folders: list[Path] = []
    total = 0
    for service in services:
        folder = root / service.id
        total += write_plans(service.plans, folder)
        data = _service_yaml(service).encode()
        (folder / "service.yaml").write_bytes(data)
        total += len(data)
        folders.append(folder)
    (root / "plans-list.txt").write_text("".join(f"{folder.name}\n" for folder in folders))
    return folders, total


def _tw_time(day: date) -> str:
    return str(int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()))


def _tw_quote(text: str) -> str:
    return json.dumps(text)  # FF4 strings use the same escapes as json for what we write


def write_taskwarrior(plans: Plans, taskdata: Path, today: date = BENCH_TODAY) -> Path:
    """The same actions as a Taskwarrior 2.6 data folder and rc file; returns the rc path.

    Open actions go to pending.data, done ones to completed.data (as `task` itself would
    file them after garbage collection), with the owner as project and updates as annotations.
    """
    taskdata.mkdir(parents=True, exist_ok=True)
    pending: list[str] = []
    completed: list[str] = []
    rng = random.Random(0)
    entry = _tw_time(today - timedelta(days=1000))
    for a in plans.actions():
        attrs = {
            "description": a.title,
            "due": _tw_time(a.due),
            "entry": entry,
            "modified": entry,
            "project": a.source,
            "status": {"done": "completed", "dropped": "deleted"}.get(a.status, "pending"),
            "tags": a.owner,
            "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        }
        if a.status in ("done", "dropped"):
            attrs["end"] = _tw_time(a.completed or today)
        for u in a.updates:
            attrs[f"annotation_{_tw_time(u.day)}"] = u.note
        line = "[" + " ".join(f"{k}:{_tw_quote(v)}" for k, v in sorted(attrs.items())) + "]"
        (completed if a.status in ("done", "dropped") else pending).append(line)
    (taskdata / "pending.data").write_text("\n".join(pending) + "\n")
    (taskdata / "completed.data").write_text("\n".join(completed) + "\n")
    for name in ("undo.data", "backlog.data"):
        (taskdata / name).write_text("")
    rc = taskdata / "taskrc"
    rc.write_text(
        f"data.location={taskdata}\nconfirmation=off\nverbose=nothing\ncolor=off\nhooks=off\nnews.version=2.6.0\n"
    )
    return rc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="the plans folder to write (created if missing)")
    parser.add_argument("--actions", type=int, help="actions in all (default 1000), or per service (default 100)")
    parser.add_argument("--services", type=int, help="write this many service folders into OUT instead of one")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-file", type=int, default=ACTIONS_PER_FILE, help="actions per plan file")
    parser.add_argument("--taskwarrior", type=Path, help="also write the actions as a Taskwarrior data folder here")
    args = parser.parse_args()
    if args.services:
        services = build_services(args.services, args.actions or 100, args.seed)
        folders, size = write_services(services, args.out)
        count = sum(len(s.plans.actions()) for s in services)
        files = sum(len(s.plans.sources) + 2 for s in services)
        listed = args.out / "plans-list.txt"
        print(f"{len(folders)} services, {count} actions in {files} files, {size} bytes; list: {listed}")
        return
    args.actions = args.actions or 1000
    plans = build_plans(args.actions, args.seed, per_file=args.per_file)
    size = write_plans(plans, args.out)
    print(f"{args.actions} actions in {len(plans.sources)} plan files, {size} bytes ({size / args.actions:.0f}/action)")
    if args.taskwarrior:
        print(f"Taskwarrior rc: {write_taskwarrior(plans, args.taskwarrior)}")


if __name__ == "__main__":
    main()
