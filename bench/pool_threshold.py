"""Where a process pool starts to pay: cold `check` over many small folders, with and without it.

    python bench/pool_threshold.py [--python PATH] [--runs 9] [--method fork|spawn]

For sets of services of growing size (bench/generate.py's `build_services`), times a cold
`yotplan check` over them with the pool forced on and forced off, round-robin, each run with an
empty cache, and prints the medians and the smallest (the run least disturbed by other work on
the machine: the pool needs a free core to pay). `yotplan.plans.many.PARALLEL_MIN_BYTES` (fork)
and `PARALLEL_MIN_BYTES_SPAWN` come from this table. The pool is forced on (one process per
core) or off through a small driver that sets the threshold to 0 or out of reach, and
YOTPLAN_JOBS, and runs yotplan's `main()`.
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
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import BENCH_TODAY, build_services, write_services  # noqa: E402

SETS = ((8, 25), (12, 50), (16, 50), (20, 60), (24, 80), (30, 100), (60, 100), (155, 100))
"""(services, actions per service): from 200 to 15,500 actions, 90 kB to 7 MB of YAML."""

DRIVER = """
import os, sys
from yotplan.plans import many
many.PARALLEL_MIN_BYTES = many.PARALLEL_MIN_BYTES_SPAWN = 0 if sys.argv[1] == "on" else 1 << 62
os.environ["YOTPLAN_JOBS"] = str(many.usable_cores()) if sys.argv[1] == "on" else "1"  # whatever the load
method = sys.argv[2]
if method != "default":
    many.start_method = lambda: method
sys.argv = ["yotplan", *sys.argv[3:]]
from yotplan.cli import main
main()
"""


def run(argv: list[str], env: dict[str, str], cache: Path) -> float:
    shutil.rmtree(cache, ignore_errors=True)
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--python", default=str(HERE / ".venv" / "bin" / "python"), help="with yotplan installed")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--method", default="default", choices=("default", "fork", "spawn"))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="yotplan-pool-"))
    cache = work / "cache"
    env = {k: v for k, v in os.environ.items() if not k.startswith("YOTPLAN_")}
    env.update({"YOTPLAN_CACHE_DIR": str(cache), "COLUMNS": "80"})
    print(
        f"cores: {len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count()}, "
        f"load average before: {os.getloadavg()[0]:.1f}, start method: {args.method}"
    )
    print()
    print(
        "| services x actions | actions | YAML kB | one process: median / min ms | pool: median / min ms "
        "| pool / one process (median, min) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    try:
        for services, actions in SETS:
            root = work / f"s{services}x{actions}"
            _, size = write_services(build_services(services, actions), root)
            common = ["check", "--plans-list", str(root / "plans-list.txt"), "--today", BENCH_TODAY.isoformat()]
            argv = {mode: [args.python, "-c", DRIVER, mode, args.method, *common] for mode in ("off", "on")}
            times: dict[str, list[float]] = {"off": [], "on": []}
            for mode in times:  # warm-up
                run(argv[mode], env, cache)
            for _ in range(args.runs):
                for mode in times:
                    times[mode].append(run(argv[mode], env, cache))
            off, on = (statistics.median(times[m]) * 1000 for m in ("off", "on"))
            off_min, on_min = (min(times[m]) * 1000 for m in ("off", "on"))
            print(
                f"| {services} x {actions} | {services * actions} | {size / 1000:.0f} | {off:.0f} / {off_min:.0f} "
                f"| {on:.0f} / {on_min:.0f} | {on / off:.2f}, {on_min / off_min:.2f} |",
                flush=True,
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print()
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
