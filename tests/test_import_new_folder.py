"""What `import_spreadsheet` makes on disk, called in process: the folder whole or not at all.

The promise: the plan files, owners.yaml and the schemas appear together in a new folder, or
nothing does; nothing is ever overwritten; the files are read back and checked before they are
placed; a temporary folder left by a killed import is cleaned up by the next one. The killed
process itself is in test_spreadsheet_import_atomic.py; these tests hold each step's rules.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from yotplan.spreadsheet import new_folder, plan_import
from yotplan.spreadsheet.errors import ImportRefused, SpreadsheetError
from yotplan.spreadsheet.interpretation import ImportOptions
from yotplan.spreadsheet.new_folder import TEST_PAUSE_ENV, create_folder, remove_stale_folders
from yotplan.spreadsheet.plan_import import import_spreadsheet, merged_owners, read_plans
from yotplan.spreadsheet.plan_text import render_owners, render_plan, schema_files

TODAY = date(2023, 6, 1)
CSV = "Ref,Recommendation,Action,Lead,Target date\n1,Improve the Board,Meet monthly,YOT Manager,31/03/2023\n"


def csv_file(folder: Path, text: str = CSV, name: str = "plan.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def workbook_of(path: Path, sheets: dict[str, list[list[str]]]) -> Path:
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # messages name paths relative to the working folder
    monkeypatch.delenv(TEST_PAUSE_ENV, raising=False)


def test_an_import_writes_its_plan_owners_and_schemas_and_nothing_else(tmp_path: Path) -> None:
    path = csv_file(tmp_path)
    result = import_spreadsheet(path, tmp_path / "plans", ImportOptions(today=TODAY))
    out = tmp_path / "plans"
    assert result.plan_paths == [out / "plan.yaml"]
    assert result.owners_path == out / "owners.yaml"
    assert result.problems == []
    assert not result.not_placed
    assert files_in(out) == ["owners.yaml", "plan.yaml", "schema/owners.schema.json", "schema/plan.schema.json"]
    [plan] = result.plans
    assert plan.source_id == "PLAN"
    assert (out / "plan.yaml").read_text(encoding="utf-8") == render_plan(plan)
    owners = render_owners(list(plan.owners.values()), ["plan.csv"], "Lead")
    assert (out / "owners.yaml").read_text(encoding="utf-8") == owners
    for name, text in schema_files().items():
        assert (out / name).read_text(encoding="utf-8") == text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.csv", "plans"]  # no temporary folder left


def test_the_as_of_date_of_a_sheet_that_states_none_is_the_files_date(tmp_path: Path) -> None:
    path = csv_file(tmp_path)
    stamp = 1_680_350_400  # 2023-04-01 12:00 UTC
    os.utime(path, (stamp, stamp))
    [plan] = read_plans(path, ImportOptions(today=TODAY, source_id="S"))
    assert plan.as_at == date.fromtimestamp(stamp)
    assert plan.as_at_reason == "the spreadsheet file's modified date (give --as-of to say when the sheet was true)"


def test_each_sheet_asked_for_once_is_its_own_source_and_the_owners_are_shared(tmp_path: Path) -> None:
    header = ["Ref", "Recommendation", "Action", "Lead", "Target date"]
    path = workbook_of(
        tmp_path / "book.xlsx",
        {
            "Board actions": [header, ["1", "Improve the Board", "Meet monthly", "YOT Manager", "31/03/2023"]],
            "Health": [header, ["1", "Assess health", "Screen everyone", "Health Lead", "31/03/2023"]],
            "Empty": [header, ["", "", "An orphan action", "YOT Manager", "31/03/2023"]],
            "!!!": [header, ["1", "Improve the Board", "Meet monthly", "YOT Manager", "31/03/2023"]],
        },
    )
    options = ImportOptions(today=TODAY, sheets=("Board actions", "Health", "Board actions", "Empty"))
    result = import_spreadsheet(path, tmp_path / "out", options)
    out = tmp_path / "out"
    assert [p.source_id for p in result.plans] == ["BOOK-BOARD-ACTIONS", "BOOK-HEALTH", "BOOK-EMPTY"]
    assert result.plan_paths == [out / "book-board-actions.yaml", out / "book-health.yaml"]  # the empty one not
    assert result.not_placed
    assert files_in(out) == [
        "book-board-actions.yaml",
        "book-health.yaml",
        "owners.yaml",
        "schema/owners.schema.json",
        "schema/plan.schema.json",
    ]
    owners_text = (out / "owners.yaml").read_text(encoding="utf-8")
    said = " ".join(line[2:] for line in owners_text.splitlines()[1:4])
    assert 'from book.xlsx (sheet "Board actions"), book.xlsx (sheet "Health"), book.xlsx (sheet "Empty"): one' in said
    assert [o.key for o in merged_owners(result.plans)] == ["yot-manager", "health-lead"]
    assert owners_text.index("  yot-manager:") < owners_text.index("  health-lead:")
    given = import_spreadsheet(
        path, tmp_path / "given", ImportOptions(today=TODAY, source_id="HMIP", sheets=("Health", "Board actions"))
    )
    assert [p.source_id for p in given.plans] == ["HMIP-HEALTH", "HMIP-BOARD-ACTIONS"]
    one = import_spreadsheet(path, tmp_path / "one", ImportOptions(today=TODAY, source_id="HMIP", sheets=("Health",)))
    assert [p.source_id for p in one.plans] == ["HMIP"]
    # A sheet whose name makes no id is numbered by its place among the sheets asked for.
    unnamed = read_plans(path, ImportOptions(today=TODAY, source_id="B", sheets=("Health", "Empty", "!!!")))
    assert [p.source_id for p in unnamed] == ["B-HEALTH", "B-EMPTY", "B-3"]


def test_the_delimiter_and_encoding_given_are_the_ones_read_with_and_a_missing_file_is_named(tmp_path: Path) -> None:
    path = csv_file(tmp_path, CSV.replace("Meet monthly", "Meet at the café"))
    [latin] = read_plans(path, ImportOptions(today=TODAY, encoding="latin-1"))
    assert latin.recommendations[0].actions[0].title == "Meet at the cafÃ©"
    with pytest.raises(SpreadsheetError, match=r"^plan.csv: no header row"):
        read_plans(path, ImportOptions(today=TODAY, delimiter=";"))
    with pytest.raises(SpreadsheetError) as missing:
        read_plans(tmp_path / "gone.csv", ImportOptions(today=TODAY))
    assert str(missing.value) == "gone.csv: no such file"


def test_the_owners_of_several_plans_are_one_per_key_as_first_met(tmp_path: Path) -> None:
    first = csv_file(tmp_path, CSV + "2,Train,Run the course,Health Lead,31/03/2023\n", "a.csv")
    second = csv_file(tmp_path, CSV.replace("YOT Manager", "Health  lead"), "b.csv")
    plans = read_plans(first, ImportOptions(today=TODAY)) + read_plans(second, ImportOptions(today=TODAY))
    owners = merged_owners(plans)
    assert [(o.key, o.role) for o in owners] == [("yot-manager", "YOT Manager"), ("health-lead", "Health Lead")]


def test_an_import_never_overwrites_and_says_what_is_in_the_way(tmp_path: Path) -> None:
    path = csv_file(tmp_path)
    options = ImportOptions(today=TODAY, source_id="S")
    (tmp_path / "a-file").write_text("mine", encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        import_spreadsheet(path, tmp_path / "a-file", options)
    assert str(refused.value) == "a-file is a file; -o names the folder for the new plan files"
    for name in ("s.yaml", "owners.yaml", "owners.yml"):
        out = tmp_path / f"with-{name}"
        out.mkdir()
        (out / name).write_text("mine", encoding="utf-8")
        with pytest.raises(ImportRefused) as refused:
            import_spreadsheet(path, out, options)
        assert str(refused.value) == (
            f"with-{name}/{name} already exists; nothing written: import into a new folder "
            "(yotplan import never overwrites a file)"
        )
        assert files_in(out) == [name]
    dangling = tmp_path / "dangling"
    dangling.mkdir()
    (dangling / "owners.yaml").symlink_to(tmp_path / "nowhere")
    with pytest.raises(ImportRefused, match=r"^dangling/owners.yaml already exists; nothing written"):
        import_spreadsheet(path, dangling, options)
    holding = tmp_path / "holding"
    holding.mkdir()
    (holding / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        import_spreadsheet(path, holding, options)
    assert str(refused.value) == (
        "holding already holds files; nothing written: import into a new folder "
        "(the plan and owners.yaml are made together)"
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    import_spreadsheet(path, empty, options)
    assert files_in(empty) == ["owners.yaml", "s.yaml", "schema/owners.schema.json", "schema/plan.schema.json"]


def test_when_no_action_can_be_placed_nothing_is_written_and_each_row_says_why(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "Recommendation,Action,Lead,Target date\n,Do it,YOT Manager,31/03/2023\n")
    with pytest.raises(ImportRefused) as refused:
        import_spreadsheet(path, tmp_path / "out", ImportOptions(today=TODAY))
    assert str(refused.value) == "plan.csv: no action could be placed; nothing written"
    assert refused.value.details == (
        "plan.csv:2: no recommendation on or above this row; fill in its ref and recommendation",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.csv"]


def test_files_that_would_not_pass_check_or_read_back_differently_are_never_placed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = csv_file(tmp_path)
    options = ImportOptions(today=TODAY, source_id="S")
    original = plan_import.render_plan
    monkeypatch.setattr(plan_import, "render_plan", lambda plan: original(plan).replace("Meet monthly", "Meet"))
    with pytest.raises(SpreadsheetError) as failed:
        import_spreadsheet(path, tmp_path / "out", options)
    assert str(failed.value) == (
        "s.yaml did not read back as it was written; nothing written. This is a bug in yotplan: please report it "
        "with the spreadsheet"
    )
    monkeypatch.setattr(plan_import, "render_plan", lambda plan: original(plan).replace("not-started", "unsure"))
    with pytest.raises(SpreadsheetError) as failed:
        import_spreadsheet(path, tmp_path / "out", options)
    assert str(failed.value).startswith("the imported plan would not pass `yotplan check` (YP")
    assert str(failed.value).endswith(
        "); nothing written. This is a bug in yotplan: please report it with the spreadsheet"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.csv"]


def test_the_files_are_judged_as_of_the_imports_today(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        "Ref,Recommendation,Action,Lead,Target date,Status,Date completed\n"
        "1,Improve the Board,Meet monthly,YOT Manager,31/03/2023,Complete,01/03/2023\n",
    )
    result = import_spreadsheet(path, tmp_path / "out", ImportOptions(today=TODAY, source_id="S"))
    assert result.problems == []
    assert "    completed: 2023-03-01\n" in (tmp_path / "out" / "s.yaml").read_text(encoding="utf-8")


def test_what_the_guard_finds_is_named_at_the_files_final_paths(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        "Recommendation,Action,Lead,Deadline,Status,Progress update\n"
        "Improve attendance,Follow up absences,YOT Manager,31/07/2022,In progress,J.S. (15) DOB 03/04/2008 attends\n",
    )
    result = import_spreadsheet(path, tmp_path / "out", ImportOptions(today=TODAY, source_id="S"))
    assert [(p.code, p.path) for p in result.problems] == [("YP301", "out/s.yaml"), ("YP307", "out/s.yaml")]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_new_folder_is_checked_whole_then_placed_with_the_usual_permissions(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "er" / "plans"
    seen: list[tuple[str, list[str]]] = []

    def check(folder: Path) -> None:
        seen.append((folder.name, files_in(folder)))
        assert folder.parent == target.parent

    old = os.umask(0o027)
    try:
        create_folder(target, {"a.yaml": "é\n", "schema/v1/b.json": "{}\n"}, check)
        assert os.umask(0o027) == 0o027  # the umask read is put back
    finally:
        os.umask(old)
    [(name, files)] = seen
    assert name.startswith(f".plans.yotplan-import-{os.getpid()}-")
    assert files == ["a.yaml", "schema/v1/b.json"]
    assert files_in(target) == ["a.yaml", "schema/v1/b.json"]
    assert (target / "a.yaml").read_bytes() == "é\n".encode()
    assert stat.S_IMODE(target.stat().st_mode) == 0o750
    assert os.listdir(target.parent) == ["plans"]


def test_a_check_that_raises_leaves_nothing(tmp_path: Path) -> None:
    def refuse(folder: Path) -> None:
        raise SpreadsheetError("no")

    with pytest.raises(SpreadsheetError, match=r"^no$"):
        create_folder(tmp_path / "plans", {"a.yaml": "x\n"}, refuse)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_clean_up_never_hides_why_the_folder_was_not_made(tmp_path: Path) -> None:
    def vanish_and_refuse(folder: Path) -> None:
        shutil.rmtree(folder)
        raise SpreadsheetError("refused")

    with pytest.raises(SpreadsheetError, match=r"^refused$"):
        create_folder(tmp_path / "plans", {"a.yaml": "x\n", "schema/b.json": "{}\n"}, vanish_and_refuse)
    assert list(tmp_path.iterdir()) == []


def test_where_a_rename_cannot_replace_an_empty_folder_it_is_removed_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_rename = os.rename

    def rename_never_over_a_folder(source: Path, target: Path) -> None:  # as on Windows
        if Path(target).exists():
            raise FileExistsError(17, "File exists")
        real_rename(source, target)

    monkeypatch.setattr(new_folder.os, "rename", rename_never_over_a_folder)
    (tmp_path / "plans").mkdir()
    create_folder(tmp_path / "plans", {"a.yaml": "x\n"})
    assert files_in(tmp_path / "plans") == ["a.yaml"]
    assert os.listdir(tmp_path) == ["plans"]


def test_a_folder_that_appeared_or_cannot_be_written_is_refused_and_nothing_is_left(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "x").write_text("mine", encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        create_folder(tmp_path / "taken", {"a.yaml": "x\n"})
    assert str(refused.value) == "taken appeared while importing; nothing written: import into a new folder"
    (tmp_path / "a-file").write_text("mine", encoding="utf-8")
    with pytest.raises(ImportRefused, match=r"^a-file appeared while importing"):
        create_folder(tmp_path / "a-file", {"a.yaml": "x\n"})
    (tmp_path / "empty").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "empty")
    with pytest.raises(ImportRefused, match=r"^link appeared while importing"):
        create_folder(tmp_path / "link", {"a.yaml": "x\n"})
    with pytest.raises(SpreadsheetError) as failed:
        create_folder(tmp_path / "a-file" / "plans", {"a.yaml": "x\n"})
    assert str(failed.value) == "cannot create a-file: File exists"
    with pytest.raises(SpreadsheetError) as failed:
        create_folder(tmp_path / "new", {"a": "x\n", "a/b": "y\n"})
    assert str(failed.value) == "cannot create new: File exists; nothing written"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "empty", "link", "taken"]
    create_folder(tmp_path / "empty", {"a.yaml": "x\n"})
    assert files_in(tmp_path / "empty") == ["a.yaml"]


def test_a_folder_where_no_temporary_folder_can_be_made_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(**_: object) -> str:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(new_folder.tempfile, "mkdtemp", refused)
    with pytest.raises(SpreadsheetError) as failed:
        create_folder(tmp_path / "sub" / "plans", {"a.yaml": "x\n"})
    assert str(failed.value) == "cannot write in sub: Permission denied"


def test_the_documented_pause_writes_the_pid_and_goes_on_once_resumed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pause = tmp_path / "pause"
    pause.mkdir()
    (pause / "resume").write_text("", encoding="utf-8")
    monkeypatch.setenv(TEST_PAUSE_ENV, str(pause))
    create_folder(tmp_path / "plans", {"a.yaml": "x\n"})
    assert (pause / "paused").read_text(encoding="utf-8") == str(os.getpid())
    assert files_in(tmp_path / "plans") == ["a.yaml"]


@pytest.mark.skipif(sys.platform == "win32", reason="stale-folder cleaning asks os.kill, which Windows keeps out of")
def test_only_the_temporary_folders_of_dead_imports_into_the_same_target_are_removed(tmp_path: Path) -> None:
    dead = 4_194_304 + 7  # above Linux's largest pid: no such process
    stale = tmp_path / f".plans.yotplan-import-{dead}-abc"
    kept = [
        tmp_path / f".plans.yotplan-import-{os.getpid()}-mine",
        tmp_path / f".other.yotplan-import-{dead}-abc",
        tmp_path / f".plans.yotplan-import-{dead}x-abc",
        tmp_path / f"x.plans.yotplan-import-{dead}-abc",
    ]
    for folder in (stale, *kept):
        folder.mkdir()
        (folder / "plan.yaml").write_text("x", encoding="utf-8")
    as_file = tmp_path / f".plans.yotplan-import-{dead}-file"
    as_file.write_text("x", encoding="utf-8")
    as_link = tmp_path / f".plans.yotplan-import-{dead}-link"
    as_link.symlink_to(kept[0])
    assert remove_stale_folders(tmp_path / "plans") == [stale]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in (*kept, as_file, as_link))
    create_folder(tmp_path / "plans", {"a.yaml": "x\n"})  # an import removes them too
    stale.mkdir()
    create_folder(tmp_path / "plans2", {"a.yaml": "x\n"})
    assert stale.exists()  # another target's import leaves them
    assert remove_stale_folders(tmp_path / "missing" / "plans") == []


@pytest.mark.skipif(sys.platform == "win32", reason="stale-folder cleaning asks os.kill, which Windows keeps out of")
def test_an_import_still_running_keeps_its_folder_and_is_never_signalled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The child dies of a hang-up signal even when started under `nohup`, which has it ignored.
    child = (
        "import signal, time\nsignal.signal(signal.SIGHUP, signal.SIG_DFL)\nprint('ready', flush=True)\ntime.sleep(60)"
    )
    with subprocess.Popen([sys.executable, "-c", child], stdout=subprocess.PIPE, text=True) as running:
        try:
            assert running.stdout is not None
            assert running.stdout.readline() == "ready\n"
            folder = tmp_path / f".plans.yotplan-import-{running.pid}-abc"
            folder.mkdir()
            assert remove_stale_folders(tmp_path / "plans") == []
            assert folder.is_dir()
        finally:
            running.terminate()
            running.wait()
    assert running.returncode == -signal.SIGTERM  # the check sent it nothing

    def not_ours(pid: int, signal_number: int) -> None:
        raise PermissionError(1, "Operation not permitted")  # another user's import

    monkeypatch.setattr(new_folder.os, "kill", not_ours)
    assert remove_stale_folders(tmp_path / "plans") == []
    assert folder.is_dir()
