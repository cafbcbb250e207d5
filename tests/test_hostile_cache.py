"""Issue 9, cases 1-3, end to end through the real `yotplan` process: whatever a cache folder
holds and whoever put it there, yotplan runs no code from it, serves no plan from it that this
user's yotplan did not write, and deletes nothing in it that it did not write.

The attacker's entries are as good as an attacker can make them: named by keys computed with
`PlanCache.key()` from the very bytes of the plans (the keys are public: hashes of files in the
repository), in the current format with a MAC under the attacker's own cache key, and in the old
format (a pickle behind an unkeyed hash). The pickles are harmless and observable: unpickling one
writes a marker file, which must never appear.

Unit tests of the cache's parts are in test_cache.py; these are the scenarios of the issue.
"""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gitrepo import Repo, git_env
from hostile_support import TODAY, files_under, run
from yotplan.cli.settings import cache_folder, cache_key_path
from yotplan.plans.cache import HEADER, MAGIC, SUBFOLDER, PlanCache, open_cache, to_plain
from yotplan.plans.loader import load_plans
from yotplan.plans.models import OwnersFile, PlanFile
from yotplan.rules.file_checks import PERSONAL_DATA_CHECKS

from conftest import SHIPPED_PLANS

FORGED = "FORGED BY THE CACHE"
OTHER_UID = 65534  # nobody


class Payload:
    """A pickle whose loading writes `marker`: the harmless stand-in for `os.system(...)`."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (exec, (f"open({str(self.marker)!r}, 'w').write('the cache ran code')",))


def forged(value: Any) -> Any:
    """The same model with every title, text and role replaced: a plan the files never said."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for field in dataclasses.fields(value):
            item = getattr(value, field.name)
            changes[field.name] = FORGED if field.name in ("title", "text", "role") and item else forged(item)
        return dataclasses.replace(value, **changes)
    if isinstance(value, list):
        return [forged(item) for item in value]
    if isinstance(value, dict):
        return {key: forged(item) for key, item in value.items()}
    return value


@pytest.fixture
def attacker(tmp_path: Path) -> Iterator[PlanCache]:
    """The attacker's own yotplan cache, with the attacker's own secret key."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("XDG_STATE_HOME", str(tmp_path / "attacker-state"))
        env.setenv("YOTPLAN_CACHE_DIR", str(tmp_path / "attacker-cache"))
        env.delenv("YOTPLAN_NO_CACHE", raising=False)
        opening = open_cache(cache_folder(), cache_key_path())
    assert opening.cache is not None, opening.warning
    yield opening.cache
    opening.cache.close()


def plant(folder: Path, plans: Path, cache: PlanCache, marker: Path) -> list[Path]:
    """Every entry an attacker can make for the plans' bytes, in `folder` (a cache folder):

    - `folder/entries/<model key>`: the current format, a MAC under the attacker's key, and a
      forged model (every title and text replaced) as plain data;
    - `folder/entries/<positions key>`: the current format with a pickle as its payload;
    - `folder/<model key>` and `folder/<positions key>`: the old format (a pickle behind an
      unkeyed BLAKE2b of the payload), where the old cache looked for its entries.

    Returns the paths written.
    """
    result = load_plans(plans)  # without the cache
    assert not result.problems
    docs = [result.plans.owners_doc, *result.plans.plans]
    payload = pickle.dumps(Payload(marker), protocol=pickle.HIGHEST_PROTOCOL)
    (folder / SUBFOLDER).mkdir(parents=True, exist_ok=True)
    written = []
    for doc in docs:
        assert doc is not None
        path = plans / Path(doc.path).name
        raw = path.read_bytes()
        model = OwnersFile if path.name == "owners.yaml" else PlanFile
        # The key and the payload a reading command uses: the model with the personal-data findings.
        model_key = cache.key(raw, model, PERSONAL_DATA_CHECKS.version)
        positions_key = cache.key(raw, "positions")
        plain = marshal.dumps((to_plain(forged(doc.model)), []))
        entries = {
            folder / SUBFOLDER / model_key.hex(): MAGIC + model_key + cache._mac(model_key, plain) + plain,
            folder / SUBFOLDER / positions_key.hex(): MAGIC
            + positions_key
            + cache._mac(positions_key, payload)
            + payload,
        }
        for key in (model_key, positions_key):
            entries[folder / key.hex()] = HEADER + key + hashlib.blake2b(payload, digest_size=20).digest() + payload
        for entry, blob in entries.items():
            entry.write_bytes(blob)
            written.append(entry)
    return written


def status_of(plans: Path, cwd: Path) -> str:
    """What `status` says about these plans when no cache is involved."""
    clean = run("--no-cache", "status", "--plans", plans, "--today", TODAY, cwd=cwd)
    assert clean.code == 0, clean.stderr
    assert "HMIP-1" in clean.stdout
    return clean.stdout


# Case 1: a cache folder committed to a repository --------------------------------------------


def committed_cache_clone(tmp_path: Path, attacker: PlanCache, marker: Path) -> Path:
    """A colleague's clone of a repository in which someone committed `.yotplan-cache/`, full of
    entries keyed to the repository's own plan bytes (and a link to /dev/zero for one of them)."""
    upstream = Repo(tmp_path / "upstream", SHIPPED_PLANS)
    planted = plant(upstream.root / ".yotplan-cache", upstream.plans, attacker, marker)
    owners_entry = planted[0]  # the owners file's model entry: a link to /dev/zero instead
    owners_entry.unlink()
    owners_entry.symlink_to("/dev/zero")
    upstream.commit("Add a cache to make yotplan faster", "2022-06-01T10:00:00+01:00")
    clone = tmp_path / "colleague"
    subprocess.run(["git", "clone", "--quiet", str(upstream.root), str(clone)], check=True, env=git_env())
    assert (clone / ".yotplan-cache" / SUBFOLDER).is_dir()
    assert (clone / ".yotplan-cache" / SUBFOLDER).stat().st_mode & 0o777 == 0o755  # the colleague's own, 755
    return clone


def test_a_cache_folder_committed_to_a_clone_runs_nothing_and_is_refused(tmp_path: Path, attacker: PlanCache) -> None:
    """Case 1: `git clone ... && cd ... && YOTPLAN_CACHE_DIR=.yotplan-cache yotplan status`."""
    marker = tmp_path / "payload-ran"
    clone = committed_cache_clone(tmp_path, attacker, marker)
    expected = status_of(Path("plans"), clone)
    before = files_under(clone / ".yotplan-cache")
    env = {"YOTPLAN_CACHE_DIR": ".yotplan-cache"}
    for args in (("status",), ("show", "HMIP-1.1"), ("overdue",), ("check",)):
        ran = run(*args, "--plans", "plans", "--today", TODAY, cwd=clone, env=env)
        assert not marker.exists(), "the cache ran the payload"
        assert ran.code == 0, ran.stderr
        assert FORGED not in ran.stdout
        if args == ("status",):
            assert ran.stdout == expected
        if args != ("check",):  # check's own warning: test_every_command_says_the_cache_in_a_clone_was_refused
            [warning] = ran.stderr.splitlines()
            assert warning.startswith("yotplan: warning: the cache folder ")
            assert f"inside the git work tree {clone}" in warning
            assert warning.endswith("(set YOTPLAN_CACHE_DIR to a folder outside it, or YOTPLAN_NO_CACHE=1)")
    # Refused means untouched: nothing read into a model, nothing written, pruned or replaced.
    assert files_under(clone / ".yotplan-cache") == before
    status = subprocess.run(["git", "status", "--porcelain"], cwd=clone, env=git_env(), capture_output=True, text=True)
    assert status.stdout == ""


def test_every_command_says_the_cache_in_a_clone_was_refused(tmp_path: Path) -> None:
    clone = Repo(tmp_path / "clone", SHIPPED_PLANS)
    clone.commit("Start", "2022-06-01T10:00:00+01:00")
    env = {"YOTPLAN_CACHE_DIR": ".yotplan-cache"}
    commands = (("check",), ("log", "HMIP-1.1", "A note."), ("status",))
    said = {}
    for args in commands:
        ran = run(*args, "--plans", "plans", "--today", TODAY, cwd=clone.root, env=env)
        assert ran.code == 0, ran.stderr
        said[args[0]] = [line for line in ran.stderr.splitlines() if "inside the git work tree" in line]
    assert not (clone.root / ".yotplan-cache").exists()
    assert said == {args[0]: said["status"] for args in commands}
    assert len(said["status"]) == 1


def test_the_same_entries_copied_out_of_the_clone_are_ignored_and_replaced(tmp_path: Path, attacker: PlanCache) -> None:
    """Case 1 without git (the repository downloaded as a zip, the folder copied): the folder is
    this user's and private, so it is used, but no entry in it passes this user's MAC."""
    marker = tmp_path / "payload-ran"
    clone = committed_cache_clone(tmp_path, attacker, marker)
    outside = tmp_path / "downloads" / "yotplan-cache"
    shutil.copytree(clone / ".yotplan-cache", outside, symlinks=True)
    expected = status_of(clone / "plans", tmp_path)
    env = {"YOTPLAN_CACHE_DIR": str(outside)}
    for _ in range(2):  # cold (the planted entries), then warm (the entries this run wrote over them)
        ran = run("status", "--plans", clone / "plans", "--today", TODAY, cwd=tmp_path, env=env)
        assert not marker.exists(), "the cache ran the payload"
        assert (ran.code, ran.stderr) == (0, "")
        assert ran.stdout == expected
        shown = run("show", "HMIP-1.1", "--plans", clone / "plans", "--today", TODAY, cwd=tmp_path, env=env)
        assert shown.code == 0
        assert FORGED not in shown.stdout
        assert "Secure regular CAMHS attendance" in shown.stdout
    # Each planted model entry missed and was replaced by this user's own, the link included.
    assert not any(p.is_symlink() for p in (outside / SUBFOLDER).iterdir())


# Case 2: a cache folder that does not exist yet, in a shared temporary directory -------------

ATTACKER = r"""
import os, shutil, sys
template, target, stop = sys.argv[1:4]
mine = target + ".attacker"
shutil.copytree(template, mine)
for folder, _, names in os.walk(mine):
    os.chmod(folder, 0o755)
swaps = 0
print("ready", flush=True)
while not os.path.exists(stop):
    try:
        os.rename(mine, target)
        swaps += 1
    except OSError:
        pass
    try:
        os.rename(target, mine)
    except OSError:
        pass
print(swaps, flush=True)
"""


def other_users_python() -> str | None:
    """A Python that another user can run (the test run's own may live under /root)."""
    for candidate in (sys.executable, "/usr/bin/python3", "/usr/local/bin/python3"):
        path = Path(os.path.realpath(candidate))
        if path.exists() and all(p.stat().st_mode & 0o001 for p in path.parents):
            return str(path)
    return None


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder like /tmp: everyone may create in it, and the sticky bit keeps each one's entries
    their own."""
    folder = Path(tempfile.mkdtemp(prefix="yotplan-shared-", dir="/tmp"))
    folder.chmod(0o1777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to run a second user's process")
def test_another_user_racing_a_missing_cache_folder_gets_nothing_run_or_served(
    tmp_path: Path, attacker: PlanCache, shared_tmp: Path, plans: Path
) -> None:
    """Case 2: the victim's cache folder is `$TMPDIR/ypc`, which does not exist yet; another local
    user (a real process running as `nobody`) keeps renaming a folder of planted entries in and
    out of that path while the victim's `yotplan status` runs. Six rounds, each with a new path,
    so that each run finds its folder missing and the race is on from its first instruction."""
    python = other_users_python()
    if python is None:
        pytest.skip("no Python that another user may run")
    marker = tmp_path / "payload-ran"
    template = shared_tmp / "template"
    plant(template, plans, attacker, marker)
    for path in [template, *template.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    expected = status_of(plans, tmp_path)
    outcomes = []
    for round_ in range(6):
        target, stop = shared_tmp / f"ypc-{round_}", shared_tmp / f"stop-{round_}"
        racer = subprocess.Popen(
            [python, "-c", ATTACKER, str(template), str(target), str(stop)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=shared_tmp,
            user=OTHER_UID,
            group=OTHER_UID,
            extra_groups=[],
        )
        assert racer.stdout is not None
        assert racer.stdout.readline() == "ready\n", racer.communicate()
        try:
            ran = run("status", "--plans", plans, "--today", TODAY, env={"YOTPLAN_CACHE_DIR": str(target)})
        finally:
            stop.touch()
            out, err = racer.communicate(timeout=120)
        assert racer.returncode == 0, err
        assert not marker.exists(), f"round {round_}: the cache ran the payload"
        assert ran.code == 0, ran.stderr
        assert ran.stdout == expected
        assert ran.stderr in (
            "",
            f"yotplan: warning: {target / SUBFOLDER} is not private (another user owns it or "
            "can write to it); running without the cache\n",
        ), ran.stderr
        outcomes.append(("refused" if ran.stderr else "own folder", int(out)))
        if target.exists() and target.stat().st_uid == os.getuid():
            assert (target / SUBFOLDER).stat().st_mode & 0o777 == 0o700
    assert all(swaps > 0 for _, swaps in outcomes), outcomes  # the other user really was racing


# Case 3: pruning an ordinary folder ------------------------------------------------------------


def head(path: Path) -> bytes:
    with path.open("rb") as stream:
        return stream.read(64)


def test_an_ordinary_folder_as_cache_loses_no_file_whatever_its_name_or_age(tmp_path: Path, plans: Path) -> None:
    """Case 3: `YOTPLAN_CACHE_DIR` points at a folder of the user's own. Files with 40-character
    names (100 MB each, sparse, so the cache is well over its 256 MB limit and prunes) and a
    `.tmp-notes.txt` two days old, both in the folder and in an `entries/` the user happened to
    have, all survive; so does a file that a 40-character link there points to."""
    folder = tmp_path / "Documents"
    (folder / SUBFOLDER).mkdir(parents=True)
    (folder / SUBFOLDER).chmod(0o700)
    elsewhere = tmp_path / "thesis.txt"
    elsewhere.write_text("the user's thesis")
    old = time.time() - 2 * 86400
    mine: dict[Path, bytes] = {}
    for where in (folder, folder / SUBFOLDER):
        for name in ("0123456789abcdef0123456789abcdef01234567", "a" * 40, "Q" * 40):
            path = where / name
            path.write_bytes(b"the user's data\n")
            os.truncate(path, 100 * 2**20)
            mine[path] = head(path)
        notes = where / ".tmp-notes.txt"
        notes.write_bytes(b"the user's notes\n")
        mine[notes] = notes.read_bytes()
        link = where / ("b" * 40)
        link.symlink_to(elsewhere)
        for path in [*mine, link]:
            os.utime(path, (old, old), follow_symlinks=False)
    for _ in range(2):
        ran = run("status", "--plans", plans, "--today", TODAY, env={"YOTPLAN_CACHE_DIR": str(folder)})
        assert (ran.code, ran.stderr) == (0, "")
        for path, start in mine.items():
            assert path.exists(), f"yotplan deleted {path}"
            assert head(path) == start
            if path.name != ".tmp-notes.txt":
                assert path.stat().st_size == 100 * 2**20
        assert (folder / SUBFOLDER / ("b" * 40)).is_symlink()
        assert elsewhere.read_text() == "the user's thesis"
        path = plans / "hmip-inspection.yaml"
        path.write_text(path.read_text() + "# an edit: a new entry to write, so the cache prunes\n")
