"""The cache of validated plan files: keyed by content, never trusted blindly, safe to delete."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

import yotplan.plans.cache
from yotplan.plans.cache import KEY_BYTES, MAGIC, PlanCache, cache_folder, open_cache
from yotplan.plans.loader import load_plans
from yotplan.plans.models import PlanFile
from yotplan.rules.plan_rules import check_plans

from conftest import SHIPPED_PLANS, Invoke


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own cache folder (created on first write)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("YOTPLAN_CACHE_DIR", str(folder))
    monkeypatch.delenv("YOTPLAN_NO_CACHE", raising=False)
    yotplan.plans.cache.disable_for_run(False)
    return folder


def entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if len(p.name) == 2 * KEY_BYTES) if folder.exists() else []


def as_compared(plans: Path) -> list[tuple[str, object, object]]:
    result = load_plans(plans)
    assert not result.problems
    docs = [result.plans.owners_doc, *result.plans.plans]
    return [(d.path, d.model, d.data) for d in docs if d is not None]


def test_second_load_comes_from_the_cache_and_equals_the_first(plans: Path, cache_dir: Path) -> None:
    cold = as_compared(plans)
    assert len(entries(cache_dir)) == 4  # owners.yaml and three plan files
    cache = open_cache()
    assert cache is not None
    warm = as_compared(plans)
    assert warm == cold  # models, and the marked data re-read for positions
    raw = (plans / "hmip-inspection.yaml").read_bytes()
    assert cache.get(raw, PlanFile) == next(m for p, m, _ in cold if p.endswith("hmip-inspection.yaml"))


def test_the_cache_lives_in_the_cache_folder_not_next_to_the_plans(plans: Path, cache_dir: Path) -> None:
    before = sorted(p.name for p in plans.parent.rglob("*") if "cache" not in p.parts)
    load_plans(plans)
    after = sorted(p.name for p in plans.parent.rglob("*") if "cache" not in p.parts)
    assert after == before
    assert cache_folder() == cache_dir


def test_default_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("YOTPLAN_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if os.name == "posix" and os.uname().sysname == "Linux":
        assert cache_folder() == tmp_path / "xdg" / "yotplan"


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
    assert len(entries(cache_dir)) == 5


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
            blob[-10] ^= 0xFF  # one flipped bit in the payload: its hash no longer matches
            entry.write_bytes(bytes(blob))
        else:
            entry.write_bytes(bytes(blob[: len(blob) // 2]))  # truncated
    assert as_compared(plans) == expected
    cache = open_cache()
    assert cache is not None
    raw = (plans / "lga-peer-review.yaml").read_bytes()
    assert cache.get(raw, PlanFile) is not None  # rewritten by the second load


def test_foreign_entries_are_ignored(plans: Path, cache_dir: Path) -> None:
    import hashlib
    import pickle

    load_plans(plans)
    cache = PlanCache(cache_dir)
    raw = (plans / "hmip-inspection.yaml").read_bytes()
    key = cache.key(raw, PlanFile)
    entry = cache_dir / key.hex()
    # Right name, wrong key inside (another file's entry copied over it).
    other = entries(cache_dir)[0 if entries(cache_dir)[0] != entry else 1]
    shutil.copy(other, entry)
    assert cache.get(raw, PlanFile) is None
    # Right name and key, a valid hash, but not a plan model: never returned.
    payload = pickle.dumps({"not": "a plan"})
    entry.write_bytes(MAGIC + key + hashlib.blake2b(payload, digest_size=KEY_BYTES).digest() + payload)
    assert cache.get(raw, PlanFile) is None
    # Another magic (another tool, another format).
    entry.write_bytes(b"something else entirely")
    assert cache.get(raw, PlanFile) is None


def test_another_version_does_not_see_the_entries(
    plans: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_plans(plans)
    raw = (plans / "hmip-inspection.yaml").read_bytes()
    assert PlanCache(cache_dir).get(raw, PlanFile) is not None
    monkeypatch.setattr(yotplan.plans.cache, "__version__", "999.0")
    assert PlanCache(cache_dir).get(raw, PlanFile) is None
    monkeypatch.setattr(yotplan.plans.cache.sys, "version", "3.99.0 (other build)")
    assert PlanCache(cache_dir).get(raw, PlanFile) is None


def test_safe_to_delete_at_any_time(plans: Path, cache_dir: Path) -> None:
    expected = as_compared(plans)
    shutil.rmtree(cache_dir)
    assert as_compared(plans) == expected
    assert len(entries(cache_dir)) == 4
    for entry in entries(cache_dir):  # deleted between the read of the key and the read of the entry
        entry.unlink()
    assert as_compared(plans) == expected


def test_entries_are_written_whole_and_private(plans: Path, cache_dir: Path) -> None:
    load_plans(plans)
    names = [p.name for p in cache_dir.iterdir()]
    assert all(len(name) == 2 * KEY_BYTES for name in names)  # no temporary file left behind
    if os.name == "posix":
        assert cache_dir.stat().st_mode & 0o777 == 0o700
        assert all(p.stat().st_mode & 0o077 == 0 for p in cache_dir.iterdir())


def test_a_folder_others_can_write_to_is_not_used(plans: Path, cache_dir: Path) -> None:
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    cache_dir.mkdir()
    cache_dir.chmod(0o777)
    assert open_cache() is None
    load_plans(plans)
    assert entries(cache_dir) == []


def test_disabled_by_environment(plans: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YOTPLAN_NO_CACHE", "1")
    assert open_cache() is None
    load_plans(plans)
    assert entries(cache_dir) == []
    monkeypatch.setenv("YOTPLAN_NO_CACHE", "0")
    assert open_cache() is not None


def test_disabled_by_option_for_one_run_only(plans: Path, cli: Invoke, cache_dir: Path) -> None:
    result = cli("--no-cache", "status", "--plans", plans, "--today", "2022-06-01")
    assert result.exit_code == 0
    assert entries(cache_dir) == []
    assert cli("status", "--plans", plans, "--today", "2022-06-01").stdout == result.stdout
    assert len(entries(cache_dir)) == 4
    assert "--no-cache" in cli("--help").stdout


def test_load_plans_can_skip_the_cache(plans: Path, cache_dir: Path) -> None:
    load_plans(plans, use_cache=False)
    assert entries(cache_dir) == []


def test_broken_files_are_not_cached(plans: Path, cache_dir: Path) -> None:
    (plans / "improvement-review.yaml").write_text("source: {id: IR, title: T, kind: nonsense}\n")
    result = load_plans(plans)
    assert [p.code for p in result.problems] == ["YP010"]
    assert len(entries(cache_dir)) == 3
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
    assert PlanCache(cache_dir).get(raw, PlanFile) is not None  # the newest entries stay


def test_shipped_plans_load_the_same_with_and_without_cache(cache_dir: Path) -> None:
    without = load_plans(SHIPPED_PLANS, use_cache=False)
    load_plans(SHIPPED_PLANS)
    with_cache = load_plans(SHIPPED_PLANS)
    assert [d.model for d in with_cache.plans.plans] == [d.model for d in without.plans.plans]
    assert with_cache.plans.owners == without.plans.owners


def test_positions_are_cached_for_files_that_had_problems(plans: Path, cli: Invoke, cache_dir: Path) -> None:
    check = ("check", "--plans", plans, "--today", "2023-06-01")
    cold = cli(*check).stdout
    assert len(entries(cache_dir)) == 4  # models only: positions come from the parse in memory
    assert cli(*check).stdout == cold  # warm: files with problems parsed again, their positions stored
    with_problems = {line.split(":")[0] for line in cold.splitlines()}
    assert len(entries(cache_dir)) == 4 + len(with_problems)
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
