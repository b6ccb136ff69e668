"""Kill `hub digest send` (SIGKILL) partway, rerun, and count: one message each."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from community_digest import ledger as ledger_module

from .conftest import ISSUE, SECRET, people, states

HUB = str(Path(sys.executable).with_name("hub"))


def _start_send(hub_dir: Path, url: str, *extra: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "HUB_UNSUBSCRIBE_SECRET": SECRET}
    return subprocess.Popen(
        [
            HUB,
            "-f",
            str(hub_dir / "mkdocs.yml"),
            "digest",
            "send",
            ISSUE,
            "--smtp",
            url,
            "--yes",
            *extra,
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_for(condition, seconds: float = 60.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up after {seconds} s")
        time.sleep(0.005)


def _kill(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=10) == -signal.SIGKILL


def test_sigkill_between_messages_then_rerun_gives_one_each(hub, hub_dir, smtp, db, subscribe):
    everyone = people(300)
    subscribe(everyone)
    process = _start_send(hub_dir, smtp.url, "--rate", "40/s")
    sent = "SELECT COUNT(*) FROM deliveries WHERE state = 'sent'"
    try:
        _wait_for(lambda: len(smtp.handler.messages) >= 30)
        # Kill as soon as the ledger has caught up with the server: between two messages.
        _wait_for(lambda: db.execute(sent).fetchone()[0] >= len(smtp.handler.messages))
    finally:
        _kill(process)
    first = len(smtp.handler.messages)
    assert 30 <= first < 300
    after_kill = states(db)
    assert "reserved" in after_kill.values()  # the killed run's batch, not started
    # On a loaded machine the kill may still land in the next transaction: that one
    # (at most one) is possibly sent, reported, and not sent again.
    possibly = {address for address, state in after_kill.items() if state == "sending"}
    assert len(possibly) <= 1

    run = hub("digest", "send", ISSUE, "--smtp", smtp.url, "--yes")

    assert run.code == 0, run.err
    assert f"0 failed, 0 pending, 0 skipped, {len(possibly)} possibly sent." in run.out
    received = smtp.handler.count_by_recipient()
    for person in everyone:
        assert received[person.email] == 1 or (person.email in possibly and not received[person.email])
    final = states(db)
    assert {address for address, state in final.items() if state != "sent"} == possibly


def test_sigkill_during_a_transaction_leaves_one_possibly_sent_never_resent(hub, hub_dir, smtp, db, subscribe):
    everyone = people(40)
    subscribe(everyone)
    smtp.script.hold_after_data = 12  # the server has message 12 but has not answered yet
    process = _start_send(hub_dir, smtp.url)
    try:
        _wait_for(smtp.handler.held.is_set)
    finally:
        _kill(process)
    in_flight = smtp.handler.messages[11].rcpt_tos[0]
    assert states(db)[in_flight] == "sending"

    run = hub("digest", "send", ISSUE, "--smtp", smtp.url, "--yes")

    assert run.code == 0, run.err
    assert "This run: 28 sent, 0 failed, 0 deferred, 0 skipped, 0 possibly sent." in run.out
    assert "39 sent, 0 failed, 0 pending, 0 skipped, 1 possibly sent." in run.out
    assert "1 possibly sent: a run stopped during their SMTP transaction." in run.out
    # The ledger agrees with the server: the possibly sent one did arrive, once.
    assert smtp.handler.count_by_recipient() == {person.email: 1 for person in everyone}
    assert [a for a, state in states(db).items() if state == "sending"] == [in_flight]


def test_reservations_of_a_run_that_died_with_the_machine_count_as_possibly_sent(
    hub, smtp, db, subscribe, monkeypatch, tmp_path
):
    """After a reboot, marks made after the last fsync may be lost: assume the worst."""
    subscribe(people(10))
    ledger = ledger_module.Ledger(db)
    ledger.freeze(ISSUE, ("quarterly",), lambda language, topics: f"{language}-all")
    ids = [row[0] for row in db.execute("SELECT id FROM deliveries ORDER BY id LIMIT 4")]
    assert ledger.reserve(ids, "boot-before-the-power-cut") == set(ids)
    rebooted = tmp_path / "boot_id"
    rebooted.write_text("boot-after-the-restart\n", encoding="ascii")
    monkeypatch.setattr(ledger_module, "_BOOT_ID", rebooted)

    run = hub("digest", "send", ISSUE, "--smtp", smtp.url, "--yes")

    assert "This run: 6 sent, 0 failed, 0 deferred, 0 skipped, 4 possibly sent." in run.out
    assert len(smtp.handler.messages) == 6


def test_reservations_of_a_killed_run_on_the_same_boot_are_resumed(hub, smtp, db, subscribe):
    subscribe(people(10))
    ledger = ledger_module.Ledger(db)
    ledger.freeze(ISSUE, ("quarterly",), lambda language, topics: f"{language}-all")
    ids = [row[0] for row in db.execute("SELECT id FROM deliveries ORDER BY id LIMIT 4")]
    ledger.reserve(ids, ledger_module.boot_id())

    run = hub("digest", "send", ISSUE, "--smtp", smtp.url, "--yes")

    assert "This run: 10 sent, 0 failed, 0 deferred, 0 skipped, 0 possibly sent." in run.out


def test_ctrl_c_stops_after_the_current_message_and_a_rerun_finishes(hub, hub_dir, smtp, db, subscribe):
    everyone = people(30)
    subscribe(everyone)
    process = _start_send(hub_dir, smtp.url, "--rate", "20/s")
    try:
        _wait_for(lambda: len(smtp.handler.messages) >= 5)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 130
    finally:
        if process.poll() is None:
            _kill(process)
    assert "sending" not in set(states(db).values())
    run = hub("digest", "send", ISSUE, "--smtp", smtp.url, "--yes")
    assert "0 possibly sent." in run.out
    assert smtp.handler.count_by_recipient() == {person.email: 1 for person in everyone}


def test_only_one_sender_at_a_time(hub, hub_dir, smtp, subscribe):
    from community_digest.store import one_sender

    subscribe(people(2))
    database = hub_dir / ".hub" / "subscribers.sqlite3"
    with one_sender(database):
        run = hub("digest", "send", ISSUE, "--smtp", smtp.url, "--yes")
    assert run.code == 1
    assert run.err.strip() == (
        f"another `hub digest send` is running on {database}; let it finish (or stop it), then rerun"
    )
    assert smtp.handler.messages == []
