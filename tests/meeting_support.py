"""A plans repository with a board that met four times, and a year of commits between meetings.

Built through yotplan's own commands (add indicator, record, update, signoff), each commit at
a set date, so `report --meeting` and the direction of travel read a real git history:

- 2022-05-06 the plans as reviewed, with boards.yaml (yot-board meets 2022-06-14, 2022-09-13,
  2022-12-13 and 2023-03-14);
- 2022-06-15 an indicator for CAMHS attendance at the Board (baseline 50 %, target 100 % by
  2023-03-31), first reading 50 on 2022-06-14;
- 2022-09-20 HMIP-1.1 and HMIP-1.2 done; reading 75 on 2022-09-13;
- 2022-12-14 LGA-d signed off at the December meeting (with a reason); reading 66.7;
- 2023-02-01 HMIP-6.1 under way; an indicator for out-of-court assessments (20 % to 100 %),
  90 on 2023-01-31 (on track), and one for education places with no reading yet.
"""

from __future__ import annotations

from pathlib import Path

from gitrepo import Repo

from conftest import SHIPPED_PLANS, Invoke

BOARDS = """\
boards:
  yot-board:
    name: YOT Management Board
    chair: yot-board-chair
    meetings:
      - date: 2022-06-14
      - date: 2022-09-13
      - date: 2022-12-13
      - date: 2023-03-14
"""
MEETINGS = ("2022-06-14", "2022-09-13", "2022-12-13", "2023-03-14")
INDICATOR = "HMIP-1-camhs"


def build_meeting_repo(cli: Invoke, root: Path) -> Repo:
    repo = Repo(root, SHIPPED_PLANS)
    (repo.plans / "boards.yaml").write_text(BOARDS, encoding="utf-8")

    def run(*args: str, today: str) -> None:
        result = cli(*args, "--plans", repo.plans, "--today", today)
        assert result.exit_code == 0, result.stderr

    repo.commit("Plans as reviewed", "2022-05-06T09:00:00+01:00")
    run("add", "indicator", "HMIP-1", "--id", INDICATOR, "--name", "Board meetings attended by CAMHS",
        "--unit", "%", "--better", "higher", "--baseline", "50", "--baseline-date", "2022-05-06",
        "--target", "100", "--target-date", "2023-03-31", today="2022-06-01")  # fmt: skip
    run("record", INDICATOR, "50", "--date", "2022-06-14", "--note", "1 of 2 meetings", today="2022-06-14")
    repo.commit("An indicator for CAMHS attendance", "2022-06-15T09:00:00+01:00")
    run("update", "HMIP-1.1", "--status", "done", today="2022-09-20")
    run("update", "HMIP-1.2", "--status", "done", today="2022-09-20")
    run("record", INDICATOR, "75", "--date", "2022-09-13", today="2022-09-20")
    repo.commit("HMIP-1.1 and HMIP-1.2 done", "2022-09-20T09:00:00+01:00")
    run("signoff", "LGA-d", "--meeting", "yot-board@2022-12-13", "--note", "The YOT Manager post is filled",
        "--reason", "The post is the outcome the peer review asked for", today="2022-12-13")  # fmt: skip
    run("record", INDICATOR, "66.7", "--date", "2022-12-13", "--note", "2 of 3 meetings", today="2022-12-13")
    repo.commit("LGA-d signed off; CAMHS attendance", "2022-12-14T09:00:00+01:00")
    run("update", "HMIP-6.1", "--status", "in-progress", today="2023-02-01")
    run("add", "indicator", "HMIP-6", "--id", "HMIP-6-assessed", "--name", "Out-of-court disposals with an assessment",
        "--unit", "%", "--better", "higher", "--baseline", "20", "--baseline-date", "2022-05-06",
        "--target", "100", "--target-date", "2023-03-31", today="2023-02-01")  # fmt: skip
    run("record", "HMIP-6-assessed", "90", "--date", "2023-01-31", today="2023-02-01")
    run("add", "indicator", "HMIP-4", "--id", "HMIP-4-places", "--name", "Children without a full-time school place",
        "--unit", "children", "--better", "lower", "--target", "0", "--target-date", "2024-03-31",
        today="2023-02-01")  # fmt: skip
    repo.commit("HMIP-6.1 under way; two more indicators", "2023-02-01T09:00:00+01:00")
    return repo
