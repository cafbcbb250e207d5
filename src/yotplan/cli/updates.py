"""The update cycle: request-updates (forms and messages for owners) and apply-updates (returned
forms into the plans). See docs/update-cycle.md.

openpyxl, `email` and `smtplib` are imported only when these commands run.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from yotplan.cli.app import app
from yotplan.cli.completion import complete_owner_keys
from yotplan.cli.exit_codes import end_run
from yotplan.cli.options import PlansDir, Today, check_choices, date_option, resolve_today, usage_error
from yotplan.cli.output import print_notes, print_notice, print_text
from yotplan.cli.reading import finish, plans_folder, read_plans

if TYPE_CHECKING:
    from yotplan.updates.cycle import Round


@app.command("request-updates")
def request_updates(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="DIR", help="Folder for the forms, messages and requests.yaml."),
    ] = None,
    owner: Annotated[
        list[str] | None,
        typer.Option(
            "--owner", metavar="OWNER", help="Only this owner key; repeatable.", autocompletion=complete_owner_keys
        ),
    ] = None,
    return_by: Annotated[date | None, date_option("--return-by", help="When the forms are due back.")] = None,
    meeting: Annotated[
        str | None,
        typer.Option(
            "--meeting",
            metavar="BOARD@YYYY-MM-DD",
            help="The board meeting the updates feed; return-by is 10 working days before it.",
        ),
    ] = None,
    sender: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="ADDRESS",
            envvar="YOTPLAN_MAIL_FROM",
            show_envvar=True,
            help="The team mailbox the forms are returned to (From and Reply-To).",
        ),
    ] = None,
    send: Annotated[bool, typer.Option("--send", help="Send the messages now (needs --smtp and --from).")] = False,
    smtp: Annotated[
        str | None,
        typer.Option(
            "--smtp",
            metavar="HOST:PORT",
            help="The SMTP server for --send; STARTTLS when offered; login from YOTPLAN_SMTP_USER and "
            "YOTPLAN_SMTP_PASSWORD.",
        ),
    ] = None,
    status: Annotated[
        Path | None,
        typer.Option("--status", metavar="DIR", help="Say who has returned the forms of DIR/requests.yaml."),
    ] = None,
    plans_dir: PlansDir = None,
    today: Today = None,
) -> None:
    """Ask owners for their progress: an .xlsx form and a ready-to-send .eml per owner.

    For each owner with open actions (or each --owner), writes DIR/OWNER.xlsx (locked action cells,
    cells to fill, a status drop-down), DIR/OWNER.eml (to the owner's `email:` in owners.yaml, listing
    overdue and due-soon actions, the form attached) and DIR/requests.yaml. The return-by date is
    --return-by, else 10 working days before --meeting, else 10 working days from today.
    --status DIR lists who has returned their form and who is outstanding.

    Example: yotplan request-updates --meeting yot-board@2023-03-14 --from yot@torbay.example -o updates/2023-03
    """
    day = resolve_today(today)
    if status is not None:
        if output is not None or send:
            usage_error("--status reads an earlier round; give it alone (without -o or --send)", "--status")
        _show_status(status, plans_dir, day)
        return
    if output is None:
        usage_error("give the folder for the forms: -o DIR", "--output")
    address = _smtp_address(smtp) if send else None
    if send and not sender:
        usage_error("--send needs --from ADDRESS (or YOTPLAN_MAIL_FROM): the mailbox owners reply to", "--from")
    if smtp is not None and not send:
        usage_error("--smtp is for --send", "--smtp")
    from yotplan.updates.cycle import plan_round

    judged = read_plans([plans_dir] if plans_dir else None, None, day)
    plans = judged.plan_sets[0]
    if output.resolve() == Path(plans.root).resolve():
        usage_error("the forms go in their own folder, not the plans folder (its .yaml files are plans)", "--output")
    check_choices(owner, list(plans.owners), "--owner")
    round_ = plan_round(plans, day, list(owner or ()), return_by=return_by, meeting=meeting, reply_to=sender)
    messages, missing = _write_round(round_, output)
    if address is not None:
        _send(messages, address)
    finish(judged, fail=bool(missing) and send)


def _write_round(round_: Round, output: Path) -> tuple[list[object], list[str]]:
    """Write every form, message and requests.yaml; say what was written. Returns the messages that
    have an address, and the owners with none."""
    from email import policy

    from yotplan.plans.loader import display_path
    from yotplan.updates.forms import build_form
    from yotplan.updates.mail import build_message
    from yotplan.updates.output_files import prepare_folder, write_output
    from yotplan.updates.requests_log import REQUESTS_FILE, requests_text

    prepare_folder(output)
    forms: dict[str, str] = {}
    messages: list[object] = []
    missing: list[str] = []
    for key in round_.unaskable:
        missing.append(key)
        sys.stderr.write(
            f"yotplan: warning: no form for owner {key!r}: not an owner key "
            "(letters, digits, . _ -); fix it in the plans\n"
        )
    for request in round_.requests:
        if not request.actions:
            print_notice(f"{request.key} has no open actions: no form written")
            continue
        form = build_form(round_, request)
        name = f"{request.key}.xlsx"
        write_output(output / name, form)
        message = build_message(round_, request, form, name, round_.reply_to)
        write_output(output / f"{request.key}.eml", message.as_bytes(policy=policy.SMTP))
        forms[request.key] = name
        overdue = sum(a.overdue for a in request.actions)
        to = request.email or "no email: in owners.yaml"
        print_text(
            f"wrote {display_path(output / name)} and {request.key}.eml: {len(request.actions)} open, "
            f"{overdue} overdue (to {to})\n"
        )
        if request.email:
            messages.append(message)
        else:
            missing.append(request.key)
            sys.stderr.write(
                f"yotplan: warning: {request.key} has no `email:` in owners.yaml; the message has no To: "
                "(add the role's mailbox to owners.yaml)\n"
            )
    write_output(output / REQUESTS_FILE, requests_text(round_, forms).encode("utf-8"))
    feeds = f", for {round_.meeting}" if round_.meeting else ""
    print_text(
        f"wrote {display_path(output / REQUESTS_FILE)}: {len(forms)} owner{'s' * (len(forms) != 1)} asked, "
        f"return by {round_.return_by}{feeds}\n"
    )
    return messages, missing


def _smtp_address(smtp: str | None) -> tuple[str, int]:
    if not smtp:
        usage_error("--send needs --smtp HOST:PORT", "--smtp")
    host, _, port = smtp.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        usage_error(f"{smtp!r} is not HOST:PORT, e.g. smtp.council.example:587", "--smtp")
    return host.strip("[]"), int(port)


def _send(messages: list[object], address: tuple[str, int]) -> None:
    from yotplan.updates.mail import SMTP_PASSWORD_ENV, SMTP_USER_ENV, Credentials, send_messages

    user, password = os.environ.get(SMTP_USER_ENV), os.environ.get(SMTP_PASSWORD_ENV)
    credentials = Credentials(user, password or "") if user else None
    sent = send_messages(messages, address[0], address[1], credentials)  # type: ignore[arg-type]
    print_text(f"sent {len(sent)} message{'s' * (len(sent) != 1)} through {address[0]}:{address[1]}\n")


def _show_status(folder: Path, plans_dir: Path | None, day: date) -> None:
    from yotplan.updates.requests_log import request_status

    judged = read_plans([plans_dir] if plans_dir else None, None, day)
    found = request_status(folder, judged.plan_sets[0], day)
    feeds = f" for {found.meeting}" if found.meeting else ""
    lines = [f"requested {found.requested}, return by {found.return_by}{feeds} (as at {day})"]
    width = max((len(o.key) for o in found.owners), default=0)
    returned = [o for o in found.owners if o.returned]
    for o in found.owners:
        if o.returned:
            late = f", {o.days_late} day{'s' * (o.days_late != 1)} late" if o.days_late else ""
            what = f"returned {o.returned}{late}"
        elif o.days_late:
            what = f"outstanding, {o.days_late} day{'s' * (o.days_late != 1)} overdue"
        else:
            what = "outstanding"
        lines.append(f"  {o.key:<{width}}  {what}  ({o.role}, {len(o.actions)} action{'s' * (len(o.actions) != 1)})")
    outstanding = len(found.owners) - len(returned)
    lines.append(f"{len(returned)} returned, {outstanding} outstanding")
    print_text("\n".join(lines) + "\n")
    finish(judged)


@app.command("apply-updates")
def apply_updates(
    files: Annotated[list[Path], typer.Argument(metavar="FILE", help="Returned forms (.xlsx), one or more.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the diff it would make; write nothing.")] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Apply rows whose action changed in the plans since the form was made.")
    ] = False,
    plans_dir: PlansDir = None,
    today: Today = None,
) -> None:
    """Apply returned update forms to the plans, as `update` and `log` would.

    Each filled row sets the status (done records the completion date), moves the due date (a reason
    needed) and logs the progress update and evidence, noted "returned by ROLE, DATE". A row whose
    action changed since the form was made is refused unless --force; so are rows with formulas,
    changed ids, text that looks like a child's personal data, or unknown statuses. Every filled row
    not applied is listed as FILE:ROW: why, and the command then exits 1. Applying a form twice
    changes nothing the second time.

    Example: yotplan apply-updates returned/camhs-lead.xlsx --dry-run
    """
    from yotplan.updates.apply import apply_forms

    day = resolve_today(today)
    folder = plans_folder(plans_dir)
    result = apply_forms(folder, files, day, dry_run=dry_run, force=force, on_wait=print_notice)
    print_notes(result.notes)
    if dry_run and result.changes:
        print_text(result.diff())
    print_text("".join(f"{o.message}\n" for o in result.outcomes if o.kind != "refused"))
    sys.stderr.write("".join(f"{line}\n" for line in result.warnings))
    sys.stderr.write("".join(f"{o.message}\n" for o in result.refused))
    lines = [
        f"{who}: {n['applied']} applied, {n['unchanged']} unchanged, {n['refused']} refused"
        for who, n in result.counts().items()
    ]
    if not result.changes:
        lines.append("nothing to change: the plans already have every row that could be applied")
    elif dry_run:
        lines.append("dry run: nothing written")
    else:
        lines.append(f"wrote {', '.join(result.written)}")
    print_text("\n".join(lines) + "\n")
    end_run(problems=bool(result.refused))
