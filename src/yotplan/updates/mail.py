"""The message that goes with a form: an RFC 5322 .eml built with the standard library's
`email` package (plain text and HTML alternatives, the form attached), and sending it over SMTP.

The same text serves as the manager's own chase email: it lists the owner's overdue and
due-soon actions, the return-by date and the board meeting the answers feed.

Sending uses STARTTLS whenever the server offers it, and never sends a password over a
connection that is not encrypted. Credentials come from the environment only
(YOTPLAN_SMTP_USER, YOTPLAN_SMTP_PASSWORD), never from a file in the repository.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from yotplan.errors import YotplanError
from yotplan.updates.cycle import FormAction, OwnerRequest, Round

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
SMTP_USER_ENV = "YOTPLAN_SMTP_USER"
SMTP_PASSWORD_ENV = "YOTPLAN_SMTP_PASSWORD"
SMTP_TIMEOUT = 30.0


class SendFailed(YotplanError):
    """The SMTP server could not be reached, or refused the message."""


def subject(round_: Round) -> str:
    return f"{round_.service}: your action plan update, please return by {round_.return_by:%d %B %Y}"


def _listed(request: OwnerRequest) -> tuple[list[FormAction], list[FormAction]]:
    overdue = [a for a in request.actions if a.overdue]
    soon = [a for a in request.actions if a.due_soon]
    return overdue, soon


def _when(action: FormAction) -> str:
    if action.due is None:
        return "no due date"
    if action.overdue and action.days_left is not None:
        days = -action.days_left
        return f"due {action.due:%d/%m/%Y}, {days} day{'s' * (days != 1)} overdue"
    return f"due {action.due:%d/%m/%Y}"


def text_body(round_: Round, request: OwnerRequest, form_name: str) -> str:
    """The plain-text part."""
    overdue, soon = _listed(request)
    feeds = f" It feeds the {round_.meeting_name}." if round_.meeting_name else ""
    lines = [
        f"Dear {request.role},",
        "",
        f"Please send your progress on the {round_.service} action plan by {round_.return_by:%A %d %B %Y}.{feeds}",
        f"The attached form ({form_name}) lists your {len(request.actions)} open action"
        f"{'s' * (len(request.actions) != 1)}: fill the yellow columns and send it back by replying to this email.",
        "",
    ]
    for title, actions in (("Overdue", overdue), (f"Due in the next {30} days", soon)):
        if actions:
            lines.append(f"{title}:")
            lines += [f"  - {a.id} {a.title} ({_when(a)}, {a.status})" for a in actions]
            lines.append("")
    if not overdue and not soon:
        lines += ["None of your actions is overdue or due in the next 30 days.", ""]
    lines += [
        "Please never write a child's name, date of birth or case details in the form.",
        "",
        "Thank you.",
    ]
    return "\n".join(lines) + "\n"


def html_body(round_: Round, request: OwnerRequest, form_name: str) -> str:
    """The HTML part: the same content, with the actions as tables."""
    e = html.escape
    overdue, soon = _listed(request)
    feeds = f" It feeds the <strong>{e(round_.meeting_name)}</strong>." if round_.meeting_name else ""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>' + e(subject(round_)) + "</title></head>",
        '<body style="font-family: Arial, sans-serif; font-size: 15px; color: #222; max-width: 46em">',
        f"<p>Dear {e(request.role)},</p>",
        f"<p>Please send your progress on the {e(round_.service)} action plan by "
        f"<strong>{round_.return_by:%A %d %B %Y}</strong>.{feeds}</p>",
        f"<p>The attached form (<code>{e(form_name)}</code>) lists your {len(request.actions)} open action"
        f"{'s' * (len(request.actions) != 1)}: fill the yellow columns and send it back by replying to this "
        "email.</p>",
    ]
    cell = 'style="border: 1px solid #bbb; padding: 4px 8px; text-align: left; vertical-align: top"'
    fixed = cell[:-1] + '; white-space: nowrap"'  # ids and statuses never break at their hyphen
    for title, actions, colour in (("Overdue", overdue, "#c00000"), ("Due in the next 30 days", soon, "#b26b00")):
        if not actions:
            continue
        parts.append(f'<h3 style="color: {colour}; margin-bottom: 4px">{title}</h3>')
        parts.append('<table style="border-collapse: collapse">')
        parts.append(f"<tr><th {cell}>Action</th><th {cell}>What</th><th {cell}>Due</th><th {cell}>Status</th></tr>")
        for a in actions:
            parts.append(
                f"<tr><td {fixed}>{e(a.id)}</td><td {cell}>{e(a.title)}</td><td {cell}>{e(_when(a))}</td>"
                f"<td {fixed}>{e(a.status)}</td></tr>"
            )
        parts.append("</table>")
    if not overdue and not soon:
        parts.append("<p>None of your actions is overdue or due in the next 30 days.</p>")
    parts += [
        "<p>Please never write a child's name, date of birth or case details in the form.</p>",
        "<p>Thank you.</p>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def build_message(
    round_: Round, request: OwnerRequest, form: bytes, form_name: str, sender: str | None
) -> EmailMessage:
    """The message for one owner: To their `email:`, plain text and HTML, the form attached."""
    message = EmailMessage()
    message["Subject"] = subject(round_)
    if sender:
        message["From"] = sender
        message["Reply-To"] = sender
    if request.email:
        message["To"] = request.email
    made = datetime.combine(round_.made, datetime.min.time(), tzinfo=UTC)
    message["Date"] = format_datetime(made)
    message["Message-ID"] = make_msgid(domain="yotplan.invalid")
    message.set_content(text_body(round_, request, form_name))
    message.add_alternative(html_body(round_, request, form_name), subtype="html")
    message.add_attachment(form, maintype=XLSX[0], subtype=XLSX[1], filename=form_name)
    return message


@dataclass(frozen=True, slots=True)
class Credentials:
    user: str
    password: str


def send_messages(messages: Sequence[EmailMessage], host: str, port: int, credentials: Credentials | None) -> list[str]:
    """Send every message over one SMTP connection; returns the addresses sent to.

    STARTTLS when the server offers it; a password is never sent unencrypted."""
    import smtplib
    import ssl

    sent: list[str] = []
    try:
        with smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT) as smtp:
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            elif credentials is not None:
                raise SendFailed(
                    f"{host}:{port} does not offer STARTTLS, so yotplan will not send the password from "
                    f"{SMTP_PASSWORD_ENV} over it; nothing was sent"
                )
            if credentials is not None:
                smtp.login(credentials.user, credentials.password)
            for message in messages:
                smtp.send_message(message)
                sent.append(str(message["To"]))
    except (OSError, smtplib.SMTPException) as exc:
        done = f"; sent to {', '.join(sent)} before it failed" if sent else "; nothing was sent"
        raise SendFailed(f"cannot send through {host}:{port}: {exc}{done}") from None
    return sent
