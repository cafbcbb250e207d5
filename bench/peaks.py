"""Run one yotplan command in this process; write its own peak memory and its workers' to a file.

    python bench/peaks.py OUT.json status --plans-list LIST ...

`os.wait4` on a yotplan process gives one peak for the process and the pool workers it waited
for (the larger of them). This reports them apart: `self` is yotplan's own process
(`RUSAGE_SELF`), `children` the largest of its workers (`RUSAGE_CHILDREN`, 0 when it started
none), both in KiB. A forked worker's resident memory counts the pages it shares with
yotplan's process, so the two overlap.
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path


def main() -> None:
    out = Path(sys.argv[1])
    sys.argv = ["yotplan", *sys.argv[2:]]
    from yotplan.cli import main as yotplan

    try:
        yotplan()
    except SystemExit:
        pass
    finally:
        mine = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        out.write_text(json.dumps({"self": mine, "children": workers}))


if __name__ == "__main__":
    main()
