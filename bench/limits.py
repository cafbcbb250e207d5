"""Time what the tests check by counting: each against a floor measured in the same run, with its budget.

    python bench/limits.py              # 7 runs of each, the current interpreter's yotplan
    python bench/limits.py --runs 15

The tests assert what keeps these fast (what a Tab press imports, the calls an edit makes,
the texts that reach the personal-data patterns), never seconds: a busy machine must not turn
the suite red. The seconds are here, as ratios to a floor timed in the same run and the same
interpreter, so a slow machine slows both alike:

- a Tab press (completing an id on the shipped plans, a whole process) against a process that
  only imports Typer;
- `parse_yaml` of 100,000 list items and of 100,000 keys against PyYAML's C loader on the same text;
- the personal-data guard on 40,000 texts of a generated plan, and on each hostile 50,000-character
  text of tests/test_personal_data.py, against one `re` scan for a digit over the same texts;
- `check` of a file with 200,000 unknown keys against `check` of the shipped plans;
- `log` on a 480-action file against `log` on a 120-action one (in proportion: at most 5×);
- `calendar` over 50 commits of history against `calendar` on the same plans outside git.

It prints each median, the floor's, the ratio and the budget, and exits 1 if a budget is not met.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
YOTPLAN = [sys.executable, "-m", "yotplan"]
TODAY = "2022-06-01"

Timed = Callable[[], object]


def process(argv: list[str], env: dict[str, str] | None = None) -> Timed:
    full = {**os.environ, "COLUMNS": "80", **(env or {})}
    return lambda: subprocess.run(argv, env=full, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)


def git(root: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="Bench",
               GIT_AUTHOR_EMAIL="bench@example.org", GIT_COMMITTER_NAME="Bench",
               GIT_COMMITTER_EMAIL="bench@example.org")  # fmt: skip
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def big_plan(path: Path, actions: int) -> None:
    lines = ["source: {id: BIG, title: Big, kind: inspection}", "recommendations:"]
    for n in range(actions):
        if n % 100 == 0:
            rec = n // 100 + 1
            lines += [f"  - id: BIG-{rec}", f"    text: Recommendation {rec}", "    owner: yot-manager", "    actions:"]
        lines += [f"      - id: BIG-{rec}.{n % 100 + 1}", f"        title: Action {n} of the plan, in words",
                  "        owner: yot-manager", "        due: 2022-09-30", "        status: in-progress",
                  f"        measure: A measure of action {n}", "        updates:", "          - date: 2022-05-06",
                  f"            note: Progress on action {n} reported to the Board"]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def only_owners(folder: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(REPO / "plans" / "owners.yaml", folder / "owners.yaml")
    return folder


def generated_texts() -> list[str]:
    spec = importlib.util.spec_from_file_location("bench_generate", REPO / "bench" / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = generate
    spec.loader.exec_module(generate)
    plans = generate.build_plans(6_000, seed=1)
    texts: list[str] = []
    for source in plans.sources:
        for rec in source.recommendations:
            texts += [rec.id, rec.text, rec.owner]
            for action in rec.actions:
                texts += [action.id, action.title, action.owner, action.due.isoformat(), action.measure]
                texts += [u.note for u in action.updates] + action.evidence
    return texts[:40_000]


HOSTILE = ["1" * 50_000, "07700 " * 10_000, "x@" + "a-" * 25_000, "Jayden Smith " * 5_000 + "(15)",
           "J.S. (1" * 7_000, "born " * 10_000 + "3 April", "AB 12 " * 10_000]  # fmt: skip


def cases(root: Path) -> list[tuple[str, Timed, Timed, float]]:
    """(name, measured, floor, budget: the most measured / floor may be)."""
    import yaml

    from yotplan.plans.strict_yaml import parse_yaml
    from yotplan.rules.personal_data import find_personal_data

    digit = re.compile(r"\d")
    items = "a:\n" + "".join(f"  - item {i}\n" for i in range(100_000))
    keys = "".join(f"key{i}: {i}\n" for i in range(100_000))
    texts = generated_texts()
    tab = {"_YOTPLAN_COMPLETE": "complete_bash", "COMP_WORDS": "yotplan\nshow\nhmip-1.", "COMP_CWORD": "2"}
    shipped = root / "shipped"
    shutil.copytree(REPO / "plans", shipped)
    flood = only_owners(root / "flood")
    lines = ["source: {id: FL, title: Flood, kind: inspection}", "recommendations: []"]
    (flood / "flood.yaml").write_text("\n".join([*lines, *(f"k{i:06d}: 1" for i in range(200_000))]) + "\n")
    small, large = only_owners(root / "small"), only_owners(root / "large")
    big_plan(small / "big.yaml", 120)
    big_plan(large / "big.yaml", 480)
    history = root / "repo"
    shutil.copytree(REPO / "plans", history / "plans")
    git(history, "init", "-q")
    git(history, "add", ".")
    git(history, "commit", "-qm", "start")
    path = history / "plans" / "hmip-inspection.yaml"
    for n in range(50):
        path.write_text(path.read_text() + f"# {n}\n")
        git(history, "commit", "-qam", f"change {n}")
    log = ["log", "BIG-1.1", "A note.", "--today", TODAY, "--plans"]
    settle = {"YOTPLAN_SETTLE_SECONDS": "0"}
    return [
        ("Tab press / import typer", process([sys.executable, "-c", "from yotplan.cli import main; main()"], tab),
         process([sys.executable, "-c", "import typer"]), 2.5),
        ("parse_yaml 100,000 items / CSafeLoader", lambda: parse_yaml(items),
         lambda: yaml.load(items, Loader=yaml.CSafeLoader), 3.0),
        ("parse_yaml 100,000 keys / CSafeLoader", lambda: parse_yaml(keys),
         lambda: yaml.load(keys, Loader=yaml.CSafeLoader), 3.0),
        ("personal data, 40,000 texts / one \\d scan", lambda: [find_personal_data(t) for t in texts],
         lambda: [digit.search(t) for t in texts], 20.0),
        ("personal data, hostile texts / one \\d scan", lambda: [find_personal_data(t) for t in HOSTILE],
         lambda: [digit.findall(t) for t in HOSTILE], 20.0),
        ("check 200,000 unknown keys / check shipped", process([*YOTPLAN, "check", "--plans", str(flood),
         "--today", TODAY], {"YOTPLAN_NO_CACHE": "1"}),
         process([*YOTPLAN, "check", "--plans", str(shipped), "--today", TODAY], {"YOTPLAN_NO_CACHE": "1"}), 10.0),
        ("log, 480 actions / 120 actions", process([*YOTPLAN, *log, str(large)], settle),
         process([*YOTPLAN, *log, str(small)], settle), 5.0),
        ("calendar, 50 commits / outside git", process([*YOTPLAN, "calendar", "--plans", str(history / "plans"),
         "--today", TODAY]), process([*YOTPLAN, "calendar", "--plans", str(shipped), "--today", TODAY]), 3.0),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["YOTPLAN_CACHE_DIR"] = str(Path(tmp) / "cache")
        todo = cases(Path(tmp))
        times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name, *_ in todo}
        for run in range(options.runs + 1):  # round-robin, so a noisy machine slows each alike; round 0 warms up
            for name, measured, floor, _ in todo:
                for timed, into in ((measured, times[name][0]), (floor, times[name][1])):
                    start = time.perf_counter()
                    timed()
                    if run:
                        into.append(time.perf_counter() - start)
    print(f"median of {options.runs} runs after a warm-up; Python {sys.version.split()[0]}")
    print(f"{'measured / floor':<46} {'ms':>8} {'floor ms':>9} {'ratio':>6} {'budget':>7}  met")
    failed = 0
    for name, _, _, budget in todo:
        measured, floor = (statistics.median(t) for t in times[name])
        ratio = measured / floor
        met = ratio <= budget
        failed += not met
        verdict = "yes" if met else "NO"
        print(f"{name:<46} {measured * 1000:>8.1f} {floor * 1000:>9.1f} {ratio:>6.2f} {budget:>7.1f}  {verdict}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
