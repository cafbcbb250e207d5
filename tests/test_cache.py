"""The cache of validated plan files: keyed by content, plain data, trusted only when this user's
yotplan wrote it, safe to delete, and never deleting anything it did not write."""

from __future__ import annotations

import marshal
import os
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

import yotplan.plans.cache
from yotplan.cli.settings import cache_folder, cache_key_path, load_settings
from yotplan.plans import loader
from yotplan.plans.cache import (
    HEADER,
    KEY_BYTES,
    MAGIC,
    SUBFOLDER,
    CacheOpening,
    PlanCache,
    from_plain,
    to_plain,
)
from yotplan.plans.loader import LoadResult
from yotplan.plans.models import OwnersFile, PlanFile
from yotplan.rules.plan_rules import check_plans

from conftest import SHIPPED_PLANS, Invoke


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own cache folder (created on first write) and its own key."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("YOTPLAN_CACHE_DIR", str(folder))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("YOTPLAN_NO_CACHE", raising=False)
    return folder


def load_plans(root: Path, *, use_cache: bool = True) -> LoadResult:
    """Load as the command line does: with the settings it reads from the environment."""
    return loader.load_plans(root, settings=load_settings(no_cache=not use_cache))


def open_cache() -> CacheOpening:
    """The cache where the command line would open it."""
    return yotplan.plans.cache.open_cache(cache_folder(), cache_key_path())


def entries(folder: Path) -> list[Path]:
    where = folder / SUBFOLDER
    return sorted(p for p in where.iterdir() if len(p.name) == 2 * KEY_BYTES) if where.exists() else []


def opened() -> PlanCache:
    opening = open_cache()
    assert opening.cache is not None, opening.warning
    return opening.cache


def as_compared(plans: Path) -> list[tuple[str, object, object]]:
    result = load_plans(plans)
    assert not result.problems
    docs = [result.plans.owners_doc, *result.plans.plans]
    return [(d.path, d.model, d.data) for d in docs if d is not None]


def test_second_load_comes_from_the_cache_and_equals_the_first(plans: Path, cache_dir: Path) -> None:
    cold = as_compared(plans)
    assert len(entries(cache_dir)) == 6  # owners.yaml, boards.yaml, service.yaml and three plan files
    warm = as_compared(plans)
    assert warm == cold  # models, and the marked data re-read for positions
    raw = (plans / "hmip-inspection.yaml").read_bytes()
    model = next(m for p, m, _ in cold if p.endswith("hmip-inspection.yaml"))
    assert opened().get(raw, PlanFile) == (model, [])


def test_models_go_to_plain_data_and_back_unchanged() -> None:
    result = load_plans(SHIPPED_PLANS, use_cache=False)
    for doc in result.plans.plans:
        plain = to_plain(doc.model)
        assert marshal.loads(marshal.dumps(plain)) == plain  # only values marshal can store
        assert from_plain(PlanFile, plain) == doc.model
    assert result.plans.owners_doc is not None
    owners = result.plans.owners_doc.model
    assert from_plain(OwnersFile, to_plain(owners)) == owners


def test_an_entry_is_data_not_code(plans: Path, cache_dir: Path) -> None:
    load_plans(plans)
    for entry in entries(cache_dir):
        blob = entry.read_bytes()
        assert blob.startswith(MAGIC)
        assert b"pickle" not in blob
        assert b"yotplan.plans.models" not in blob


def test_a_warm_run_imports_no_pydantic(plans: Path, cache_dir: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from yotplan.plans.loader import load_plans\n"
        "from yotplan.cli.settings import load_settings\n"
        f"r = load_plans(Path({str(plans)!r}), settings=load_settings()); assert not r.problems, r.problems\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'pydantic_core', 'yaml')))"
    )
    env = {**os.environ}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert "pydantic" in first.stdout  # cold: validated
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert second.stdout.strip() == "[]"


def test_the_cache_lives_in_the_cache_folder_not_next_to_the_plans(plans: Path, cache_dir: Path) -> None:
    before = sorted(p.name for p in plans.parent.rglob("*") if "cache" not in p.parts and "state" not in p.parts)
    load_plans(plans)
    after = sorted(p.name for p in plans.parent.rglob("*") if "cache" not in p.parts and "state" not in p.parts)
    assert after == before
    assert cache_folder() == cache_dir


def test_default_folders_follow_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("YOTPLAN_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform == "linux":
        assert cache_folder() == tmp_path / "xdg" / "yotplan"
        assert cache_key_path() == tmp_path / "state" / "yotplan" / "cache-key"


def test_an_edit_is_a_miss_even_when_size_and_mtime_are_kept(plans: Path, cache_dir: Path) -> None:
    path = plans / "hmip-inspection.yaml"
    load_plans(plans)
    stat = path.stat()
    text = path.read_text()
    edited = text.replace("owner: camhs-lead", "owner: camhs-leax", 1)
    assert len(edited) == len(text)
    path.write_text(edited)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    result = load_plans(plans)
    # The stale model would have no problem; the fresh one is still valid YAML, so the rule catches it.
    problems = [p for p in check_plans(result.plans, date(2022, 6, 1)) if p.code == "YP104"]
    assert problems
    assert "camhs-leax" in problems[0].message
    assert len(entries(cache_dir)) == 7


def test_problem_lines_from_a_warm_cache_match_a_cold_load(plans: Path, cli: Invoke, cache_dir: Path) -> None:
    cold = cli("check", "--plans", plans, "--today", "2023-06-01")
    assert entries(cache_dir)
    warm = cli("check", "--plans", plans, "--today", "2023-06-01")
    assert warm.stdout == cold.stdout
    assert "YP201" in warm.stdout  # overdue warnings, each at its action's due date line
    lines = [int(line.split(":")[1]) for line in warm.stdout.splitlines()]
    assert min(lines) > 1


def test_corrupt_entries_are_ignored_and_replaced(plans: Path, cache_dir: Path) -> None:
    expected = as_compared(plans)
    for i, entry in enumerate(entries(cache_dir)):
        blob = bytearray(entry.read_bytes())
        if i % 2:
            blob[-10] ^= 0xFF  # one flipped bit in the payload: its MAC no longer matches
            entry.write_bytes(bytes(blob))
        else:
            entry.write_bytes(bytes(blob[: len(blob) // 2]))  # truncated
    assert as_compared(plans) == expected
    raw = (plans / "lga-peer-review.yaml").read_bytes()
    assert opened().get(raw, PlanFile) is not None  # rewritten by the second load


def test_entries_written_without_this_users_key_are_ignored(plans: Path, cache_dir: Path, tmp_path: Path) -> None:
    """Someone who knows the format and the keys (they are hashes of public plan bytes) but not
    the user's secret key cannot make yotplan serve another plan."""
    load_plans(plans)
    cache = opened()
    raw = (plans / "hmip-inspection.yaml").read_bytes()
    key = cache.key(raw, PlanFile)
    entry = cache_dir / SUBFOLDER / key.hex()
    hit = cache.get(raw, PlanFile)
    assert hit is not None
    forged_plan = to_plain(hit[0])
    forged_plan[1][0][5][0] = (*forged_plan[1][0][5][0][:4], "done", *forged_plan[1][0][5][0][5:])
    payload = marshal.dumps((forged_plan, []))
    for mac in (b"\0" * 32, entry.read_bytes()[len(MAGIC) + KEY_BYTES : len(MAGIC) + KEY_BYTES + 32]):
        entry.write_bytes(MAGIC + key + mac + payload)
        assert cache.get(raw, PlanFile) is None
    # Another user's yotplan (another key) wrote a perfectly good entry: not trusted either.
    shutil.rmtree(cache_dir)
    os.environ["XDG_STATE_HOME"] = str(tmp_path / "someone-else")
    load_plans(plans)
    os.environ["XDG_STATE_HOME"] = str(tmp_path / "state")
    assert opened().get(raw, PlanFile) is None


def test_foreign_entries_are_ignored(plans: Path, cache_dir: Path) -> None:
    load_plans(plans)
    cache = opened()
    raw = (plans / "hmip-inspection.yaml").read_bytes()
    entry = cache_dir / SUBFOLDER / cache.key(raw, PlanFile).hex()
    # Right name, another file's entry copied over it.
    other = next(e for e in entries(cache_dir) if e != entry)
    shutil.copy(other, entry)
    assert cache.get(raw, PlanFile) is None
    entry.write_bytes(b"something else entirely")  # another tool, another format
    assert cache.get(raw, PlanFile) is None


def test_another_version_does_not_see_the_entries(
    plans: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_plans(plans)
    raw = (plans / "hmip-inspection.yaml").read_bytes()
    assert opened().get(raw, PlanFile) is not None
    monkeypatch.setattr(yotplan.plans.cache, "__version__", "999.0")
    assert opened().get(raw, PlanFile) is None
    monkeypatch.setattr(yotplan.plans.cache.sys, "version", "3.99.0 (other build)")
    assert opened().get(raw, PlanFile) is None


def test_safe_to_delete_at_any_time(plans: Path, cache_dir: Path) -> None:
    expected = as_compared(plans)
    shutil.rmtree(cache_dir)
    assert as_compared(plans) == expected
    assert len(entries(cache_dir)) == 6
    for entry in entries(cache_dir):  # deleted between the read of the key and the read of the entry
        entry.unlink()
    assert as_compared(plans) == expected


def test_entries_are_written_whole_and_private(plans: Path, cache_dir: Path) -> None:
    load_plans(plans)
    names = [p.name for p in (cache_dir / SUBFOLDER).iterdir()]
    assert all(len(name) == 2 * KEY_BYTES for name in names)  # no temporary file left behind
    if os.name == "posix":
        assert (cache_dir / SUBFOLDER).stat().st_mode & 0o777 == 0o700
        assert all(p.stat().st_mode & 0o077 == 0 for p in (cache_dir / SUBFOLDER).iterdir())
        assert cache_key_path().stat().st_mode & 0o777 == 0o600


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_folder_others_can_write_to_is_refused_with_a_warning(plans: Path, cache_dir: Path) -> None:
    (cache_dir / SUBFOLDER).mkdir(parents=True)
    (cache_dir / SUBFOLDER).chmod(0o777)
    opening = open_cache()
    assert opening.cache is None
    assert opening.warning is not None
    assert "not private" in opening.warning
    result = load_plans(plans)
    assert entries(cache_dir) == []
    assert result.notes == [opening.warning]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_key_others_can_read_is_refused(plans: Path, cache_dir: Path) -> None:
    load_plans(plans)
    cache_key_path().chmod(0o644)
    opening = open_cache()
    assert opening.cache is None
    assert opening.warning is not None
    assert "cache-key" in opening.warning


def test_a_cache_folder_inside_a_git_work_tree_is_refused(
    plans: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Invoke
) -> None:
    clone = tmp_path / "clone"
    (clone / ".git").mkdir(parents=True)
    monkeypatch.setenv("YOTPLAN_CACHE_DIR", str(clone / ".yotplan-cache"))
    result = cli("status", "--plans", plans, "--today", "2022-06-01")
    assert result.exit_code == 0
    assert "23 recommendations" in result.stdout
    warning = result.stderr.strip()
    assert warning.count("\n") == 0
    assert warning.startswith("yotplan: warning: the cache folder ")
    assert "git work tree" in warning
    assert "running without the cache" in warning
    assert not (clone / ".yotplan-cache").exists()


def test_disabled_by_environment(plans: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YOTPLAN_NO_CACHE", "1")
    assert load_settings().cache_dir is None
    load_plans(plans)
    assert entries(cache_dir) == []
    monkeypatch.setenv("YOTPLAN_NO_CACHE", "0")
    assert load_settings().cache_dir == cache_dir
    load_plans(plans)
    assert entries(cache_dir) != []


def test_disabled_by_option_for_one_run_only(plans: Path, cli: Invoke, cache_dir: Path) -> None:
    result = cli("--no-cache", "status", "--plans", plans, "--today", "2022-06-01")
    assert result.exit_code == 0
    assert entries(cache_dir) == []
    assert cli("status", "--plans", plans, "--today", "2022-06-01").stdout == result.stdout
    assert len(entries(cache_dir)) == 6
    assert "--no-cache" in cli("--help").stdout


def test_load_plans_can_skip_the_cache(plans: Path, cache_dir: Path) -> None:
    load_plans(plans, use_cache=False)
    assert entries(cache_dir) == []


def test_broken_files_are_not_cached(plans: Path, cache_dir: Path) -> None:
    (plans / "improvement-review.yaml").write_text("source: {id: IR, title: T, kind: nonsense}\n")
    result = load_plans(plans)
    assert [p.code for p in result.problems] == ["YP010"]
    assert len(entries(cache_dir)) == 5
    assert [p.code for p in load_plans(plans).problems] == ["YP010"]


def test_old_entries_are_pruned(plans: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yotplan.plans.cache, "MAX_ENTRIES", 8)
    path = plans / "hmip-inspection.yaml"
    text = path.read_text()
    for i in range(12):
        path.write_text(text + f"# edit {i}\n")
        load_plans(plans)
    assert len(entries(cache_dir)) <= 8
    raw = path.read_bytes()
    assert opened().get(raw, PlanFile) is not None  # the newest entries stay


def test_pruning_deletes_only_what_yotplan_wrote(plans: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An ordinary folder used as the cache folder keeps every file of the user's, whatever its
    name or age; in `entries/` only files with yotplan's header are ever deleted."""
    cache_dir.mkdir()
    old = time.time() - 10 * 86400
    mine = {
        "a" * 40: b"forty-character name, 60 MB in the report" * 10,
        ".tmp-notes.txt": b"the user's notes",
        "notes.yaml": b"owners: {}\n",
    }
    for name, data in mine.items():
        (cache_dir / name).write_bytes(data)
        os.utime(cache_dir / name, (old, old))
    load_plans(plans)  # creates entries/
    planted = {"b" * 40: b"not ours", ".tmp-x": b"not ours either"}
    for name, data in planted.items():
        (cache_dir / SUBFOLDER / name).write_bytes(data)
        os.utime(cache_dir / SUBFOLDER / name, (old, old))
    stale_temp = cache_dir / SUBFOLDER / ".tmp-killed"
    stale_temp.write_bytes(MAGIC + b"half an entry")
    os.utime(stale_temp, (old, old))
    monkeypatch.setattr(yotplan.plans.cache, "MAX_ENTRIES", 1)
    path = plans / "hmip-inspection.yaml"
    path.write_text(path.read_text() + "# an edit\n")
    load_plans(plans)
    for name, data in mine.items():
        assert (cache_dir / name).read_bytes() == data
    for name, data in planted.items():
        assert (cache_dir / SUBFOLDER / name).read_bytes() == data
    assert not stale_temp.exists()
    ours = [p for p in entries(cache_dir) if p.read_bytes().startswith(HEADER)]
    assert len(ours) <= 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_a_fifo_in_the_cache_folder_does_not_hang_a_run(plans: Path, cache_dir: Path) -> None:
    load_plans(plans)
    raw = (plans / "hmip-inspection.yaml").read_bytes()
    entry = cache_dir / SUBFOLDER / opened().key(raw, PlanFile).hex()
    entry.unlink()
    os.mkfifo(entry)
    code = (
        "from pathlib import Path; from yotplan.plans.loader import load_plans\n"
        "from yotplan.cli.settings import load_settings\n"
        f"load_plans(Path({str(plans)!r}), settings=load_settings())"
    )
    subprocess.run([sys.executable, "-c", code], timeout=120, check=True)


def test_shipped_plans_load_the_same_with_and_without_cache(cache_dir: Path) -> None:
    without = load_plans(SHIPPED_PLANS, use_cache=False)
    load_plans(SHIPPED_PLANS)
    with_cache = load_plans(SHIPPED_PLANS)
    assert [d.model for d in with_cache.plans.plans] == [d.model for d in without.plans.plans]
    assert with_cache.plans.owners == without.plans.owners


def test_positions_are_cached_for_files_that_had_problems(plans: Path, cli: Invoke, cache_dir: Path) -> None:
    check = ("check", "--plans", plans, "--today", "2023-06-01")
    cold = cli(*check).stdout
    assert len(entries(cache_dir)) == 6  # models only: positions come from the parse in memory
    assert cli(*check).stdout == cold  # warm: files with problems parsed again, their positions stored
    with_problems = {line.split(":")[0] for line in cold.splitlines()}
    assert len(entries(cache_dir)) == 6 + len(with_problems)
    for entry in entries(cache_dir):  # positions read back, or parsed again when an entry is damaged
        if entry.stat().st_size > 100 and entry.name < "8":
            entry.write_bytes(entry.read_bytes()[:100])
    assert cli(*check).stdout == cold
    assert cli(*check).stdout == cold


def test_flattened_marked_data_comes_back_with_the_same_positions() -> None:
    from yotplan.plans.strict_yaml import flatten, locate, parse_yaml, unflatten

    data = parse_yaml((SHIPPED_PLANS / "lga-peer-review.yaml").read_text())
    back = unflatten(flatten(data))
    assert back == data
    for path in [("source", "id"), ("recommendations", 3, "actions", 1, "due"), ("recommendations", 0, "related", 1)]:
        assert locate(back, path) == locate(data, path)
        assert locate(back, path, at_key=True) == locate(data, path, at_key=True)
    assert back["recommendations"].item_marks == data["recommendations"].item_marks
    with pytest.raises(ValueError, match="not flattened"):
        unflatten([7, 1, (1, 1)])


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_an_edit_session_reads_with_the_settings_it_is_given(plans: Path, cache_dir: Path) -> None:
    """`yotplan update` and the other edits pass the command line's cache settings to the session:
    a cache folder refused says so in the session's notes, as it does for `check`."""
    from yotplan.edit.session import EditSession

    (cache_dir / SUBFOLDER).mkdir(parents=True)
    (cache_dir / SUBFOLDER).chmod(0o777)
    warning = open_cache().warning
    assert warning is not None
    with EditSession(plans, date(2022, 6, 1), settings=load_settings()) as session:
        assert session.notes == [warning]
