"""The reference for a cold `check` over many plans folders: PyYAML's C loader on every file.

    python bench/yaml_floor.py --plans-list OUT/plans-list.txt    # or: --plans DIR [--plans DIR ...]

Reads every `*.yaml`/`*.yml` file of the folders and loads it with
`yaml.load(text, Loader=yaml.CSafeLoader)`, in one process, one file after another: what any
program that reads these plans with PyYAML pays at least, before validating anything.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml


def folders_of(plans: list[Path], plans_list: Path | None) -> list[Path]:
    folders = list(plans)
    if plans_list is not None:
        base = plans_list.parent
        for line in plans_list.read_text().splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                folders.append(base / line.strip())
    return folders


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plans", type=Path, action="append", default=[])
    parser.add_argument("--plans-list", type=Path)
    args = parser.parse_args()
    files = 0
    for folder in folders_of(args.plans, args.plans_list):
        for path in sorted(folder.iterdir()):
            if path.suffix in (".yaml", ".yml") and not path.name.startswith("."):
                yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
                files += 1
    print(f"{files} files loaded")


if __name__ == "__main__":
    main()
