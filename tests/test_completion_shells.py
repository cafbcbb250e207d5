"""Tab completion as bash, zsh and fish ask for it: the installed entry point run as a process
with each shell's environment variables (the protocol of Typer's generated scripts), and the
real shells running those scripts where they are installed.

What each shell needs: bash splits `--owner=yot` at the `=` (COMP_WORDBREAKS) and replaces only
the text after it, so it gets bare values; zsh and fish complete the whole word, so they get
`--owner=` in front of each. All three keep only candidates that start with what was typed,
in its case.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

Shell = str

# Each case: the command line up to the cursor (run in the repository, so `plans/` is the
# shipped plans), and the candidates every shell offers, bash's without the `--opt=` part.
CASES: list[tuple[str, list[str]]] = [
    ("yotplan show hmip-1.", ["hmip-1.1", "hmip-1.2", "hmip-1.3"]),
    ("yotplan show HMIP-1.", ["HMIP-1.1", "HMIP-1.2", "HMIP-1.3"]),
    ("yotplan history hmip-3", ["hmip-3", "hmip-3.1", "hmip-3.2"]),
    ("yotplan history lga-J.", ["lga-J.1", "lga-J.2"]),
    ("yotplan update hmip-8.", ["hmip-8.1", "hmip-8.2", "hmip-8.3"]),
    ("yotplan log ir-5.", ["ir-5.1", "ir-5.2", "ir-5.3"]),
    ("yotplan add action ir-", ["ir-1", "ir-2", "ir-3", "ir-4", "ir-5"]),
    ("yotplan status --owner=yot", ["--owner=yot-board-chair", "--owner=yot-data-analyst", "--owner=yot-manager"]),
    ("yotplan status --owner yot", ["yot-board-chair", "yot-data-analyst", "yot-manager"]),
    ("yotplan calendar --owner=cc", ["--owner=ccib-chair"]),
    ("yotplan update hmip-1.1 --owner=camhs", ["--owner=camhs-lead"]),
    ("yotplan status --plans=pl", ["--plans=plans/"]),
    ("yotplan status --source=HM", ["--source=HMIP"]),
    ("yotplan status --source=lg", ["--source=lga"]),
    ("yotplan show --plans=plans hmip-2", ["hmip-2", "hmip-2.1", "hmip-2.2"]),
    ("yotplan update hmip-1.1 --status=in", ["--status=in-progress"]),
]
IDS = [line.removeprefix("yotplan ") for line, _ in CASES]


def bash_words(line: str) -> list[str]:
    """COMP_WORDS as bash fills it: split at blanks, and at `=` (in COMP_WORDBREAKS), which is a word of its own."""
    words: list[str] = []
    for part in line.split(" "):
        words.extend([p for p in re.split(r"(=)", part) if p] if "=" in part else [part])
    return words


def for_shell(shell: Shell, expected: list[str]) -> list[str]:
    """bash replaces only the text after `=`: its candidates are the values alone."""
    return sorted(c.split("=", 1)[1] if shell == "bash" and c.startswith("--") else c for c in expected)


def entry_point(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("YOTPLAN_", "_YOTPLAN", "_TYPER", "COMP_"))}
    return subprocess.run(
        [sys.executable, "-c", "from yotplan.cli import main; main()"],
        cwd=REPO,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def protocol_candidates(shell: Shell, line: str) -> list[str]:
    """What the generated script of `shell` reads from yotplan for `line`, through its variables."""
    if shell == "bash":
        words = bash_words(line)
        env = {"COMP_WORDS": "\n".join(words), "COMP_CWORD": str(len(words) - 1)}
    else:
        env = {"_TYPER_COMPLETE_ARGS": line, "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    done = entry_point({"_YOTPLAN_COMPLETE": f"complete_{shell}", **env})
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    if shell == "zsh":  # _arguments '*: :(("a"\n"b":"help"))', or _files when there are none
        out = done.stdout.strip()
        if out == "_files":
            return []
        assert out.startswith("_arguments '*: :(("), out
        assert out.endswith("))'"), out
        items = out.removeprefix("_arguments '*: :((").removesuffix("))'").split("\n")
        return sorted(re.match(r'"((?:[^"]|"")*)"', item)[1].replace('""', '"') for item in items)  # type: ignore[index]
    return sorted(out.split("\t")[0] for out in done.stdout.splitlines() if out)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
@pytest.mark.parametrize(("line", "expected"), CASES, ids=IDS)
def test_the_protocol_of_each_shell(shell: Shell, line: str, expected: list[str]) -> None:
    assert protocol_candidates(shell, line) == for_shell(shell, expected)


def test_bash_completes_after_a_bare_equals_and_reads_every_option_split_by_it() -> None:
    # `--owner=<Tab>`: bash's current word is the `=` itself
    assert protocol_candidates("bash", "yotplan calendar --owner=")[:2] == ["camhs-lead", "ccib-chair"]
    # an earlier `--plans=DIR` is read as the folder, not as `--plans` with the value `=`
    fixtures = Path(__file__).resolve().parent / "fixtures" / "edit"
    assert protocol_candidates("bash", f"yotplan add action --plans={fixtures} fold") == ["fold-1", "fold-2"]
    assert protocol_candidates("zsh", f"yotplan add action --plans={fixtures} fold") == ["fold-1", "fold-2"]


def test_fish_asks_first_whether_there_are_candidates() -> None:
    def is_args(line: str) -> int:
        env = {
            "_YOTPLAN_COMPLETE": "complete_fish",
            "_TYPER_COMPLETE_ARGS": line,
            "_TYPER_COMPLETE_FISH_ACTION": "is-args",
        }
        return entry_point(env).returncode

    assert is_args("yotplan status --owner=yot") == 0
    assert is_args("yotplan show hmip-1.") == 0
    assert is_args("yotplan show zzz") == 1  # none: fish completes file names instead


@pytest.mark.parametrize(
    "line",
    [
        "yotplan nosuch x",
        "yotplan show 'hm",
        'yotplan show "hm',
        "yotplan status --today=bad --owner=yot",
        "yotplan status --soon=x --owner ",
        "yotplan show --plans=/nonexistent h",
        "yotplan show -- hm",
        "yotplan show =",
        "yotplan log X --reason = =",
        "yotplan update --due=2022-13-45 hmip",
    ],
)
@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_odd_command_lines_never_fail(shell: Shell, line: str) -> None:
    protocol_candidates(shell, line)  # exit 0, nothing on stderr


# The real shells -------------------------------------------------------------------------------

BIN = Path(sys.executable).parent


def real_shell(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed")
    if not (BIN / "yotplan").exists():
        pytest.skip("the yotplan entry point is not installed next to this Python")
    return found


def shell_env() -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("YOTPLAN_", "_YOTPLAN", "_TYPER", "COMP_"))}
    return {**base, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def real_bash(line: str) -> list[str]:
    """COMPREPLY of the function Typer's bash script defines, called as bash calls it."""
    bash = real_shell("bash")
    words = bash_words(line)
    script = (
        "source <(_YOTPLAN_COMPLETE=source_bash yotplan)\n"
        f"COMP_WORDS=({' '.join(shlex.quote(w) for w in words)})\n"
        f"COMP_CWORD={len(words) - 1}\n"
        "_yotplan_completion yotplan\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(
        [bash, "--norc", "--noprofile", "-c", script], cwd=REPO, env=shell_env(), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return sorted(out for out in done.stdout.splitlines() if out)


def real_fish(line: str) -> list[str]:
    """What fish itself offers (after its own matching), through `complete --do-complete`."""
    fish = real_shell("fish")
    script = f"_YOTPLAN_COMPLETE=source_fish yotplan | source; complete --do-complete {shlex.quote(line)}"
    done = subprocess.run(
        [fish, "--no-config", "-c", script], cwd=REPO, env=shell_env(), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return sorted(out.split("\t")[0] for out in done.stdout.splitlines() if out)


# zsh completes only inside its line editor: an interactive zsh in a pseudo-terminal (zpty) loads
# Typer's script, and a widget bound to ^T runs the completion system on the line, with compadd
# wrapped to print the candidates zsh's own matching keeps (`compadd -O`).
ZSH_DRIVER = r"""
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z 'PS1= ; autoload -Uz compinit; compinit -u -D; source <(_YOTPLAN_COMPLETE=source_zsh yotplan)'
zpty -w z 'compadd () { local -a h; builtin compadd -O h "$@"; print -r -- "@$((6*7))@${(pj:\n:)h}@$((6*7))@" }'
zpty -w z 'zle -C capture complete-word _main_complete; bindkey "^T" capture'
zpty -w -n z "$1"$'\x14'
local out="" chunk
integer waited=0
while (( waited < 300 )); do
  if zpty -r -t z chunk 2>/dev/null; then out+=$chunk; else sleep 0.1; (( waited++ )); fi
  [[ $out == *@42@*@42@* ]] && break
done
print -r -- ${${out#*@42@}%%@42@*}
zpty -d z
"""


def real_zsh(line: str, tmp_path: Path) -> list[str]:
    zsh = real_shell("zsh")
    driver = tmp_path / "driver.zsh"
    driver.write_text(ZSH_DRIVER, encoding="utf-8")
    env = {**shell_env(), "HOME": str(tmp_path)}  # compinit -D: no dump file; nothing of the user's
    done = subprocess.run([zsh, "-f", str(driver), line], cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return sorted(out.strip("\r") for out in done.stdout.splitlines() if out.strip("\r"))


@pytest.mark.parametrize(("line", "expected"), CASES, ids=IDS)
def test_real_bash(line: str, expected: list[str]) -> None:
    assert real_bash(line) == for_shell("bash", expected)


@pytest.mark.parametrize(("line", "expected"), CASES, ids=IDS)
def test_real_fish(line: str, expected: list[str]) -> None:
    assert real_fish(line) == for_shell("fish", expected)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("yotplan show hmip-1.", ["hmip-1.1", "hmip-1.2", "hmip-1.3"]),
        ("yotplan history lga-J.", ["lga-J.1", "lga-J.2"]),
        ("yotplan status --owner=yot", ["--owner=yot-board-chair", "--owner=yot-data-analyst", "--owner=yot-manager"]),
        ("yotplan status --source=lg", ["--source=lga"]),
    ],
)
def test_real_zsh(line: str, expected: list[str], tmp_path: Path) -> None:
    assert real_zsh(line, tmp_path) == expected


TAB_PRESS_MAY_IMPORT = {"typer", "shellingham", "annotated_doc", "click", "yotplan", "_distutils_hack", "__main__"}
"""The packages outside the standard library that a Tab press may import: Typer and its own
dependencies, and yotplan. What keeps a Tab press quick is what it does not import (PyYAML,
ruamel.yaml, pydantic, rich, Jinja2, openpyxl); bench/limits.py times it against `python -c pass`."""


def test_one_tab_press_imports_only_typer_and_the_command_line() -> None:
    """A completion of an id on the shipped plans, as a process: the right ids, from the plan files'
    text, with no package but Typer's and no yotplan module but the command line's and the leaves."""
    code = (
        "import sys\n"
        "from yotplan.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('packages:' + ','.join(sorted({m.split('.')[0] for m in sys.modules} - set(sys.stdlib_module_names))))\n"
        "print('yotplan:' + ','.join(sorted(m for m in sys.modules if m.startswith('yotplan.'))))\n"
    )
    env = {"_YOTPLAN_COMPLETE": "complete_bash", "COMP_WORDS": "yotplan\nshow\nhmip-1.", "COMP_CWORD": "2"}
    # Without coverage's start-up hook too (.ci/run measures subprocesses): its own modules are not the Tab press's.
    skip = ("YOTPLAN_", "_YOTPLAN", "_TYPER", "COMP_", "COVERAGE_")
    base = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env={**base, **env}, capture_output=True, text=True, timeout=60
    )
    *ids, packages, modules = done.stdout.splitlines()
    assert ids == ["hmip-1.1", "hmip-1.2", "hmip-1.3"]
    assert set(packages.removeprefix("packages:").split(",")) <= TAB_PRESS_MAY_IMPORT
    leaves = {"yotplan.errors", "yotplan.problems", "yotplan.safe_text", "yotplan.choices"}
    for module in modules.removeprefix("yotplan:").split(","):
        assert module.startswith("yotplan.cli") or module in leaves, module
