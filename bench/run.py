"""Time yotplan as whole processes, next to the floor of its stack, and print a table.

    python bench/run.py                 # full run: N = 100 ... 50,000, then 155 services (about 15 minutes)
    python bench/run.py --quick         # N = 100 and 1,000, fewer runs (about a minute)
    python bench/run.py --services 155  # start-up and the many-services group only (about 4 minutes)

By default it builds a virtualenv in bench/.venv with a normal (not editable) install of
this checkout (`pip install .`; setuptools' editable finder slows every import), and runs
everything with that interpreter: `python -c pass`, the floor app (bench/floor_app.py, a
minimal Typer + pydantic + rich app: the price of the stack), yotplan, and Taskwarrior's
`task overdue` on the same actions when `task` is installed (`apt-get install taskwarrior`).
`--python PATH` uses an interpreter you already have instead.

Each command runs once to warm up, then `--runs` times, round-robin with the others so a
noisy machine slows them alike; the table shows the median wall time, the ratios to
`python -c pass` and to the floor app, and the peak memory (ru_maxrss) of the child.
"warm" runs keep yotplan's cache (plans unchanged since the last run); "cold" runs use
another cache folder, emptied before every run. Output goes to /dev/null, with COLUMNS=80.

The many-services group (`--services N`, 155 in the full run) times N generated service folders
of about 100 actions each against one folder of the same actions and against PyYAML's C loader
reading the same files (bench/yaml_floor.py), in one round-robin.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from generate import build_plans, build_services, write_plans, write_services, write_taskwarrior  # noqa: E402

FULL_SIZES = (100, 1_000, 10_000, 20_000, 50_000)
"""20,000 is timed for `check` only: the 20k/10k ratio shows whether `check` grows linearly."""
QUICK_SIZES = (100, 1_000)
FULL_SERVICES = 155
"""England's youth justice services: the national view."""
ACTIONS_PER_SERVICE = 100


@dataclass
class Timing:
    label: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    before: str | None = None
    """A folder to delete before every run (the cache, for cold runs)."""
    seconds: list[float] = field(default_factory=list)
    peak_kib: int = 0
    failed: str = ""

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000


def run_once(t: Timing, base_env: dict[str, str]) -> None:
    if t.before:
        shutil.rmtree(t.before, ignore_errors=True)
    env = {**base_env, **t.env}
    with open(os.devnull, "wb") as null, tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        proc = subprocess.Popen(t.argv, stdout=null, stderr=errors, env=env)
        _, status, usage = os.wait4(proc.pid, 0)  # wait4: the child's own peak memory
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        err = errors.read().decode(errors="replace")
    if proc.returncode not in (0, 1):  # 1: yotplan check with warnings as errors, task with nothing to show
        t.failed = f"exit {proc.returncode}: {err.strip()[-300:]}"
    t.seconds.append(elapsed)
    t.peak_kib = max(t.peak_kib, usage.ru_maxrss)


def measure(group: Sequence[Timing], runs: int, base_env: dict[str, str]) -> None:
    """Warm up every command once, then run them round-robin `runs` times."""
    for t in group:
        run_once(t, base_env)
        t.seconds.clear()
    for _ in range(runs):
        for t in group:
            run_once(t, base_env)


def make_venv(venv: Path) -> Path:
    """bench/.venv with a normal install of this checkout; returns its python."""
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if not python.exists():
        print(f"creating {venv} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True)
    print("installing this checkout (pip install .) ...", file=sys.stderr)
    with tempfile.TemporaryDirectory() as elsewhere:  # not from the checkout, so `import yotplan` is the installed one
        pip = [str(python), "-m", "pip", "install", "-q"]
        subprocess.run([*pip, "--force-reinstall", "--no-deps", str(REPO)], check=True, cwd=elsewhere)
        subprocess.run([*pip, str(REPO)], check=True, cwd=elsewhere)
    return python


def _code_lines(path: Path) -> list[str]:
    return [line for line in path.read_text().splitlines() if line.strip()]


def interpreter_facts(python: str) -> str:
    code = (
        "import sys, yotplan, os; "
        "p = os.path.dirname(yotplan.__file__); "
        "print(sys.version.split()[0], yotplan.__version__, 'editable' if 'site-packages' not in p else 'installed')"
    )
    return subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 2**20:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} CPUs ({cpu}){memory}, {platform.system()} {platform.release()}"


def has_report(python: str) -> bool:
    done = subprocess.run([python, "-m", "yotplan", "report", "--help"], capture_output=True)
    return done.returncode == 0


def table(rows: list[tuple[str, Timing]], python_ms: float, floor_ms: float) -> str:
    lines = [
        "| group | command | median ms | × python -c pass | × floor status | peak MiB |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for group, t in rows:
        if t.failed:
            lines.append(f"| {group} | {t.label} | failed: {t.failed} | | | |")
            continue
        ms = t.median_ms
        lines.append(
            f"| {group} | {t.label} | {ms:.0f} | {ms / python_ms:.1f} | {ms / floor_ms:.2f} | {t.peak_kib / 1024:.0f} |"
        )
    return "\n".join(lines)


@dataclass
class ServicesRun:
    """The many-services group: N service folders of about 100 actions each, in one round-robin with
    one folder of the same actions and with PyYAML's C loader reading the same files."""

    services: int
    work: Path
    python: str
    yp: list[str]
    day: list[str]
    today: date
    runs: int
    base_env: dict[str, str]
    cold_cache: Path
    ratios: list[tuple[str, float, float | None]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    against_floor: list[str] = field(default_factory=list)
    """The group's rows against PyYAML's loader: medians, and the fastest runs (the least
    disturbed by other work on the machine)."""

    def measure(self) -> list[tuple[str, Timing]]:
        n, day = self.services, self.day
        built = build_services(n, ACTIONS_PER_SERVICE, today=self.today)
        total = sum(len(service.plans.actions()) for service in built)
        root = self.work / f"services-{n}"
        if not (root / "plans-list.txt").exists():
            _, size = write_services(built, root)
            print(f"generated {n} services, {total} actions: {size / 1e6:.1f} MB", file=sys.stderr)
        one = self.work / f"plans-{total}"
        if not one.exists():
            write_plans(build_plans(total, today=self.today), one)
        many = ["--plans-list", str(root / "plans-list.txt")]
        single = ["--plans", str(one)]
        label = f"{n} services"
        cold = {"YOTPLAN_CACHE_DIR": str(self.cold_cache)}
        commands: list[tuple[str, list[str], dict[str, str]]] = [
            (f"status (warm) 1 folder of {total}", ["status", *single, *day], {}),
            (f"status (warm) {label}", ["status", *many, *day], {}),
            (f"overdue (warm) {label}", ["overdue", *many, *day], {}),
            (f"check (warm) {label}", ["check", *many, *day], {}),
            (f"check (cold) {label}", ["check", *many, *day], cold),
            (f"check (cold) 1 folder of {total}", ["check", *single, *day], cold),
            (f"overdue (cold) {label}", ["overdue", *many, *day], cold),
        ]
        report = ["report", *many, *day]
        probe = subprocess.run([*self.yp, *report], capture_output=True, text=True, env=self.base_env)
        if probe.returncode == 2:
            lines = [line.strip("│╭╮╰╯─ ") for line in probe.stderr.splitlines()]
            why = next((line for line in reversed(lines) if line), "no message")
            self.notes.append(f"`yotplan report` over {label} is not in this build (exit 2: {why}): skipped.")
        else:
            commands.append((f"report (warm) {label}", report, {}))
        floor = Timing(f"yaml.load (CSafeLoader) {label}", [self.python, str(HERE / "yaml_floor.py"), *many])
        group = [floor]
        for what, args, env in commands:
            before = str(self.cold_cache) if env.get("YOTPLAN_CACHE_DIR") else None
            group.append(Timing(what, [*self.yp, *args], env=env, before=before))
        print(f"measuring {label} ...", file=sys.stderr)
        load_before = _load_average()
        measure(group, self.runs, self.base_env)
        self.notes.append(
            f"{label}: 1-minute load average {load_before} before, {_load_average()} after "
            f"(the machine has {os.cpu_count()} cores)."
        )
        timed = {t.label: t for t in group}

        def ms(what: str) -> float:
            return timed[what].median_ms

        self.ratios += [
            (f"status (warm) {label} / 1 folder of {total}", ms(f"status (warm) {label}") / ms(commands[0][0]), 1.5),
            (f"check (cold) {label} / yaml.load of the same files", ms(f"check (cold) {label}") / floor.median_ms, 1.0),
            (
                f"peak MiB, {label} (largest, process tree)",
                max(t.peak_kib for t in group if label in t.label) / 1024,
                300,
            ),
        ]
        self.against_floor = [
            "| command | median ms | fastest ms | median / yaml.load median | fastest / yaml.load fastest |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for t in group:
            if t.failed or not t.seconds:
                continue
            best, floor_best = min(t.seconds), min(floor.seconds)
            self.against_floor.append(
                f"| {t.label} | {t.median_ms:.0f} | {best * 1000:.0f} | {t.median_ms / floor.median_ms:.2f} "
                f"| {best / floor_best:.2f} |"
            )
        if f"report (warm) {label}" in timed:
            self.ratios.append((f"report (warm) {label}, seconds", ms(f"report (warm) {label}") / 1000, 3.0))
        return [(label, t) for t in group]


def _load_average() -> str:
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except (AttributeError, OSError):
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="N = 100 and 1,000 only, 5 runs each")
    parser.add_argument("--sizes", type=int, nargs="*", help="numbers of actions (default 100 1000 10000 50000)")
    parser.add_argument("--runs", type=int, help="timed runs per command (default 9, or 5 with --quick)")
    parser.add_argument("--python", help="use this interpreter (with yotplan installed) instead of bench/.venv")
    parser.add_argument("--keep", type=Path, help="keep the generated plans and caches in this folder")
    parser.add_argument(
        "--services",
        type=int,
        metavar="N",
        help=f"time N service folders of {ACTIONS_PER_SERVICE} actions (default {FULL_SERVICES} in the full run; "
        "alone, it skips the sizes unless --sizes is given; 0: none)",
    )
    args = parser.parse_args()
    if args.services is not None:
        sizes: tuple[int, ...] = tuple(args.sizes or ())
        services = args.services
    else:
        sizes = tuple(args.sizes or (QUICK_SIZES if args.quick else FULL_SIZES))
        services = 0 if args.quick or args.sizes else FULL_SERVICES
    runs = args.runs or (5 if args.quick else 9)
    python = args.python or str(make_venv(HERE / ".venv"))
    facts = interpreter_facts(python)
    today = date.today()
    work = args.keep or Path(tempfile.mkdtemp(prefix="yotplan-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    cache, cold_cache = work / "cache", work / "cold-cache"
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("YOTPLAN_", "TASK"))}
    base_env.update({"COLUMNS": "80", "YOTPLAN_CACHE_DIR": str(cache)})
    base_env.pop("PYTHONDEVMODE", None)
    floor_app = HERE / "floor_app.py"  # a copy of ../shared/bench/floor_app.py, so a fresh clone has it
    shared_floor = REPO.parent / "shared" / "bench" / "floor_app.py"
    if shared_floor.exists() and _code_lines(shared_floor) != _code_lines(floor_app):
        print(f"note: {floor_app} differs from {shared_floor}; using the shared one", file=sys.stderr)
        floor_app = shared_floor
    script = Path(python).parent / ("yotplan.exe" if os.name == "nt" else "yotplan")
    yp = [str(script)] if script.exists() else [python, "-m", "yotplan"]  # the console script, as people run it

    def cold_run(label: str, argv: list[str], env: dict[str, str] | None = None) -> Timing:
        return Timing(label, argv, env={"YOTPLAN_CACHE_DIR": str(cold_cache), **(env or {})}, before=str(cold_cache))

    day = ["--today", today.isoformat()]
    report = has_report(python)

    print(f"yotplan benchmark, {today.isoformat()}: {machine()}", file=sys.stderr)
    print(f"interpreter {python}: Python, yotplan, install = {facts}", file=sys.stderr)

    # Start-up: the shipped plans, against the floor of the stack, in one round-robin.
    shipped = ["--plans", str(REPO / "plans")]
    startup = [
        Timing("python -c pass", [python, "-c", "pass"]),
        Timing("floor_app.py status", [python, str(floor_app), "status"]),
        Timing("floor_app.py status --fmt json", [python, str(floor_app), "status", "--fmt", "json"]),
        Timing("floor_app.py --help", [python, str(floor_app), "--help"]),
        Timing("yotplan status (shipped plans)", [*yp, "status", *shipped, *day]),
        Timing("yotplan status --format json", [*yp, "status", *shipped, *day, "--format", "json"]),
        Timing("yotplan --help", [*yp, "--help"]),
        Timing("yotplan status --no-cache", [*yp, "--no-cache", "status", *shipped, *day]),
    ]
    print("measuring start-up ...", file=sys.stderr)
    measure(startup, max(runs, 15), base_env)
    python_ms, floor_ms = startup[0].median_ms, startup[1].median_ms
    rows: list[tuple[str, Timing]] = [("start-up", t) for t in startup]
    ratios: list[tuple[str, float, float | None]] = [
        ("yotplan status / floor status", startup[4].median_ms / floor_ms, 1.2),
        ("yotplan status --format json / floor status --fmt json", startup[5].median_ms / startup[2].median_ms, 1.15),
        ("yotplan --help / floor --help", startup[6].median_ms / startup[3].median_ms, 1.1),
    ]

    task = shutil.which("task")
    notes = []
    if not report:
        notes.append("`yotplan report` is not available in this build: skipped.")
    for n in sizes:
        folder = work / f"plans-{n}"
        plans = build_plans(n, today=today)
        if not folder.exists():
            size = write_plans(plans, folder)
            print(f"generated {n} actions: {size / 1e6:.1f} MB in {len(plans.sources)} files", file=sys.stderr)
        where = ["--plans", str(folder)]
        if n == 20_000:
            group = [cold_run(f"check (cold) N={n}", [*yp, "check", *where, *day])]
            print(f"measuring N={n} ...", file=sys.stderr)
            measure(group, runs, base_env)
            rows += [(f"N={n}", t) for t in group]
            ten = next((t for g, t in rows if t.label == "check (cold) N=10000"), None)
            if ten is not None:
                ratios.append(("check (cold) N=20000 / N=10000", group[0].median_ms / ten.median_ms, 2.2))
            continue
        group = [
            Timing(f"status (warm) N={n}", [*yp, "status", *where, *day]),
            Timing(f"overdue (warm) N={n}", [*yp, "overdue", *where, *day]),
            Timing(f"check (warm) N={n}", [*yp, "check", *where, *day]),
            cold_run(f"check (cold) N={n}", [*yp, "check", *where, *day]),
            cold_run(f"overdue (cold) N={n}", [*yp, "overdue", *where, *day]),
        ]
        if report:
            group.append(Timing(f"report (warm) N={n}", [*yp, "report", *where, *day]))
        if task and n == 10_000:
            taskdata = work / f"taskdata-{n}"
            rc = write_taskwarrior(plans, taskdata, today)
            group.append(Timing(f"task overdue (Taskwarrior) N={n}", [task, "overdue"], env={"TASKRC": str(rc)}))
        elif not task and n == 10_000:
            notes.append("Taskwarrior (`task`) is not installed: `task overdue` skipped.")
        print(f"measuring N={n} ...", file=sys.stderr)
        measure(group, runs if n < 50_000 else max(3, runs // 3), base_env)
        rows += [(f"N={n}", t) for t in group]
        if task and n == 10_000:
            mine = next(t for t in group if t.label.startswith("overdue (warm)"))
            theirs = group[-1]
            ratios.append(("yotplan overdue (warm) / task overdue, N=10000", mine.median_ms / theirs.median_ms, 1.0))
        if n == 10_000:
            cold = next(t for t in group if t.label.startswith("check (cold)"))
            ratios.append(("check (cold) N=10000, seconds", cold.median_ms / 1000, 2.0))
            ratios.append(("check (cold) N=10000, peak MiB", cold.peak_kib / 1024, 200))
        if n == 50_000:
            cold = next(t for t in group if t.label.startswith("check (cold)"))
            ratios.append(("check (cold) N=50000, seconds", cold.median_ms / 1000, 10.0))

    against_floor: list[str] = []
    if services:
        many = ServicesRun(services, work, python, yp, day, today, runs, base_env, cold_cache)
        rows += many.measure()
        ratios += many.ratios
        notes += many.notes
        against_floor = many.against_floor

    print()
    print(f"Date: {today.isoformat()}  ")
    print(f"Machine: {machine()}  ")
    print(f"Interpreter: {python} (Python, yotplan, install: {facts})  ")
    print(f"Command: python bench/run.py {' '.join(sys.argv[1:])}".rstrip() + "  ")
    print(f"Runs: median of {runs} after a warm-up (15 for start-up; fewer at N=50000), output to /dev/null")
    print()
    print(table(rows, python_ms, floor_ms))
    print()
    print("| budget | measured | limit | met |")
    print("| --- | ---: | ---: | --- |")
    for name, value, limit in ratios:
        if limit is None:  # shown for what it says, with no budget
            print(f"| {name} | {value:.2f} | | |")
            continue
        print(f"| {name} | {value:.2f} | {limit:g} | {'yes' if value <= limit else 'NO'} |")
    if against_floor:
        print()
        print("\n".join(against_floor))
    for note in notes:
        print(f"\nNote: {note}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
