"""The messages of `request-updates`: .eml files that parse, and sent to a real local SMTP server."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from openpyxl import load_workbook

from gitrepo import Repo
from updates_support import CAMHS_EMAIL, MANAGER_EMAIL, plans_repo, request

from conftest import Invoke


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return plans_repo(tmp_path / "repo")


def parsed(path: Path) -> EmailMessage:
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_the_message_has_both_parts_and_the_form_and_goes_to_the_owners_mailbox(
    cli: Invoke, repo: Repo, tmp_path: Path
) -> None:
    out = tmp_path / "round"
    request(
        cli, repo, out, "camhs-lead", today="2022-08-15", meeting="yot-board@2022-09-13"
    )  # HMIP-1.1 overdue, HMIP-1.2 due in 46 days

    message = parsed(out / "camhs-lead.eml")

    assert message["To"] == CAMHS_EMAIL
    assert message["From"] == MANAGER_EMAIL == message["Reply-To"]
    assert (
        message["Subject"] == "Torbay Youth Offending Service: your action plan update, please return by 30 August 2022"
    )
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None
    assert html is not None
    text = plain.get_content().replace("\r\n", "\n")
    assert "by Tuesday 30 August 2022. It feeds the YOT Management Board meeting on 13 September 2022." in text
    assert (
        "Overdue:\n  - HMIP-1.1 Secure regular CAMHS attendance at the YOT Management Board "
        "(due 31/07/2022, 15 days overdue" in text
    )
    assert "HMIP-1.2" not in text  # not overdue and not due within 30 days: it is on the form only
    page = html.get_content()
    assert "<td" in page
    assert "HMIP-1.1" in page
    assert "15 days overdue" in page
    assert "<strong>Tuesday 30 August 2022</strong>" in page
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == "camhs-lead.xlsx"
    assert attachment.get_content_type() == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    form = attachment.get_content()
    assert form == (out / "camhs-lead.xlsx").read_bytes()
    assert load_workbook(BytesIO(form)).sheetnames == ["Updates", "yotplan"]


def test_an_owner_without_email_gets_a_message_without_to_and_a_warning(
    cli: Invoke, repo: Repo, tmp_path: Path
) -> None:
    out = tmp_path / "round"
    result = request(cli, repo, out, "director-childrens-services")
    assert parsed(out / "director-childrens-services.eml")["To"] is None
    assert "director-childrens-services has no `email:` in owners.yaml" in result.stderr


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()  # returns once the server answers
    try:
        yield inbox, port
    finally:
        controller.stop()


def test_send_delivers_through_smtp(
    cli: Invoke, repo: Repo, tmp_path: Path, smtp_server: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("YOTPLAN_SMTP_USER", raising=False)
    inbox, port = smtp_server
    out = tmp_path / "round"

    result = request(cli, repo, out, "camhs-lead", extra=("--send", "--smtp", f"127.0.0.1:{port}"))

    assert f"sent 1 message through 127.0.0.1:{port}" in result.stdout
    ((sender, recipients, content),) = inbox.received
    assert sender == MANAGER_EMAIL
    assert recipients == [CAMHS_EMAIL]
    message = message_from_bytes(content, policy=policy.default)
    assert isinstance(message, EmailMessage)
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content() == (out / "camhs-lead.xlsx").read_bytes()


def test_a_password_is_never_sent_without_starttls(
    cli: Invoke, repo: Repo, tmp_path: Path, smtp_server: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("YOTPLAN_SMTP_USER", "yot")
    monkeypatch.setenv("YOTPLAN_SMTP_PASSWORD", "secret")
    inbox, port = smtp_server
    result = cli(
        "request-updates", "--plans", repo.plans, "--today", "2022-06-01", "--owner", "camhs-lead",
        "--from", MANAGER_EMAIL, "-o", tmp_path / "round", "--send", "--smtp", f"127.0.0.1:{port}",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "does not offer STARTTLS, so yotplan will not send the password" in result.stderr
    assert "secret" not in result.stderr
    assert inbox.received == []


def test_send_needs_a_sender_and_a_server(cli: Invoke, repo: Repo, tmp_path: Path) -> None:
    base = ("request-updates", "--plans", repo.plans, "--today", "2022-06-01", "-o", tmp_path / "r", "--send")
    assert cli(*base, "--from", MANAGER_EMAIL).exit_code == 2
    assert cli(*base, "--smtp", "localhost:25").exit_code == 2
    assert cli(*base, "--smtp", "localhost", "--from", MANAGER_EMAIL).exit_code == 2
    assert not (tmp_path / "r").exists()
