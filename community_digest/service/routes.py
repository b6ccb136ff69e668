"""The service's endpoints. Reading a link (GET) never changes anything: mail scanners
fetch links. Every change is a POST, done in one transaction off the event loop.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ..store import open_database
from ..subscriber_fields import FREQUENCIES, FieldProblem, SubscriberFields, check_email, check_name
from ..subscribers import Subscriber
from ..tokens import BadToken, parse_scoped, scoped_token, token_subscriber_id, verify_scoped
from . import actions
from .config import ServiceConfig
from .limits import ClientLimiter
from .mails import Mail
from .origin import origin_allowed
from .pages import Pages
from .texts import LANGUAGES, best_language, problem_text, texts

HONEYPOT = "website"
WRITE_WAIT = 10.0
T = TypeVar("T")


@dataclass
class ServiceState:
    config: ServiceConfig
    pages: Pages
    subscribe_limiter: ClientLimiter
    local: threading.local
    writing: threading.Lock = field(default_factory=threading.Lock)
    """Held for every write: this process's threads queue here and wake at once, instead of
    in SQLite's busy handler, which sleeps in steps of up to 100 ms."""

    def write(self, action: Callable[..., T], *args: object) -> T:
        """Run one action (one transaction) on this thread's connection.

        When a send holds the database, BEGIN fails at once (busy_timeout is short)
        and is tried again a millisecond later, for up to WRITE_WAIT seconds: nothing
        was written by then, so the action can simply start over.
        """
        deadline = time.monotonic() + WRITE_WAIT
        with self.writing:
            while True:
                try:
                    return action(self.conn(), *args)
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc) or time.monotonic() > deadline:
                        raise
                time.sleep(0.001)

    def conn(self) -> sqlite3.Connection:
        """One connection per worker thread (sqlite3 connections stay in their thread)."""
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = open_database(self.config.database)
            # Requests never copy the WAL into the database themselves (that fsyncs, and
            # would stall every request queued behind it): see app.Checkpointer.
            conn.execute("PRAGMA wal_autocheckpoint = 0")
            conn.execute("PRAGMA busy_timeout = 5")  # see write()
        return conn


def _state(request: Request) -> ServiceState:
    return request.app.state.service


def _language(request: Request, state: ServiceState) -> str:
    return best_language(request.headers.get("accept-language", ""), state.config.default_language)


def bad_link(state: ServiceState, language: str) -> HTMLResponse:
    """The one answer to every wrong token: nothing tells what was wrong with it."""
    return state.pages.message(language, "bad_link", 400)


def find_by_token(state: ServiceState, purpose: str, token: str) -> Subscriber | None:
    """The subscriber a valid token of this purpose names; None for any other token."""
    conn, signer = state.conn(), state.config.signer
    if purpose == "unsubscribe":
        try:
            subscriber_id = token_subscriber_id(token)
        except BadToken:
            return None
        found = _get(conn, subscriber_id)
        return found if signer.verify(token, found.email if found else "") and found else None
    claim = parse_scoped(token, purpose)
    if claim is None:
        return None
    found = _get(conn, claim.subscriber_id)
    nonce = (actions.confirm_nonce(conn, claim.subscriber_id) or "") if purpose == "confirm" else ""
    email = found.email if found else ""
    ok = verify_scoped(signer, claim, email, nonce=nonce, now=time.time())
    return found if ok and found and (purpose != "confirm" or nonce) else None


def _get(conn: sqlite3.Connection, subscriber_id: int) -> Subscriber | None:
    row = conn.execute("SELECT * FROM subscribers WHERE id = ?", (subscriber_id,)).fetchone()
    return Subscriber.from_row(row) if row else None


async def read_form(request: Request) -> FormData:
    return await request.form(max_files=0, max_fields=60)


def refused(request: Request, state: ServiceState) -> HTMLResponse | None:
    """A 403 page when the form came from a foreign origin."""
    if origin_allowed(request.headers.get("origin"), state.config.origins):
        return None
    return state.pages.message(_language(request, state), "refused", 403)


# subscribe ------------------------------------------------------------------------


async def subscribe(request: Request) -> Response:
    state = _state(request)
    language = _language(request, state)
    if (answer := refused(request, state)) is not None:
        return answer
    client = request.client.host if request.client else "unknown"
    if not state.subscribe_limiter.allow(client):
        return state.pages.message(language, "busy", 429)
    form = await read_form(request)
    asked = str(form.get("language") or "")
    language = asked if asked in LANGUAGES else language
    if form.get(HONEYPOT):  # a bot filled the field humans never see: same answer, nothing done
        return _check_page(state, language, str(form.get("email") or ""))
    checked = check_subscription(form, state.config, language)
    if isinstance(checked, list):
        errors = [problem_text(problem, language) for problem in checked]
        return state.pages.render("message.html", language, "invalid_title", 400, body="", errors=errors)
    sent = await run_in_threadpool(_request_and_mail, state, checked)
    if not sent:
        return state.pages.message(language, "unavailable", 503)
    return _check_page(state, language, checked.email)


def _check_page(state: ServiceState, language: str, email: str) -> HTMLResponse:
    return state.pages.message(language, "check", email=email[:254], hours=state.config.confirm_hours)


def check_subscription(form: FormData, config: ServiceConfig, language: str) -> SubscriberFields | list[FieldProblem]:
    """The form's fields, checked like an import row; every problem at once."""
    email = check_email(str(form.get("email") or "")[:320])
    name = check_name(str(form.get("name") or ""))
    topics = tuple(sorted({str(value) for value in form.getlist("topics")}))
    frequency = str(form.get("frequency") or "monthly")
    problems = [value for value in (email, name) if isinstance(value, FieldProblem)]
    unknown = [topic for topic in topics if topic not in config.vocabulary.topics]
    if unknown:
        problems.append(FieldProblem("topics", "topics of the hub", unknown[0][:80]))
    if frequency not in FREQUENCIES:
        problems.append(FieldProblem("frequency", ", ".join(FREQUENCIES), frequency[:80]))
    if problems:
        return problems
    return SubscriberFields(str(email), str(name), language, topics, frequency, "pending")


def _request_and_mail(state: ServiceState, fields: SubscriberFields) -> bool:
    """Record the request, then mail; if the mail fails the request is taken back."""
    config = state.config
    order = state.write(actions.request_subscription, fields, time.time())
    if order is None:
        return True  # mailed a moment ago: the same answer, no new mail
    subscriber = order.subscriber
    if order.kind is actions.MailKind.CONFIRM:
        expires = int(time.time()) + config.confirm_hours * 3600
        token = confirm_token(state, subscriber, expires, order.nonce)
        mail = Mail(subscriber.email, fields.language, fields.name, "confirm", config.link("confirm", token))
    else:
        token = preferences_token(state, subscriber)
        mail = Mail(subscriber.email, subscriber.language, subscriber.name, "known", config.link("preferences", token))
    if config.mailer.send(mail):
        return True
    state.write(actions.withdraw, order)
    return False


def confirm_token(state: ServiceState, subscriber: Subscriber, expires: int, nonce: str) -> str:
    return scoped_token(state.config.signer, "confirm", subscriber.id, subscriber.email, expires=expires, nonce=nonce)


def preferences_token(state: ServiceState, subscriber: Subscriber) -> str:
    return scoped_token(state.config.signer, "preferences", subscriber.id, subscriber.email)


# confirm, unsubscribe -------------------------------------------------------------


async def confirm(request: Request) -> Response:
    state = _state(request)
    if request.method == "POST":
        if (answer := refused(request, state)) is not None:
            return answer
        token = str((await read_form(request)).get("token") or request.query_params.get("token") or "")
        return await run_in_threadpool(_confirm_now, state, token, _language(request, state))
    token = request.query_params.get("token", "")
    found = await run_in_threadpool(find_by_token, state, "confirm", token)
    if found is None:
        return bad_link(state, _language(request, state))
    language = _requested_language(found, state)
    return state.pages.render("confirm.html", language, "confirm_title", token=token)


def _confirm_now(state: ServiceState, token: str, fallback: str) -> Response:
    found = find_by_token(state, "confirm", token)
    nonce = actions.confirm_nonce(state.conn(), found.id) if found else None
    if found is None or not nonce:
        return bad_link(state, fallback)
    done = state.write(actions.confirm, found.id, nonce)
    if not done:
        return bad_link(state, fallback)
    language = _get(state.conn(), found.id).language  # type: ignore[union-attr]
    prefs = state.config.link("preferences", preferences_token(state, found))
    return state.pages.render("message.html", language, "confirmed_title",
                              body=texts(language)["confirmed_body"], link=prefs)  # fmt: skip


def _requested_language(subscriber: Subscriber, state: ServiceState) -> str:
    row = state.conn().execute("SELECT confirm_request FROM subscribers WHERE id = ?", (subscriber.id,)).fetchone()
    asked = json.loads(row[0]).get("language") if row and row[0] else subscriber.language
    return asked if asked in LANGUAGES else state.config.default_language


async def unsubscribe(request: Request) -> Response:
    """RFC 8058: a POST with List-Unsubscribe=One-Click unsubscribes at once; GET only asks."""
    state = _state(request)
    token = request.query_params.get("token", "")
    if request.method == "POST":
        if (answer := refused(request, state)) is not None:
            return answer
        form = await read_form(request)
        if form.get("List-Unsubscribe") != "One-Click":
            return bad_link(state, _language(request, state))
    found = await run_in_threadpool(find_by_token, state, "unsubscribe", token)
    if found is None:
        return bad_link(state, _language(request, state))
    if request.method == "POST":
        await run_in_threadpool(state.write, actions.unsubscribe, found)
        return state.pages.message(found.language, "unsubscribed")
    return state.pages.render("unsubscribe.html", found.language, "unsubscribe_title", token=token)
