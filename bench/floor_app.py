"""The start-up floor of the mandated stack: a minimal Typer app that reads one small YAML file,
validates it with a pydantic model and prints a 23-row rich table (or json). Used only as a yardstick."""

import sys

import typer

app = typer.Typer(add_completion=False)


@app.command()
def status(fmt: str = "table") -> None:
    import json

    import yaml
    from pydantic import BaseModel

    class Row(BaseModel):
        id: str
        owner: str
        rag: str

    rows = [Row(**r) for r in yaml.safe_load("\n".join(f"- {{id: R-{i}, owner: o{i}, rag: green}}" for i in range(23)))]
    if fmt == "json":
        print(json.dumps([r.model_dump() for r in rows]))
        return
    from rich.console import Console
    from rich.table import Table

    t = Table("id", "owner", "rag")
    for r in rows:
        t.add_row(r.id, r.owner, r.rag)
    Console().print(t)


@app.command()
def other() -> None:
    print("x")


if __name__ == "__main__":
    sys.argv[0] = "floor"
    app()
