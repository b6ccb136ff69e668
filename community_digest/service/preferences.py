"""The preference centre: language, topics and frequency; unsubscribe; erase everything."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from ..subscriber_fields import FREQUENCIES
from ..subscribers import Subscriber
from . import actions
from .routes import ServiceState, _language, bad_link, find_by_token, read_form, refused
from .texts import LANGUAGES


async def preferences(request: Request) -> Response:
    state: ServiceState = request.app.state.service
    if request.method == "GET":
        token = request.query_params.get("token", "")
        found = await run_in_threadpool(find_by_token, state, "preferences", token)
        if found is None:
            return bad_link(state, _language(request, state))
        return _form(state, found, token)
    if (answer := refused(request, state)) is not None:
        return answer
    form = await read_form(request)
    token = str(form.get("token") or "")
    return await run_in_threadpool(_change, state, form, token, _language(request, state))


def _form(state: ServiceState, subscriber: Subscriber, token: str, status: int = 200) -> Response:
    config = state.config
    return state.pages.render(
        "preferences.html", subscriber.language, "prefs_title", status,
        subscriber=subscriber, token=token, languages=config.languages, topics=config.topics,
        frequencies=FREQUENCIES,
    )  # fmt: skip


def _change(state: ServiceState, form: FormData, token: str, fallback: str) -> Response:
    found = find_by_token(state, "preferences", token)
    if found is None:
        return bad_link(state, fallback)
    action = form.get("action")
    if action == "erase":
        state.write(actions.erase, found)
        return state.pages.message(found.language, "erased")
    if action == "unsubscribe":
        state.write(actions.unsubscribe, found)
        return state.pages.message(found.language, "unsubscribed")
    language = str(form.get("language") or "")
    frequency = str(form.get("frequency") or "")
    topics = tuple(sorted({str(topic) for topic in form.getlist("topics")}))
    known = state.config.vocabulary.topics
    if action != "save" or language not in LANGUAGES or frequency not in FREQUENCIES or not set(topics) <= known:
        return _form(state, found, token, 400)
    state.write(actions.update_preferences, found.id, language, topics, frequency)
    return state.pages.message(language, "saved")
