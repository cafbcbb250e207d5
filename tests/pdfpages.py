"""On which printed page an element lands: the named destinations of a Chromium PDF, read with
the standard library.

Chromium's `Page.printToPDF` writes, for every element id that a link in the page points at
(`<a href="#detail">`), a named destination: the page object and the height on it where the
element starts. Its PDFs keep these dictionaries as plain text (the page contents are the
compressed streams), so a few regular expressions find the page tree and the destinations.
Anything else fails loudly rather than guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OBJECT = re.compile(rb"(?m)^(\d+) 0 obj\s*(.*?)endobj", re.DOTALL)
_REF = rb"(\d+) 0 R"
_DESTINATION = re.compile(rb"/([^\s/\[\]()<>]+)\s*\[\s*" + _REF + rb"\s*/XYZ\s+([-\d.]+)\s+([-\d.]+)")


@dataclass(frozen=True, slots=True)
class Destination:
    page: int
    """1-based."""
    top: float
    """Points from the bottom of the page to where the element starts (A4 is 842 high)."""


def _objects(pdf: bytes) -> dict[int, bytes]:
    return {int(number): body for number, body in _OBJECT.findall(pdf)}


def _catalog(objects: dict[int, bytes]) -> bytes:
    catalogs = [body for body in objects.values() if re.search(rb"/Type\s*/Catalog\b", body)]
    assert len(catalogs) == 1, f"expected one /Catalog, found {len(catalogs)}"
    return catalogs[0]


def page_objects(pdf: bytes) -> list[int]:
    """The page objects' numbers in reading order, from the page tree."""
    objects = _objects(pdf)
    root = re.search(rb"/Pages\s+" + _REF, _catalog(objects))
    assert root, "the catalog names no page tree"
    pages: list[int] = []

    def walk(number: int) -> None:
        body = objects[number]
        kids = re.search(rb"/Kids\s*\[([^\]]*)\]", body)
        if kids is None:
            pages.append(number)
            return
        for kid in re.findall(_REF, kids.group(1)):
            walk(int(kid))

    walk(int(root.group(1)))
    return pages


def destinations(pdf: bytes) -> dict[str, Destination]:
    """Element id -> where it starts, for every named destination."""
    objects = _objects(pdf)
    ref = re.search(rb"/Dests\s+" + _REF, _catalog(objects))
    assert ref, "the PDF has no named destinations (does a link point at the ids?)"
    number_of = {number: i + 1 for i, number in enumerate(page_objects(pdf))}
    return {
        name.decode(): Destination(number_of[int(page)], float(top))
        for name, page, _left, top in _DESTINATION.findall(objects[int(ref.group(1))])
    }


def page_count(pdf: bytes) -> int:
    return len(page_objects(pdf))
