"""A local SMTP server for trying the digest and the subscription service on one machine.

    python scripts/local_smtp.py [--port 8025] [--maildir maildir]

Every message it receives is kept in MAILDIR (one file each, in new/) and shown in
the terminal, decoded: who it is for, the subject and the plain-text part, so the
links in a confirmation mail or a digest can be opened from there. It listens on
127.0.0.1 only. Stop it with Ctrl-C.
"""

from __future__ import annotations

import argparse
import time
from email import message_from_bytes, policy
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox

SHOWN_CHARACTERS = 4000


class ShowingMailbox(Mailbox):
    """aiosmtpd's Maildir handler, which also prints what it stored."""

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001 (aiosmtpd's hook)
        reply = await super().handle_DATA(server, session, envelope)
        message = message_from_bytes(envelope.content, policy=policy.default)
        body = message.get_body(("plain",))
        text = body.get_content() if body is not None else "(no text part)"
        print(f"--- to {', '.join(envelope.rcpt_tos)}: {message['Subject']}", flush=True)
        print(text[:SHOWN_CHARACTERS].rstrip(), flush=True)
        return reply


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--maildir", type=Path, default=Path("maildir"))
    args = parser.parse_args()
    controller = Controller(ShowingMailbox(str(args.maildir)), hostname="127.0.0.1", port=args.port)
    controller.start()
    print(f"SMTP on 127.0.0.1:{args.port}; messages kept in {args.maildir}/new (Ctrl-C stops)", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
