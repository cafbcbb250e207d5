"""Many plans folders in one run (`yotplan.plans.many`): the process pool gives exactly what loading
the folders one after another gives, one cache entry per small folder, a broken folder among many
is reported while the others are read, and bench/generate.py's services are the same for a seed.

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

import yotplan.plans.cache
from yotplan.plans import many
from yotplan.plans.cache import KEY_BYTES, SUBFOLDER
from yotplan.plans.loader import load_plans
from yotplan.plans.many import load_many, workers_for
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


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("YOTPLAN_CACHE_DIR", str(folder))
    monkeypatch.delenv("YOTPLAN_NO_CACHE", raising=False)
    monkeypatch.delenv("YOTPLAN_JOBS", raising=False)
    yotplan.plans.cache.disable_for_run(False)
    return folder


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


def test_the_pool_gives_what_loading_one_folder_after_another_gives(services: Path, own_cache: Path) -> None:
    folders = folders_of(services)
    shutil.rmtree(own_cache, ignore_errors=True)
    one_by_one = judge(folders, TODAY, parallel=False)
    shutil.rmtree(own_cache, ignore_errors=True)
    pooled = judge(folders, TODAY, parallel=True)
    assert as_seen(pooled) == as_seen(one_by_one)


def test_the_pool_keeps_a_service_files_findings(services: Path, own_cache: Path) -> None:
    """Issue 17: service.yaml is searched for personal data too, and its findings and document
    come back from a worker as they are made here."""
    folders = folders_of(services)
    service = next(folder / "service.yaml" for folder in folders if (folder / "service.yaml").exists())
    text = service.read_text(encoding="utf-8")
    service.write_text(text.replace("name: ", "name: Duty phone 07700 900123, ", 1), encoding="utf-8")
    one_by_one = judge(folders, TODAY, parallel=False)
    shutil.rmtree(own_cache, ignore_errors=True)
    pooled = judge(folders, TODAY, parallel=True)
    assert as_seen(pooled) == as_seen(one_by_one)
    assert [p.code for p in pooled.problems if p.path.endswith("service.yaml")] == ["YP305"]
    assert len(one_by_one.problems) > SERVICES  # overdue and stale warnings in every service
    warm = judge(folders, TODAY)  # from the entries the workers wrote
    assert as_seen(warm) == as_seen(one_by_one)
    for every_rule in (False, True):  # the reading commands' rules as well as check's
        shutil.rmtree(own_cache, ignore_errors=True)
        assert as_seen(judge(folders, TODAY, every_rule=every_rule, parallel=True)) == as_seen(
            judge(folders, TODAY, every_rule=every_rule, parallel=False)
        )


def test_the_pool_is_used_when_forced_and_this_process_takes_a_share(services: Path, own_cache: Path) -> None:
    loaded = load_many(folders_of(services), checks=PERSONAL_DATA_CHECKS, parallel=True)
    assert loaded.workers >= 1
    assert 0 < loaded.by_workers <= SERVICES
    again = load_many(folders_of(services), checks=PERSONAL_DATA_CHECKS, parallel=True)
    assert again.by_workers == 0  # warm: nothing to parse, no pool
    never = load_many(folders_of(services), checks=PERSONAL_DATA_CHECKS, parallel=False)
    assert never.by_workers == 0


def test_the_pool_without_the_cache(services: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YOTPLAN_NO_CACHE", "1")
    folders = folders_of(services)
    pooled = judge(folders, TODAY, parallel=True)
    assert as_seen(pooled) == as_seen(judge(folders, TODAY, parallel=False))


def test_positions_of_a_document_a_worker_loaded_are_read_again_here(services: Path) -> None:
    """A worker judged its folders with their positions; a problem found later here (by a view,
    say) still gets its line: the document parses its bytes again when asked."""
    folders = folders_of(services)
    pooled = load_many(folders, checks=PERSONAL_DATA_CHECKS, parallel=True, use_cache=False)
    plain = load_many(folders, checks=PERSONAL_DATA_CHECKS, parallel=False, use_cache=False)
    for (mine, _), (theirs, _) in zip(pooled.results, plain.results, strict=True):
        for doc, other in zip(mine.plans.plans, theirs.plans.plans, strict=True):
            where = ("recommendations", 0, "actions", 0, "due")
            assert doc.problem(where, "warning", "YP000", "x") == other.problem(where, "warning", "YP000", "x")


def test_with_spawned_workers_too(services: Path, monkeypatch: pytest.MonkeyPatch, own_cache: Path) -> None:
    """Where processes cannot be forked (macOS, Windows), workers are new interpreters."""
    folders = folders_of(services)[:6]
    one_by_one = judge(folders, TODAY, parallel=False)
    shutil.rmtree(own_cache, ignore_errors=True)
    monkeypatch.setattr(many, "start_method", lambda: "spawn")
    assert as_seen(judge(folders, TODAY, parallel=True)) == as_seen(one_by_one)


def _dies(tasks: Any) -> bytes:
    os._exit(7)


def test_a_worker_that_dies_leaves_its_folders_to_this_process(
    services: Path, monkeypatch: pytest.MonkeyPatch, own_cache: Path
) -> None:
    folders = folders_of(services)
    one_by_one = judge(folders, TODAY, parallel=False)
    shutil.rmtree(own_cache, ignore_errors=True)
    if many.start_method() == "fork":  # a forked worker runs the patched function
        monkeypatch.setattr(many, "_load_chunk", _dies)
    assert as_seen(judge(folders, TODAY, parallel=True)) == as_seen(one_by_one)


class _NoSemaphores:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise OSError(38, "Function not implemented")  # sem_open in some containers


def test_no_pool_can_be_made_and_this_process_loads_everything(
    services: Path, monkeypatch: pytest.MonkeyPatch, own_cache: Path
) -> None:
    import concurrent.futures

    folders = folders_of(services)
    one_by_one = judge(folders, TODAY, parallel=False)
    shutil.rmtree(own_cache, ignore_errors=True)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", _NoSemaphores)
    loaded = load_many(folders, checks=PERSONAL_DATA_CHECKS, parallel=True)
    assert loaded.by_workers == 0
    shutil.rmtree(own_cache, ignore_errors=True)
    assert as_seen(judge(folders, TODAY, parallel=True)) == as_seen(one_by_one)


def test_a_folder_that_fails_among_many_is_reported_and_the_others_are_read(services: Path, own_cache: Path) -> None:
    folders = folders_of(services)
    (folders[3] / "src001.yaml").write_text("source: {id: X, title: Broken, kind: inspection}\nrecommendations: [\n")
    (folders[5] / "src000.yaml").write_text("source: {id: X, title: T, kind: nonsense}\n")
    shutil.rmtree(folders[7])
    (folders[9] / "owners.yaml").unlink()
    for parallel in (False, True, None):
        shutil.rmtree(own_cache, ignore_errors=True)
        judged = judge(folders, TODAY, parallel=parallel)
        errors = {(p.path.split(os.sep)[-2:][0], p.code) for p in judged.problems if p.severity == "error"}
        assert ("yjs-004", "YP002") in errors  # the YAML syntax error
        assert ("yjs-006", "YP010") in errors  # the invalid source kind
        assert any(p.code == "YP008" and p.path.endswith("yjs-008") for p in judged.problems)  # no such folder
        assert ("yjs-010", "YP011") in errors  # no owners file
        assert len(judged.results) == SERVICES
        loaded = [r for r in judged.results if r.plans.plans]
        assert len(loaded) == SERVICES - 1  # every folder but the missing one has plans to show
        assert len(judged.results[3].plans.plans) == 2  # the other files of the broken service
        if parallel is False:
            expected = as_seen(judged)
        else:
            assert as_seen(judged) == expected
    warm = judge(folders, TODAY)  # broken files are never cached: they are reported again
    assert as_seen(warm) == expected


def test_a_run_over_many_folders_keeps_one_cache_entry_per_small_folder(services: Path, own_cache: Path) -> None:
    folders = folders_of(services)
    first = judge(folders, TODAY, every_rule=False, parallel=True)  # errors only: no positions needed
    assert len(cache_entries(own_cache)) == SERVICES  # not 5 per service
    edited = folders[2] / "src000.yaml"
    edited.write_text(edited.read_text().replace("status: not-started", "status: in-progress", 1))
    after = judge(folders, TODAY, every_rule=False)
    assert len(cache_entries(own_cache)) == SERVICES + 1  # that folder again, under its new content
    assert as_seen(after)[4:] != as_seen(first)[4:]
    shutil.rmtree(own_cache, ignore_errors=True)
    assert as_seen(judge(folders, TODAY, every_rule=False, parallel=False)) == as_seen(after)
    # One folder alone keeps its entries per file, as it always has.
    single = load_plans(folders[0], checks=PERSONAL_DATA_CHECKS)
    assert not single.problems
    assert len(cache_entries(own_cache)) == SERVICES + 5


def test_how_many_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    load = [0.0]
    monkeypatch.setattr(many.os, "getloadavg", lambda: (load[0], load[0], load[0]))
    monkeypatch.setattr(many, "usable_cores", lambda: 2)
    big, small = 10 * many.PARALLEL_MIN_BYTES, many.PARALLEL_MIN_BYTES // 2
    assert workers_for(None, 155, big, "fork") == 1  # this process and one worker: two cores
    assert workers_for(None, 155, small, "fork") == 0  # too little to parse: a pool costs more
    assert workers_for(None, 1, big, "fork") == 0  # one folder is loaded here
    assert workers_for(None, 155, big, "spawn") == 1
    assert workers_for(None, 155, many.PARALLEL_MIN_BYTES, "spawn") == 0  # a new interpreter costs more
    assert workers_for(False, 155, big, "fork") == 0
    assert workers_for(True, 155, small, "fork") == 1
    load[0] = 2.4  # this command's own earlier runs count too: not a reason to stop
    assert workers_for(None, 155, big, "fork") == 1
    load[0] = 3.6  # other work keeps both cores busy
    assert workers_for(None, 155, big, "fork") == 0
    assert workers_for(True, 155, big, "fork") == 1  # forced
    load[0] = 0.0
    monkeypatch.setattr(many, "usable_cores", lambda: 1)
    assert workers_for(None, 155, big, "fork") == 0
    assert workers_for(True, 155, big, "fork") == 1
    monkeypatch.setattr(many, "usable_cores", lambda: 16)
    assert workers_for(None, 155, big, "fork") == many.MAX_WORKERS
    assert workers_for(None, 4, big, "fork") == 3  # one folder per process at most
    monkeypatch.setenv("YOTPLAN_JOBS", "1")
    assert workers_for(None, 155, big, "fork") == 0
    monkeypatch.setenv("YOTPLAN_JOBS", "3")
    load[0] = 40.0
    assert workers_for(None, 155, big, "fork") == 2  # asked for, whatever the load
    assert workers_for(None, 155, small, "fork") == 0  # but not for too little work
    monkeypatch.setenv("YOTPLAN_JOBS", "many")  # not a number: as if unset
    load[0] = 0.0
    assert workers_for(None, 155, big, "fork") == many.MAX_WORKERS


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
