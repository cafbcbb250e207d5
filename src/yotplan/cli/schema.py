"""`yotplan schema`: the JSON Schema of plan files (or the owners file) for editors."""

from __future__ import annotations

from typing import Annotated

import typer

from yotplan.cli.app import app, print_text


@app.command()
def schema(
    owners: Annotated[
        bool, typer.Option("--owners", help="The owners file's schema instead of the plan files'.")
    ] = False,
) -> None:
    """Print the JSON Schema (draft-07) of plan files, for editors.

    Generated from the plan models, so it cannot drift from what yotplan accepts.

    Editors with yaml-language-server (VS Code's YAML extension, and others) read it from the first line of a file:
    `# yaml-language-server: $schema=path`, to complete and check plans as you type.

    Example: yotplan schema > schema/plan.schema.json && yotplan schema --owners > schema/owners.schema.json
    """
    from yotplan.plans.json_schema import owners_schema, plan_schema, render_schema

    print_text(render_schema(owners_schema() if owners else plan_schema()))
