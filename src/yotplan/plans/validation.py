"""Turning pydantic's validation errors into one plain-English line each, at the right place."""

from __future__ import annotations

import dataclasses
import typing
from typing import Any

from pydantic import TypeAdapter, ValidationError

from yotplan.plans.limits import MAX_PROBLEMS_PER_FILE
from yotplan.plans.models import Model
from yotplan.plans.planset import Document
from yotplan.problems import Problem

SCHEMA_CODE = "YP010"

_THING = {
    "PlanFile": "plan file",
    "OwnersFile": "owners file",
    "Source": "source",
    "Recommendation": "recommendation",
    "Action": "action",
    "Update": "update",
    "Owner": "owner",
}


_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def adapter(model: type[Model]) -> TypeAdapter[Any]:
    """pydantic's validator for a model class, built once per process (building it takes ~10 ms)."""
    found = _ADAPTERS.get(model)
    if found is None:
        found = _ADAPTERS[model] = TypeAdapter(model)
    return found


def validate(model: type[Model], data: Any) -> Any:
    """`data` (from YAML) as an instance of `model`; raises pydantic's ValidationError."""
    return adapter(model).validate_python(data)


def validate_document(doc: Document, model: type[Model]) -> list[Problem]:
    """Validate `doc.data` into `model`, setting `doc.model`; return one Problem per error."""
    try:
        doc.model = validate(model, doc.data)
        return []
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=True)
        problems = [_problem(doc, model, err) for err in errors[:MAX_PROBLEMS_PER_FILE]]
        if len(errors) > MAX_PROBLEMS_PER_FILE:
            more = len(errors) - MAX_PROBLEMS_PER_FILE
            at = _problem(doc, model, errors[MAX_PROBLEMS_PER_FILE])
            message = f"{more:,} more problem{'s' * (more != 1)} in this file from here on; fix the ones above first"
            problems.append(Problem(doc.path, at.line, at.col, "error", SCHEMA_CODE, message))
        return problems


def _fields(model: type | None) -> dict[str, Any]:
    """A model's fields by name, in order ({} for anything that is not a model)."""
    if model is None or not dataclasses.is_dataclass(model):
        return {}
    hints = typing.get_type_hints(model)
    return {f.name: hints[f.name] for f in dataclasses.fields(model)}


def _problem(doc: Document, root: type, err: Any) -> Problem:
    loc: tuple[str | int, ...] = tuple(err["loc"])
    kind: str = err["type"]
    owner_model, field_name = _model_at(root, loc)
    thing = _THING.get(owner_model.__name__, "mapping") if owner_model else "mapping"
    value = err.get("input")
    name = repr(field_name) if field_name is not None else "this value"

    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        allowed = sorted(_fields(owner_model))
        message = f"unknown key {field_name!r} in this {thing}{_suggest(str(field_name), allowed)}"
        return doc.problem(loc, "error", SCHEMA_CODE, message, at_key=True)
    if kind == "missing":
        message = f"{name} is missing; add `{field_name}:` to this {thing}"
    elif kind in ("string_type", "string_too_short") and (value is None or value == ""):
        message = f"{name} is empty; write a value after `{field_name}:`"
    elif kind == "string_type":
        message = f"{name} should be text, got {_show(value)}; put it in quotes"
    elif kind == "literal_error":
        choices = [str(c) for c in typing.get_args(_annotation(owner_model, field_name))]
        message = (
            f"{_show(value)} is not a valid {field_name}; use one of {', '.join(choices)}"
            f"{_suggest(str(value), choices, list_choices=False)}"
        )
    elif kind == "number":
        message = f"{name} should be a number, got {_show(value)}; write it without quotes, e.g. 75 or 12.5"
    elif kind == "iso_date":
        message = f"{name}: {err['msg']}, e.g. 2024-06-30"
    elif kind == "list_type":
        message = f"{name} should be a list, one item per line starting with '- ', got {_show(value)}"
    elif kind in ("dataclass_type", "dataclass_args_type", "dict_type"):
        where = f"{name} should be" if loc else f"a {thing} should be"
        # A whole file that is not a mapping is described, never quoted: it may be anything a link
        # or a mistake put there (a credentials file, a password file).
        message = f"{where} a mapping of `key: value` lines, got {_show(value) if loc else _describe(value)}"
    else:
        message = f"{name}: {err['msg']}"
    return doc.problem(loc, "error", SCHEMA_CODE, message)


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _describe(value: Any) -> str:
    """What a whole file holds, without a word of it: "a text of 40 lines", "a number", "a list"."""
    if isinstance(value, str):
        lines = len(value.splitlines()) or 1
        return f"a text of {lines} line{'s' if lines != 1 else ''}"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if value is None or isinstance(value, dict | list):
        return _show(value)
    return f"a {type(value).__name__}"


def _suggest(word: str, choices: list[str], *, list_choices: bool = True) -> str:
    import difflib  # only on the error path

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f" (did you mean {close[0]!r}?)"
    return f"; allowed: {', '.join(choices)}" if choices and list_choices else ""


def _model_at(root: type, loc: tuple[str | int, ...]) -> tuple[type | None, str | int | None]:
    """The model that holds the last step of `loc`, and that step's field name."""
    model: type | None = root
    skip_next = False
    for step in loc[:-1]:
        if skip_next or isinstance(step, int):
            skip_next = False
            continue
        fields = _fields(model)
        if step not in fields:
            return None, loc[-1]
        model, skip_next = _inner_model(fields[step])
    last = loc[-1] if loc else None
    if isinstance(last, int):  # an item of a list of text, e.g. evidence[2]
        return model, None
    return model, last


def _inner_model(annotation: Any) -> tuple[type | None, bool]:
    """The model inside `list[M]`, `dict[str, M]` or `M | None`; whether a dict key comes next."""
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        return annotation, False
    is_dict = typing.get_origin(annotation) is dict
    for arg in typing.get_args(annotation):
        inner, _ = _inner_model(arg)
        if inner is not None:
            return inner, is_dict
    return None, False


def _annotation(model: type | None, name: str | int | None) -> Any:
    return _fields(model).get(name) if isinstance(name, str) else None
