"""Time `yotplan report --meeting` against `yotplan report` on the shipped plans (issue 11's budget: ≤ 2×).

    python bench/report_meeting.py              # 15 runs each, the current interpreter's yotplan
    python bench/report_meeting.py --runs 30

Builds a git repository in a temporary folder: the shipped plans, a board with 13 meetings a
month apart, and a commit between each two meetings that logs progress on one action and now
and then marks it done, so each meeting sees another version of the plans. The report for the
last meeting (held) reads 12 of them from git: the trend's 11 earlier meetings and its own.
Then it runs, round-robin, as whole processes with a warm cache:

- `report` as at the last meeting's day (no history);
- `report --meeting BOARD@DAY` for a meeting already held: the plans as committed that day,
  the changes since the previous meeting, and the RAG at each of the last 12 meetings;
- the same `--meeting` with a cold cache (every version parsed afresh).

It prints the median of each and the ratio to `report`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MEETINGS = 13


def git(root: Path, *args: str, when: str = "2022-05-06T09:00:00+00:00") -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Bench",
        GIT_AUTHOR_EMAIL="bench@example.org",
        GIT_COMMITTER_NAME="Bench",
        GIT_COMMITTER_EMAIL="bench@example.org",
        GIT_AUTHOR_DATE=when,
        GIT_COMMITTER_DATE=when,
    )
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def build(root: Path, yotplan: list[str]) -> tuple[Path, str]:
    """The repository; returns its plans folder and the last meeting's id."""
    plans = root / "plans"
    shutil.copytree(REPO / "plans", plans)
    days = [date(2022 + (5 + m) // 12, (5 + m) % 12 + 1, 14) for m in range(MEETINGS)]
    meetings = "".join(f"      - date: {d.isoformat()}\n" for d in days)
    (plans / "boards.yaml").write_text(
        "boards:\n  bench-board:\n    name: Bench Board\n    chair: yot-board-chair\n    meetings:\n" + meetings,
        encoding="utf-8",
    )
    git(root, "init", "--quiet", "--initial-branch=main")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "plans")
    actions = ["HMIP-2.1", "HMIP-3.2", "HMIP-4.1", "HMIP-5.1", "LGA-b.2", "LGA-e.1", "IR-2.1", "IR-4.1"]
    for i, day in enumerate(days[:-1]):
        action = actions[i % len(actions)]
        on = date(day.year, day.month, 20).isoformat()
        subprocess.run(
            [*yotplan, "log", action, f"Progress reported to the Board on {day}", "--date", on,
             "--plans", str(plans), "--today", on],
            check=True,
            capture_output=True,
        )  # fmt: skip
        if i % 3 == 2:  # and now and then an action done, so the RAG moves between meetings
            subprocess.run(
                [*yotplan, "update", action, "--status", "done", "--plans", str(plans), "--today", on],
                check=True,
                capture_output=True,
            )
        git(root, "commit", "--quiet", "-am", f"{action} on {on}", when=f"{on}T09:00:00+00:00")
    return plans, f"bench-board@{days[-1].isoformat()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    yotplan = [sys.executable, "-m", "yotplan"]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        plans, meeting = build(root / "repo", yotplan)
        day = meeting.split("@")[1]
        warm_cache, cold_cache = root / "cache-warm", root / "cache-cold"
        out = ["-o", str(root / "report.html")]
        cases = {
            "report": ([*yotplan, "report", "--plans", str(plans), "--today", day, *out], warm_cache),
            "report --meeting": ([*yotplan, "report", "--plans", str(plans), "--meeting", meeting, *out], warm_cache),
            "report --meeting, cold": (
                [*yotplan, "report", "--plans", str(plans), "--meeting", meeting, *out],
                cold_cache,
            ),
        }
        times: dict[str, list[float]] = {name: [] for name in cases}
        for run in range(options.runs + 1):  # the first round warms up
            for name, (argv, cache) in cases.items():
                if cache == cold_cache:
                    shutil.rmtree(cache, ignore_errors=True)
                env = {**os.environ, "YOTPLAN_CACHE_DIR": str(cache), "COLUMNS": "80"}
                start = time.perf_counter()
                subprocess.run(argv, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                if run:
                    times[name].append(time.perf_counter() - start)
        base = statistics.median(times["report"])
        print(f"shipped plans, {MEETINGS} monthly meetings, the last reads 12 versions from git; {options.runs} runs")
        print(f"{'command':<26} {'median ms':>10} {'× report':>9}")
        for name, seconds in times.items():
            median = statistics.median(seconds)
            print(f"{name:<26} {median * 1000:>10.0f} {median / base:>9.2f}")


if __name__ == "__main__":
    main()
