"""A digest compiled with the subscription service links every copy to its own preference centre."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import httpx
import pytest
import yaml

from community_digest.subscriber_fields import SubscriberFields
from community_digest.subscribers import SubscriberBook
from tests.digest.hubproject import make_project
from tests.digest_send.smtp_server import SmtpServer

from .conftest import row


@pytest.fixture
def hub_dir(tmp_path: Path, port: int) -> Path:
    """The digest tests' small hub (its feed written to the contract), with the service configured."""
    config_file = make_project(tmp_path)
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["extra"]["hub"]["subscriptions"] = {"url": f"http://127.0.0.1:{port}/"}
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    return tmp_path


def test_each_copy_links_to_its_own_preferences(service, hub, smtp: SmtpServer, db: sqlite3.Connection) -> None:
    SubscriberBook(db).add_many([SubscriberFields("ana@example.org", name="Ana", frequency="quarterly"),
                                 SubscriberFields("bo@example.org", language="fr", frequency="quarterly")])  # fmt: skip
    result = hub("digest", "send", "2025-q3", "--smtp", smtp.url, "--yes")
    assert result.code == 0, result.err
    copies = {m.rcpt_tos[0]: m.parsed() for m in smtp.handler.messages}
    links = {}
    for address, message in copies.items():
        text = message.get_body(("plain",)).get_content()
        markup = message.get_body(("html",)).get_content()
        found = re.search(rf"({re.escape(service.url)}preferences\?token=p\.\d+\.[\w-]+)", text)
        assert found, text[-600:]
        assert f'href="{found[1]}"' in markup
        links[address] = found[1]
    assert "Change what you receive" in copies["ana@example.org"].get_body(("plain",)).get_content()
    assert "Modifier vos choix" in copies["bo@example.org"].get_body(("plain",)).get_content()
    assert links["ana@example.org"] != links["bo@example.org"]

    page = httpx.get(links["bo@example.org"], timeout=10)
    assert page.status_code == 200 and "bo@example.org" in page.text and "ana@" not in page.text
    token = links["bo@example.org"].split("token=", 1)[1]
    saved = httpx.post(f"{service.url}preferences", timeout=10,
                       data={"token": token, "action": "save", "language": "de", "frequency": "monthly",
                             "topics": ["mentoring"]})  # fmt: skip
    assert saved.status_code == 200
    assert (row(db, "bo@example.org")["language"], row(db, "bo@example.org")["topics"]) == ("de", "mentoring")
