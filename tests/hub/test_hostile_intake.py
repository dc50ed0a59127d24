"""Hostile requests to the hub service's intake, over real HTTP and a real database: signatures over another URL,
a neighbour hub's callbacks, bodies that cannot be stored, replays and concurrent duplicates, a database that is
full, locked or cannot be opened. Each test says what is answered and what is (not) stored."""

from __future__ import annotations

import http.client
import json
import socket
import sqlite3
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from twilio.request_validator import RequestValidator

from deh_deploy.hub.db import make_engine
from deh_deploy.hub.tables import inbox, records

from .conftest import HUNGARY, SECRETS
from .events import sid, task_event
from .fake_viber import sign as viber_sign
from .server import PUBLIC, Server, start
from .test_viber import BOT_TOKEN, WITH_BOT, bridged_config

TASKROUTER = "/twilio/taskrouter"
VALIDATOR = RequestValidator(SECRETS["TWILIO_AUTH_TOKEN"])
HUB = "deh-hungary-staging"


@dataclass
class Live:
    server: Server
    db_url: str
    engine: sa.Engine

    def stored(self) -> set[str]:
        with self.engine.connect() as conn:
            return {str(k) for k in conn.execute(sa.select(inbox.c.event_key)).scalars()}

    def rows(self, key: str) -> list[Any]:
        with self.engine.connect() as conn:
            return list(conn.execute(sa.select(inbox).where(inbox.c.event_key == key)))

    def record_events(self, task: str) -> list[int]:
        self.server.wait_processed()
        with self.engine.connect() as conn:
            found = conn.execute(sa.select(records.c.events).where(records.c.task_sid == task)).scalars()
            return [int(n) for n in found]

    def send(
        self, path: str, body: bytes, headers: dict[str, str] | list[tuple[str, str]]
    ) -> tuple[int, bytes]:
        """POST with the headers as given (a list may repeat one)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        try:
            connection.putrequest("POST", path)
            pairs = list(headers.items()) if isinstance(headers, dict) else headers
            for name, value in [*pairs, ("Content-Length", str(len(body)))]:
                connection.putheader(name, value)
            connection.endheaders(body)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def form(
        self, path: str, params: dict[str, str], *, signed_url: str | None = None, ctype: str | None = None
    ) -> tuple[int, bytes]:
        signature = VALIDATOR.compute_signature(signed_url or PUBLIC + path, params)
        headers = {
            "Content-Type": ctype or "application/x-www-form-urlencoded",
            "X-Twilio-Signature": signature,
        }
        return self.send(path, urllib.parse.urlencode(params).encode(), headers)

    def json(self, path: str, text: str) -> tuple[int, bytes]:
        """A JSON body signed as Twilio signs one: its hash in ``bodySHA256``, the URL signed with it."""
        query = f"bodySHA256={VALIDATOR.compute_hash(text)}"
        target = f"{path}{'&' if '?' in path else '?'}{query}"
        signature = VALIDATOR.compute_signature(PUBLIC + target, {})
        headers = {"Content-Type": "application/json", "X-Twilio-Signature": signature}
        return self.send(target, text.encode(), headers)


@pytest.fixture(scope="module")
def live(module_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    server = start(module_db_url, SECRETS, cwd=tmp_path_factory.mktemp("hostile"))
    engine = make_engine(module_db_url)
    yield Live(server, module_db_url, engine)
    server.stop()
    engine.dispose()
    log = Path(server.log).read_text(encoding="utf-8")
    assert "Traceback" not in log
    for secret in SECRETS.values():
        assert secret not in log


def event() -> dict[str, str]:
    return task_event("task.created", task=sid("WT"), at=datetime.now(UTC))


# -- signatures -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sent", "signed"),
    [
        (TASKROUTER, "http://deh-staging.voroskereszt.hu" + TASKROUTER),  # another scheme
        (TASKROUTER, "https://deh-staging.voroskereszt.hu:8443" + TASKROUTER),  # another port
        (TASKROUTER + "?a=1&b=2", PUBLIC + TASKROUTER + "?b=2&a=1"),  # the query in another order
        (TASKROUTER + f"?deh={HUB}", PUBLIC + TASKROUTER),  # a query added after signing
        (TASKROUTER, PUBLIC + TASKROUTER + f"?deh={HUB}"),  # the signed query dropped
        (TASKROUTER, PUBLIC + TASKROUTER + "/"),  # another path
    ],
    ids=["scheme", "port", "query-order", "query-added", "query-dropped", "trailing-slash"],
)
def test_a_signature_over_another_url_is_refused_and_stores_nothing(
    live: Live, sent: str, signed: str
) -> None:
    params = event()
    status, body = live.form(sent, params, signed_url=signed)
    assert (status, body) == (403, b"forbidden")
    assert params["Sid"] not in live.stored()


def test_duplicated_or_joined_signature_headers_do_not_let_a_forgery_in(live: Live) -> None:
    params = event()
    body = urllib.parse.urlencode(params).encode()
    genuine = VALIDATOR.compute_signature(PUBLIC + TASKROUTER, params)
    form = ("Content-Type", "application/x-www-form-urlencoded")
    tries = [
        [form, ("X-Twilio-Signature", "x" * 28), ("X-Twilio-Signature", "y" * 28)],
        [form, ("X-Twilio-Signature", "x" * 28), ("X-Twilio-Signature", genuine)],  # the first one counts
        [form, ("X-Twilio-Signature", f"{genuine}, {'x' * 28}")],  # as a proxy joins repeated headers
        [form, ("X-Twilio-Signature", "")],
    ]
    assert [live.send(TASKROUTER, body, headers)[0] for headers in tries] == [403, 403, 403, 403]
    assert params["Sid"] not in live.stored()


# -- another hub's callbacks ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [
        f"{TASKROUTER}?deh=deh-romania-staging",
        f"{TASKROUTER}?deh=deh-hungary-production",
        f"{TASKROUTER}?deh={HUB}&deh=deh-romania-staging",
        f"{TASKROUTER}?d%65h=deh-romania-staging",  # the name percent-encoded
    ],
    ids=["neighbour", "production", "both", "encoded"],
)
def test_a_signed_callback_for_another_hub_is_refused_and_changes_no_record(live: Live, path: str) -> None:
    """Twilio signs the URL it was given: a neighbour hub's setting pointed at this service (one account, one auth
    token) arrives with a genuine signature and its own hub's name in ``?deh=``."""
    params = event()
    assert live.form(path, params, signed_url=PUBLIC + path) == (403, b"another hub")
    assert params["Sid"] not in live.stored()
    assert live.record_events(params["TaskSid"]) == []


def test_a_signed_callback_naming_this_hub_is_stored(live: Live) -> None:
    params = event()
    path = f"{TASKROUTER}?deh={HUB}"
    assert live.form(path, params, signed_url=PUBLIC + path)[0] == 204
    assert live.record_events(params["TaskSid"]) == [1]


# -- bodies that cannot be taken --------------------------------------------------------------------------------
def _signed_form(live: Live, **changes: str) -> tuple[int, bytes, str]:
    params = {**event(), **changes}
    status, body = live.form(TASKROUTER, params)
    return status, body, params["Sid"]


MALFORMED_JSON = {
    "lone-surrogate-in-key": json.dumps({"Sid": "EV\ud800", "EventType": "task.created"}),
    "lone-surrogate-in-value": json.dumps({"Sid": "EV-surrogate", "TaskAttributes": "\udfff"}),
    "a-list": json.dumps([{"Sid": "EV-list"}]),
    "a-5000-digit-number": '{"Sid": "EV-number", "TaskAge": 1' + "0" * 5000 + "}",
    "not-json": '{"Sid": "EV-not-json",',
}


@pytest.mark.postgres_differs  # key lengths, NUL, encodings and racing inserts: PostgreSQL's own way
@pytest.mark.parametrize("name", list(MALFORMED_JSON))
def test_a_signed_json_body_that_cannot_be_stored_gets_4xx_and_stores_nothing(live: Live, name: str) -> None:
    before = live.stored()
    status, body = live.json(TASKROUTER, MALFORMED_JSON[name])
    assert 400 <= status < 500, (status, body)
    assert b"Traceback" not in body
    assert live.stored() == before


@pytest.mark.postgres_differs  # key lengths, NUL, encodings and racing inserts: PostgreSQL's own way
@pytest.mark.parametrize(
    "sid_value",
    ["EV" + "a" * 200, "EV\x00" + "a" * 32],
    ids=["longer-than-the-key-column", "nul"],
)
def test_a_signed_form_whose_event_id_cannot_be_a_key_gets_400_on_either_database(
    live: Live, sid_value: str
) -> None:
    before = live.stored()
    status, body, _ = _signed_form(live, Sid=sid_value)
    assert (status, b"Traceback" in body) == (400, False)
    assert live.stored() == before


def test_json_or_bytes_where_a_form_is_expected_get_4xx_and_store_nothing(live: Live) -> None:
    before = live.stored()
    params = event()
    as_json = json.dumps(params).encode()
    genuine = VALIDATOR.compute_signature(PUBLIC + TASKROUTER, params)
    answers = [
        # JSON under the form's signature, declared as a form and as JSON (no bodySHA256)
        live.send(
            TASKROUTER,
            as_json,
            {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": genuine},
        ),
        live.send(TASKROUTER, as_json, {"Content-Type": "application/json", "X-Twilio-Signature": genuine}),
        # the form as multipart, and bytes that are not UTF-8
        live.send(
            TASKROUTER,
            b'--b\r\nContent-Disposition: form-data; name="Sid"\r\n\r\n'
            + params["Sid"].encode()
            + b"\r\n--b--\r\n",
            {"Content-Type": "multipart/form-data; boundary=b", "X-Twilio-Signature": genuine},
        ),
        live.send(TASKROUTER, b"Sid=EV\xff\xfe&EventType=task.created", {"X-Twilio-Signature": genuine}),
    ]
    assert [status for status, _ in answers] == [403, 403, 403, 403]
    assert live.stored() == before
    # a JSON body signed as the form it parses as (one parameter named by the whole body) has no event id
    text = json.dumps({"Sid": sid("EV")})
    as_form = dict(urllib.parse.parse_qsl(text, keep_blank_values=True))
    signature = VALIDATOR.compute_signature(PUBLIC + TASKROUTER, as_form)
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature}
    assert live.send(TASKROUTER, text.encode(), headers) == (400, b"no event id")
    assert live.stored() == before


def test_an_oversize_forged_body_is_refused_and_stores_nothing(live: Live) -> None:
    before = live.stored()
    body = b"Sid=" + sid("EV").encode() + b"&Pad=" + b"x" * 8_000_000
    status, _ = live.send(
        TASKROUTER,
        body,
        {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": "x" * 28},
    )
    assert status in (403, 413)
    assert live.stored() == before


@pytest.mark.slow  # a body of 100,000 parameters, each backend
def test_a_forged_request_with_a_hundred_thousand_parameters_is_refused_at_once(live: Live) -> None:
    before = live.stored()
    params = {f"p{i}": "v" for i in range(100_000)}
    params["Sid"] = sid("EV")
    status, _ = live.send(
        TASKROUTER,
        urllib.parse.urlencode(params).encode(),
        {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": "x" * 28},
    )
    assert status in (403, 413)  # how fast is a benchmark's question: a loaded CI machine took 5.5 s
    assert live.stored() == before


@pytest.mark.postgres_differs  # key lengths, NUL, encodings and racing inserts: PostgreSQL's own way
# -- replays and duplicates -------------------------------------------------------------------------------------
def test_a_replay_of_an_event_already_processed_is_answered_and_applied_once(live: Live) -> None:
    params = event()
    assert live.form(TASKROUTER, params)[0] == 204
    assert live.record_events(params["TaskSid"]) == [1]
    (row,) = live.rows(params["Sid"])
    assert row.status == "done" and row.payload is None
    assert [live.form(TASKROUTER, params)[0] for _ in range(3)] == [204, 204, 204]
    assert live.record_events(params["TaskSid"]) == [1]
    assert [(r.id, r.status, r.attempts) for r in live.rows(params["Sid"])] == [(row.id, "done", 1)]


@pytest.mark.postgres_differs  # key lengths, NUL, encodings and racing inserts: PostgreSQL's own way
def test_concurrent_duplicates_are_all_answered_and_stored_once(live: Live) -> None:
    params = event()
    barrier = threading.Barrier(16)
    answers: list[int] = []
    lock = threading.Lock()

    def deliver() -> None:
        barrier.wait()
        status = live.form(TASKROUTER, params)[0]
        with lock:
            answers.append(status)

    threads = [threading.Thread(target=deliver) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert answers == [204] * 16
    assert len(live.rows(params["Sid"])) == 1
    assert live.record_events(params["TaskSid"]) == [1]


# -- Viber's webhook ----------------------------------------------------------------------------------------------
@dataclass
class Bot:
    live: Live

    def deliver(
        self, body: bytes, *, path: str = "/viber", signature: str | None = None
    ) -> tuple[int, bytes]:
        headers = {
            "Content-Type": "application/json",
            "X-Viber-Content-Signature": signature if signature is not None else viber_sign(BOT_TOKEN, body),
        }
        return self.live.send(path, body, headers)


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    """The service with the Viber bridge on (SQLite): only callbacks that are not messages are sent here, so the
    worker calls neither Twilio nor Viber."""
    run = tmp_path_factory.mktemp("hostile-viber")
    url = f"sqlite:///{run / 'hub.db'}"
    options = ("--viber-api-url", "http://127.0.0.1:9/pa")
    server = start(url, WITH_BOT, cwd=run, config=bridged_config(run), options=options)
    engine = make_engine(url)
    yield Bot(Live(server, url, engine))
    server.stop()
    engine.dispose()
    log = Path(server.log).read_text(encoding="utf-8")
    assert "Traceback" not in log
    for secret in (*WITH_BOT.values(), "hostile-viber-user"):
        assert secret not in log


def subscribed(token: str) -> bytes:
    payload = {"event": "subscribed", "timestamp": 1764633600000, "message_token": token}
    return json.dumps(
        {**payload, "user": {"id": "hostile-viber-user", "name": "Olena", "language": "uk"}}
    ).encode()


@pytest.mark.parametrize("signature", ["é" * 64, "x" * 64, ""], ids=["non-ascii", "forged", "empty"])
def test_a_forged_viber_signature_gets_403_and_stores_nothing(bot: Bot, signature: str) -> None:
    token = sid("")
    status, body = bot.deliver(subscribed(token), signature=signature)
    assert (status, body) == (403, b"forbidden")
    assert token not in bot.live.stored()


def test_a_signed_viber_callback_for_another_hub_is_refused(bot: Bot) -> None:
    refused, taken = sid(""), sid("")
    assert bot.deliver(subscribed(refused), path="/viber?deh=deh-romania-staging")[0] == 403
    assert bot.deliver(subscribed(taken), path=f"/viber?deh={HUB}")[0] == 200
    stored = bot.live.stored()
    assert refused not in stored and taken in stored


def test_a_signed_viber_callback_that_cannot_be_stored_gets_4xx(bot: Bot) -> None:
    before = bot.live.stored()
    status, _ = bot.deliver(b'{"event": "subscribed", "message_token": "\\ud800", "user": {"id": "u"}}')
    assert 400 <= status < 500
    assert bot.live.stored() == before


# -- the SQLite intake thread when the database refuses -------------------------------------------------------------
class InProcess:
    """The web app on uvicorn in this process (real HTTP, real SQLite file), so that the test can reach the
    intake's engine before its first connection: to cap the file's size (``max_page_count``) or break the file."""

    def __init__(self, folder: Path) -> None:
        from deh_deploy.config import load_hub
        from deh_deploy.hub.service import Service
        from deh_deploy.hub.settings import resolve

        self.db = folder / "hub.db"
        settings = resolve(
            load_hub(HUNGARY),
            "staging",
            database_url=f"sqlite:///{self.db}",
            state_dir=folder,
            environ=SECRETS,
        )
        self.service = Service(settings)
        self.service.start()
        self.service.engine.dispose()
        self._uvicorn: Any = None
        self._thread: threading.Thread | None = None
        self.port = 0

    def serve(self) -> Live:
        import uvicorn

        from deh_deploy.hub.app import create_app

        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            create_app(self.service, worker=False), log_config=None, access_log=False, lifespan="on"
        )
        self._uvicorn = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._uvicorn.run, kwargs={"sockets": [sock]}, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._uvicorn.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.01)
        server = Server(None, self.port, SECRETS["TWILIO_AUTH_TOKEN"], self.db)  # type: ignore[arg-type]
        return Live(server, f"sqlite:///{self.db}", self.service.engine)

    def stop(self) -> None:
        if self._uvicorn is not None:
            self._uvicorn.should_exit = True
            assert self._thread is not None
            self._thread.join(timeout=20)
        self.service.close()


@pytest.fixture
def inproc(tmp_path: Path) -> Iterator[InProcess]:
    app = InProcess(tmp_path)
    yield app
    app.stop()


def file_keys(db: Path) -> set[str]:
    """What the file holds, read by a connection of its own (no size cap)."""
    connection = sqlite3.connect(db)
    try:
        return {row[0] for row in connection.execute("SELECT event_key FROM inbox")}
    finally:
        connection.close()


def test_a_full_database_answers_503_and_every_event_answered_204_is_in_the_file(inproc: InProcess) -> None:
    connection = sqlite3.connect(inproc.db)
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.close()

    def cap(dbapi_connection: Any, _record: Any) -> None:  # the disk is full a few pages from now
        dbapi_connection.execute(f"PRAGMA max_page_count={pages + 3}")

    sa.event.listen(inproc.service.intake, "connect", cap)
    live = inproc.serve()
    sent: dict[str, dict[str, str]] = {}
    answered: dict[str, int] = {}
    for _ in range(40):
        params = {**event(), "TaskAttributes": json.dumps({"type": "inbound", "pad": "x" * 3000})}
        sent[params["Sid"]] = params
        answered[params["Sid"]] = live.form(TASKROUTER, params)[0]
    assert set(answered.values()) == {204, 503}, answered
    stored = file_keys(inproc.db)
    assert {k for k, status in answered.items() if status == 204} <= stored, "an acknowledged event was lost"
    assert not {k for k, status in answered.items() if status == 503} & stored, "a refused event was stored"
    # a retry of a stored event needs no room: it is answered as the duplicate it is, still one row
    first = next(k for k, status in answered.items() if status == 204)
    assert live.form(TASKROUTER, sent[first])[0] == 204
    assert len(live.rows(first)) == 1


def test_a_database_the_intake_cannot_open_gets_503_at_once_and_the_intake_recovers(
    inproc: InProcess,
) -> None:
    good = inproc.db.read_bytes()
    inproc.db.write_bytes(b"this is not an SQLite database " * 200)
    live = inproc.serve()
    started = time.monotonic()
    first, second = event(), event()
    assert [live.form(TASKROUTER, first)[0], live.form(TASKROUTER, second)[0]] == [503, 503]
    assert time.monotonic() - started < 10, "a request waited for an intake that had stopped"
    inproc.db.write_bytes(good)
    third = event()
    assert live.form(TASKROUTER, third)[0] == 204
    assert file_keys(inproc.db) == {third["Sid"]}


def test_an_event_that_cannot_be_stored_does_not_fail_the_events_stored_with_it(inproc: InProcess) -> None:
    live = inproc.serve()
    holder = sqlite3.connect(inproc.db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # the worker's batch: the events pile up for one transaction
    genuine = [event() for _ in range(8)]
    answers: dict[str, int] = {}

    def deliver(params: dict[str, str]) -> None:
        answers[params["Sid"]] = live.form(TASKROUTER, params)[0]

    def poison() -> None:
        answers["poison"] = live.json(TASKROUTER, MALFORMED_JSON["lone-surrogate-in-value"])[0]

    threads = [threading.Thread(target=deliver, args=(p,)) for p in genuine] + [
        threading.Thread(target=poison)
    ]
    for thread in threads:
        thread.start()
    time.sleep(0.8)
    holder.execute("COMMIT")
    holder.close()
    for thread in threads:
        thread.join(timeout=60)
    poisoned = answers.pop("poison")
    assert answers == {p["Sid"]: 204 for p in genuine}
    assert file_keys(inproc.db) == {p["Sid"] for p in genuine}
    assert 400 <= poisoned < 500


def test_while_another_process_holds_the_write_lock_requests_wait_and_each_204_is_stored(
    inproc: InProcess,
) -> None:
    live = inproc.serve()
    holder = sqlite3.connect(inproc.db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    sent = [event() for _ in range(6)]
    answers: dict[str, tuple[int, float]] = {}
    started = time.monotonic()

    def deliver(params: dict[str, str]) -> None:
        status = live.form(TASKROUTER, params)[0]
        answers[params["Sid"]] = (status, time.monotonic() - started)

    threads = [threading.Thread(target=deliver, args=(p,)) for p in sent]
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    assert answers == {}, "answered before the event could be committed"
    holder.execute("COMMIT")
    holder.close()
    for thread in threads:
        thread.join(timeout=60)
    assert {status for status, _ in answers.values()} == {204} and len(answers) == len(sent)
    assert file_keys(inproc.db) == {p["Sid"] for p in sent}


def test_a_row_the_driver_cannot_bind_fails_alone_in_its_transaction(tmp_path: Path) -> None:
    """Below the routes (which refuse such a body first): one event's value SQLite cannot take fails that event
    only; the events sharing its transaction are stored and told so."""
    import asyncio

    from deh_deploy.hub.db import migrate
    from deh_deploy.hub.inbox import Event, event_values
    from deh_deploy.hub.kinds import load
    from deh_deploy.hub.writer import Writer

    url = f"sqlite:///{tmp_path / 'hub.db'}"
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    intake = make_engine(url, autocommit=True)
    writer = Writer(intake)
    kind = load()["taskrouter"]
    at = datetime.now(UTC)

    holder = sqlite3.connect(tmp_path / "hub.db", isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # the first event waits for the lock, the other two queue behind it
    released = threading.Timer(0.3, holder.execute, args=("COMMIT",))

    async def together() -> list[bool | BaseException]:
        keys = ["EV-a", "EV-\ud800", "EV-b"]
        rows = [event_values(Event(kind, key, {"Sid": key}, at)) for key in keys]
        released.start()
        return await asyncio.gather(*(writer.store(row) for row in rows), return_exceptions=True)

    try:
        answers = asyncio.run(together())
    finally:
        released.join()
        holder.close()
        writer.close()
        intake.dispose()
    assert answers[0] is True and answers[2] is True
    assert isinstance(answers[1], sa.exc.OperationalError)
    assert file_keys(tmp_path / "hub.db") == {"EV-a", "EV-b"}


DEEP = "[" * 100_000 + "]" * 100_000  # deeper than Python's parser recurses


def test_signed_bodies_nested_too_deep_get_4xx_or_are_kept_as_ignored(live: Live) -> None:
    """JSON nested deeper than the parser recurses: the JSON route refuses it, and a form's ``TaskAttributes``
    holding it is a task that is not the DEH flows' (kept as ignored, no record)."""
    before = live.stored()
    status, _ = live.json(TASKROUTER, '{"Sid": "EV-deep", "TaskAttributes": ' + DEEP + "}")
    assert 400 <= status < 500
    assert live.stored() == before
    params = {**event(), "TaskAttributes": DEEP}
    assert live.form(TASKROUTER, params)[0] == 204
    assert live.record_events(params["TaskSid"]) == []
    assert [row.status for row in live.rows(params["Sid"])] == ["ignored"]


def test_a_signed_viber_callback_nested_too_deep_gets_4xx(bot: Bot) -> None:
    before = bot.live.stored()
    status, _ = bot.deliver(
        ('{"event": "subscribed", "message_token": "deep", "user": ' + DEEP + "}").encode()
    )
    assert 400 <= status < 500
    assert bot.live.stored() == before
