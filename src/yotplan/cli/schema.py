"""`yotplan schema`: the JSON Schema of plan files (or owners, boards, service) for editors."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from yotplan.cli.app import app
from yotplan.cli.output import print_text


class SchemaKind(StrEnum):
    plan = "plan"
    owners = "owners"
    boards = "boards"
    service = "service"


@app.command()
def schema(
    kind: Annotated[
        SchemaKind,
        typer.Argument(metavar="[plan|owners|boards|service]", help="Which file's schema (default: plan files)."),
    ] = SchemaKind.plan,
    owners: Annotated[
        bool, typer.Option("--owners", metavar="", hidden=True, help="The same as `yotplan schema owners`.")
    ] = False,
) -> None:
    """Print the JSON Schema (draft-07) of plan files, for editors.

    Generated from the plan models, so it cannot drift from what yotplan accepts.

    Editors with yaml-language-server (VS Code's YAML extension, and others) read it from the first line of a file:
    `# yaml-language-server: $schema=path`, to complete and check plans as you type.

    Example: yotplan schema > schema/plan.schema.json && yotplan schema owners > schema/owners.schema.json
    """
    from yotplan.plans.json_schema import SCHEMAS, json_schema, render_schema

    print_text(render_schema(json_schema(SCHEMAS["owners" if owners else kind.value])))
