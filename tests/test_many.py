"""Many plans folders in one run (`yotplan.plans.loader.load_folders`): the same as loading each
folder alone, one cache entry per small folder, a broken folder among many reported while the
others are read, and bench/generate.py's services the same for a seed.

No timing here: the numbers are in docs/benchmark.md (`python bench/run.py --services 155`)."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from yotplan.plans.cache import KEY_BYTES, SUBFOLDER
from yotplan.plans.loader import NO_CACHE, LoadSettings, load_plans
from yotplan.rules.checker import Judged, judge
from yotplan.rules.file_checks import PERSONAL_DATA_CHECKS

from conftest import REPO, Invoke

SERVICES = 40
ACTIONS = 25


def bench_generate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate", REPO / "bench" / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = module
    spec.loader.exec_module(module)
    return module


GENERATE = bench_generate()
TODAY: date = GENERATE.BENCH_TODAY


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """40 small service folders (25 actions each, ids colliding across them), written once."""
    root = tmp_path_factory.mktemp("services")
    GENERATE.write_services(GENERATE.build_services(SERVICES, ACTIONS, seed=3), root)
    return root


@pytest.fixture
def services(generated: Path, tmp_path: Path) -> Path:
    """A copy of the 40 services, safe to break."""
    target = tmp_path / "services"
    shutil.copytree(generated, target)
    return target


@pytest.fixture
def own_cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def cached(own_cache: Path, tmp_path: Path) -> LoadSettings:
    """Reading with a cache of the test's own (and its own key)."""
    return LoadSettings(own_cache, tmp_path / "state" / "cache-key")


def folders_of(root: Path) -> list[Path]:
    return [root / line for line in (root / "plans-list.txt").read_text().split()]


def cache_entries(folder: Path) -> list[Path]:
    where = folder / SUBFOLDER
    return [p for p in where.iterdir() if len(p.name) == 2 * KEY_BYTES] if where.exists() else []


def as_seen(judged: Judged) -> list[Any]:
    """Everything a command could read from a run: problems in order, and per folder its service,
    files, problems, notes and every document (path, model, findings, data with positions)."""
    seen: list[Any] = [judged.problems, judged.files, judged.notes, judged.files_left_out]
    for result in judged.results:
        plans = result.plans
        seen.append((plans.root, plans.service, plans.service_name, plans.region, result.files, result.problems))
        seen.append(result.notes)
        for doc in plans.documents:
            seen.append((doc.path, doc.model, doc.findings, doc.data))
    return seen


def test_many_folders_in_one_run_give_what_each_folder_alone_gives(
    services: Path, own_cache: Path, cached: LoadSettings
) -> None:
    folders = folders_of(services)
    for every_rule in (True, False):  # check's rules, and the reading commands'
        alone = [judge([folder], TODAY, every_rule=every_rule) for folder in folders]
        together = judge(folders, TODAY, every_rule=every_rule)
        assert len(together.results) == SERVICES
        assert sorted(map(str, together.problems)) == sorted(str(p) for one in alone for p in one.problems)
        for result, one in zip(together.results, alone, strict=True):
            assert as_seen(Judged([result], [])) == as_seen(Judged(one.results, []))
        shutil.rmtree(own_cache, ignore_errors=True)
        cold = judge(folders, TODAY, every_rule=every_rule, settings=cached)
        assert as_seen(cold) == as_seen(together)
        warm = judge(folders, TODAY, every_rule=every_rule, settings=cached)  # from the entries just written
        assert as_seen(warm) == as_seen(together)
        if every_rule:
            assert len(together.problems) > SERVICES  # overdue and stale warnings in every service


def test_a_service_files_findings_are_kept_cold_and_warm(services: Path, cached: LoadSettings) -> None:
    """Issue 17: service.yaml is searched for personal data too, and its findings come back from
    the cache as they were made."""
    folders = folders_of(services)
    service = next(folder / "service.yaml" for folder in folders if (folder / "service.yaml").exists())
    text = service.read_text(encoding="utf-8")
    service.write_text(text.replace("name: ", "name: Duty phone 07700 900123, ", 1), encoding="utf-8")
    cold = judge(folders, TODAY, settings=cached)
    assert [p.code for p in cold.problems if p.path.endswith("service.yaml")] == ["YP305"]
    warm = judge(folders, TODAY, settings=cached)
    assert as_seen(warm) == as_seen(cold)


def test_positions_of_a_cached_document_are_read_again_when_a_problem_asks(
    services: Path, cached: LoadSettings
) -> None:
    """A folder served from its cache entry has no positions; a problem found later (by a view,
    say) still gets its line: the document parses its bytes again when asked."""
    folders = folders_of(services)[:5]
    judge(folders, TODAY, every_rule=False, settings=cached)
    warm = judge(folders, TODAY, every_rule=False, settings=cached)
    fresh = judge(folders, TODAY, every_rule=False, settings=NO_CACHE)
    where = ("recommendations", 0, "actions", 0, "due")
    for mine, theirs in zip(warm.results, fresh.results, strict=True):
        for doc, other in zip(mine.plans.plans, theirs.plans.plans, strict=True):
            found = doc.problem(where, "warning", "YP000", "x")
            assert found.line > 1
            assert found == other.problem(where, "warning", "YP000", "x")


def test_a_folder_that_fails_among_many_is_reported_and_the_others_are_read(
    services: Path, own_cache: Path, cached: LoadSettings
) -> None:
    folders = folders_of(services)
    (folders[3] / "src001.yaml").write_text("source: {id: X, title: Broken, kind: inspection}\nrecommendations: [\n")
    (folders[5] / "src000.yaml").write_text("source: {id: X, title: T, kind: nonsense}\n")
    shutil.rmtree(folders[7])
    (folders[9] / "owners.yaml").unlink()
    expected = None
    for settings in (NO_CACHE, cached):
        judged = judge(folders, TODAY, settings=settings)
        errors = {(p.path.split(os.sep)[-2:][0], p.code) for p in judged.problems if p.severity == "error"}
        assert ("yjs-004", "YP002") in errors  # the YAML syntax error
        assert ("yjs-006", "YP010") in errors  # the invalid source kind
        assert any(p.code == "YP008" and p.path.endswith("yjs-008") for p in judged.problems)  # no such folder
        assert ("yjs-010", "YP011") in errors  # no owners file
        assert len(judged.results) == SERVICES
        loaded = [r for r in judged.results if r.plans.plans]
        assert len(loaded) == SERVICES - 1  # every folder but the missing one has plans to show
        assert len(judged.results[3].plans.plans) == 2  # the other files of the broken service
        if expected is None:
            expected = as_seen(judged)
        else:
            assert as_seen(judged) == expected
    warm = judge(folders, TODAY, settings=cached)  # broken files are never cached: they are reported again
    assert as_seen(warm) == expected


def test_a_run_over_many_folders_keeps_one_cache_entry_per_small_folder(
    services: Path, own_cache: Path, cached: LoadSettings
) -> None:
    folders = folders_of(services)
    first = judge(folders, TODAY, every_rule=False, settings=cached)  # errors only: no positions needed
    assert len(cache_entries(own_cache)) == SERVICES  # not 5 per service
    edited = folders[2] / "src000.yaml"
    edited.write_text(edited.read_text().replace("status: not-started", "status: in-progress", 1))
    after = judge(folders, TODAY, every_rule=False, settings=cached)
    assert len(cache_entries(own_cache)) == SERVICES + 1  # that folder again, under its new content
    assert as_seen(after)[4:] != as_seen(first)[4:]
    shutil.rmtree(own_cache, ignore_errors=True)  # and the positions that as_seen asked for
    assert as_seen(judge(folders, TODAY, every_rule=False, settings=cached)) == as_seen(after)
    # One folder alone keeps its entries per file, as it always has.
    single = load_plans(folders[0], settings=cached, checks=PERSONAL_DATA_CHECKS)
    assert not single.problems
    assert len(cache_entries(own_cache)) == SERVICES + 5


def test_plans_list_with_many_folders(services: Path, cli: Invoke) -> None:
    listed = services / "plans-list.txt"
    result = cli("status", "--plans-list", listed, "--today", TODAY.isoformat(), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    rows = next(value for value in data.values() if isinstance(value, list) and value and isinstance(value[0], dict))
    assert {row["service"] for row in rows} == {f"yjs-{i:03d}" for i in range(1, SERVICES + 1)}
    check = cli("check", "--plans-list", listed, "--today", TODAY.isoformat())
    assert f"{SERVICES * 5} files checked" in check.stderr
    assert "0 errors" in check.stderr
    yaml_list = services / "plans-list.yaml"
    yaml_list.write_text("".join(f"- {line}\n" for line in listed.read_text().split()))
    again = cli("status", "--plans-list", yaml_list, "--today", TODAY.isoformat(), "--format", "json")
    assert again.stdout == result.stdout


def test_generated_services_are_the_same_for_a_seed(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    GENERATE.write_services(GENERATE.build_services(12, 40, seed=5), first)
    GENERATE.write_services(GENERATE.build_services(12, 40, seed=5), second)
    GENERATE.write_services(GENERATE.build_services(12, 40, seed=6), other)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)
    assert any((first / f).read_bytes() != (other / f).read_bytes() for f in files if (other / f).exists())
    assert len(files) == 12 * 5 + 1  # service.yaml, owners.yaml and three plan files each, and the list


def test_generated_services_look_like_englands(tmp_path: Path) -> None:
    built = GENERATE.build_services(155, 100, seed=1)
    sizes = [len(service.plans.actions()) for service in built]
    assert sum(sizes) == 155 * 100
    assert min(sizes) >= 50
    assert max(sizes) <= 150
    assert {service.region for service in built} == set(GENERATE.REGIONS)
    assert len({service.id for service in built}) == 155
    first_ids = [service.plans.actions()[0].id for service in built]
    assert len(set(first_ids)) == 1  # every service has an SRC000-1.1, as every inspected one has an HMIP-1
    folders, _ = GENERATE.write_services(built[:3], tmp_path)
    service = (folders[0] / "service.yaml").read_text()
    assert service.startswith("id: yjs-001\nname: ")
    assert "region: North East" in service
    assert (tmp_path / "plans-list.txt").read_text().split() == ["yjs-001", "yjs-002", "yjs-003"]
    result = load_plans(folders[1])
    assert not result.problems
    assert result.plans.service == "yjs-002"
    assert result.plans.region == "North West"
