"""YP013 and YP014, the rules on service ids across the folders of one run, called directly
(`rules/services.service_problems`); tests/test_hostile_services.py tries them through the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from services_support import FOLDERS
from yotplan.plans.loader import load_plans
from yotplan.problems import Problem
from yotplan.rules.services import service_file, service_problems


@pytest.fixture
def folders(tmp_path: Path) -> list[Path]:
    """The three fixture services' plans folders, copied so that their service.yaml can change."""
    copies = []
    for folder in FOLDERS:
        copy = tmp_path / folder.parent.name / "plans"
        shutil.copytree(folder, copy)
        copies.append(copy)
    return copies


def problems(*roots: Path) -> list[Problem]:
    return service_problems([load_plans(root).plans for root in roots])


def test_three_services_with_their_own_slugs_have_no_problem(folders: list[Path]) -> None:
    assert problems(*folders) == []


def test_an_id_that_is_not_a_slug_is_yp013_at_its_line(folders: list[Path]) -> None:
    service = folders[0] / "service.yaml"
    service.write_text("# Northam\n\nid: north east\nname: Northam\n", encoding="utf-8")
    assert problems(*folders) == [
        Problem(
            str(service),
            3,
            1,
            "error",
            "YP013",
            "service id 'north east' is not a slug: use letters and digits joined by '-', '.' or '_', e.g. torbay",
        )
    ]


def test_a_folder_name_that_is_not_a_slug_is_no_problem_without_a_service_file(tmp_path: Path) -> None:
    """Without service.yaml the id is the folder's name, which the user did not write as an id."""
    root = tmp_path / "north east" / "plans"
    shutil.copytree(FOLDERS[0], root)
    (root / "service.yaml").unlink()
    assert load_plans(root).plans.service == "north east"
    assert problems(root) == []


def test_an_id_two_folders_share_in_any_case_is_yp014_on_each(folders: list[Path]) -> None:
    south = folders[1] / "service.yaml"
    south.write_text("name: Southcombe\nid: North\n", encoding="utf-8")
    found = problems(*folders)
    both = f"{folders[0]} and {folders[1]}"
    assert found == [
        Problem(
            str(folders[0] / "service.yaml"),
            1,
            1,
            "error",
            "YP014",
            f"service id 'north' is used by 2 plans folders ({both}); give each service its own id in its service.yaml",
        ),
        Problem(
            str(south),
            2,
            1,
            "error",
            "YP014",
            f"service id 'North' is used by 2 plans folders ({both}); give each service its own id in its service.yaml",
        ),
    ]


def test_without_a_service_file_the_problem_is_at_the_folder(folders: list[Path]) -> None:
    """Two folders named alike (their repositories' names) share an id: the problem names the folder."""
    for folder in folders[:2]:
        (folder / "service.yaml").unlink()
    twin = folders[1].parent.parent / "twin" / "north" / "plans"
    shutil.copytree(folders[1], twin)
    found = problems(folders[0], twin)
    assert [(p.path, p.line, p.col, p.code) for p in found] == [
        (str(folders[0]), 0, 0, "YP014"),
        (str(twin), 0, 0, "YP014"),
    ]


def test_service_yml_is_the_service_file_too(folders: list[Path]) -> None:
    yml = folders[0] / "service.yml"
    (folders[0] / "service.yaml").rename(yml)
    assert service_file(folders[0]) == yml
    yml.write_text("# Northam\nid: north\nname: Northam\n", encoding="utf-8")
    (folders[1] / "service.yaml").write_text("id: north\nname: Southcombe\n", encoding="utf-8")
    found = problems(*folders)
    assert [(p.path, p.line, p.col, p.code) for p in found] == [
        (str(yml), 2, 1, "YP014"),
        (str(folders[1] / "service.yaml"), 1, 1, "YP014"),
    ]


@pytest.mark.parametrize(
    ("content", "line", "col"),
    [
        (b"\xef\xbb\xbfid: north east\nname: Northam\n", 1, 1),  # a byte-order mark before the `id:` line
        (b"\nid: north east\nname: Northam\n", 2, 1),  # a blank first line
        (b"{id: north east, name: Northam}\n", 0, 0),  # no `id:` line to point at: the file
    ],
)
def test_yp013_points_at_the_id_line_as_the_file_is_written(
    folders: list[Path], content: bytes, line: int, col: int
) -> None:
    service = folders[0] / "service.yaml"
    service.write_bytes(content)
    assert [(p.path, p.line, p.col, p.code) for p in problems(folders[0])] == [(str(service), line, col, "YP013")]


def test_a_service_file_that_is_not_utf8_is_pointed_at_as_a_whole(folders: list[Path]) -> None:
    """The loader reports the file (YP001) and takes the folder's name as the id; a shared id is
    then placed on the file itself, which has no line to read."""
    (folders[1] / "service.yaml").write_bytes(b"id: north\nname: Nor\xf0am\n")
    twin = folders[1].parent.parent / "twin" / "south" / "plans"
    shutil.copytree(folders[1], twin)
    found = problems(folders[1], twin)
    assert [(p.path, p.line, p.col, p.code) for p in found] == [
        (str(folders[1] / "service.yaml"), 0, 0, "YP014"),
        (str(twin / "service.yaml"), 0, 0, "YP014"),
    ]


def test_a_shared_id_is_found_after_an_id_of_one_folder(folders: list[Path]) -> None:
    (folders[2] / "service.yaml").write_text("id: south\nname: Westmoor\n", encoding="utf-8")
    found = problems(*folders)
    assert [(p.path, p.code) for p in found] == [
        (str(folders[1] / "service.yaml"), "YP014"),
        (str(folders[2] / "service.yaml"), "YP014"),
    ]
