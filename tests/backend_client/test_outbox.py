"""The outbox against a real hub: nothing the operator did is lost, nothing is applied twice.

`case.supervise remind` is the command of choice: the hub applies it again every time it
arrives as a new command, so "applied once" is the hub's dedupe at work, not its state machine.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from backend_client.connection import FeedConnection
from backend_client.outbox import Outbox
from backend_client.session import ConnectionState
from backend_client.store import CaseStore
from hub.embedded import EmbeddedHub
from tests.hub.conftest import WAIT_S, case_args


async def until(condition: Callable[[], bool], what: str) -> None:
    try:
        async with asyncio.timeout(WAIT_S):
            while not condition():
                await asyncio.sleep(0.005)
    except TimeoutError:
        raise AssertionError(f"timed out waiting for: {what}") from None


def outbox_rows(path: Path) -> list[tuple[str, str, str | None]]:
    """The outbox file as another program sees it (committed rows only)."""
    with sqlite3.connect(path) as db:
        return db.execute("SELECT command_id, name, case_id FROM outbox ORDER BY position").fetchall()


def supervision_events(hub_db: Path, case_id: str) -> int:
    """Supervision records of a case in the hub's own log."""
    with sqlite3.connect(hub_db) as db:
        return int(db.execute("SELECT count(*) FROM events WHERE type = 'supervision.recorded' AND case_id = ?",
                              (case_id,)).fetchone()[0])


def remind(case_id: str) -> dict[str, object]:
    return {"action": "remind", "ids": [case_id], "note": "请尽快处置"}


def test_a_command_given_while_the_hub_is_down_is_applied_once_when_it_is_back(tmp_path: Path) -> None:
    hub_db, box = tmp_path / "hub.db", tmp_path / "outbox.sqlite"

    async def main() -> None:
        hub = EmbeddedHub(f"sqlite:///{hub_db}", simulate=False)
        await hub.__aenter__()
        port, args = hub.port, case_args(hub)
        store = CaseStore()
        conn = FeedConnection(hub.url, hub.token, store, outbox=Outbox(box))
        await conn.start()
        try:
            await until(lambda: conn.state is ConnectionState.LIVE, "live")
            created = await conn.send_command("case.create", args)
            assert created.ok and created.result is not None
            case_id = str(created.result["id"])
            assert outbox_rows(box) == []  # answered: gone
            await hub.__aexit__(None, None, None)
            await until(lambda: conn.state is ConnectionState.BACKOFF, "backoff after the hub went away")

            answer = asyncio.ensure_future(conn.send_command("case.supervise", remind(case_id), command_id="c-down"))
            await until(lambda: conn.commands.pending(case_id) != [], "the command is tracked")
            assert outbox_rows(box) == [("c-down", "case.supervise", case_id)]  # on disk before any hub saw it
            assert [c.command_id for c in conn.commands.pending(case_id)] == ["c-down"]

            async with EmbeddedHub(f"sqlite:///{hub_db}", simulate=False, port=port, make_account=False):
                result = await asyncio.wait_for(answer, WAIT_S * 3)
                assert result.ok, result.error
                await until(lambda: len(store.supervision.get(case_id, [])) == 1, "the reminder's event")
                assert outbox_rows(box) == []
                assert conn.commands.pending_case_ids() == frozenset()
                assert conn.commands.refusal(case_id) is None
        finally:
            await conn.close()
        assert supervision_events(hub_db, case_id) == 1

    asyncio.run(main())


def test_a_console_restart_sends_what_the_last_run_could_not(tmp_path: Path) -> None:
    hub_db, box = tmp_path / "hub.db", tmp_path / "outbox.sqlite"

    async def main() -> None:
        hub = EmbeddedHub(f"sqlite:///{hub_db}", simulate=False)
        await hub.__aenter__()
        port, token, url = hub.port, hub.token, hub.url
        first = FeedConnection(url, token, CaseStore(), outbox=Outbox(box))
        await first.start()
        await until(lambda: first.state is ConnectionState.LIVE, "live")
        created = await first.send_command("case.create", case_args(hub))
        assert created.result is not None
        case_id = str(created.result["id"])
        await hub.__aexit__(None, None, None)
        await until(lambda: first.state is ConnectionState.BACKOFF, "backoff")
        given = asyncio.ensure_future(first.send_command("case.supervise", remind(case_id), command_id="c-restart"))
        await until(lambda: len(outbox_rows(box)) == 1, "the row on disk")
        await first.close()  # the console quits (or crashes) with the command unsent
        with pytest.raises(asyncio.CancelledError):
            await given
        assert first.outbox is not None
        first.outbox.close()

        store = CaseStore()
        second = FeedConnection(url, token, store, outbox=Outbox(box))
        assert [c.command_id for c in second.commands.pending(case_id)] == ["c-restart"]  # shown before any hub
        async with EmbeddedHub(f"sqlite:///{hub_db}", simulate=False, port=port, make_account=False):
            await second.start()
            try:
                await until(lambda: len(store.supervision.get(case_id, [])) == 1, "the reminder applied")
                await until(lambda: outbox_rows(box) == [], "the row removed on the hub's answer")
                assert second.commands.pending() == []
            finally:
                await second.close()
        assert supervision_events(hub_db, case_id) == 1

    asyncio.run(main())


def test_a_resend_of_a_command_the_hub_already_applied_is_not_applied_again(tmp_path: Path) -> None:
    """The answer was lost (the console died between the hub's commit and the row's removal)."""
    hub_db, box = tmp_path / "hub.db", tmp_path / "outbox.sqlite"

    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{hub_db}", simulate=False) as hub:
            conn = FeedConnection(hub.url, hub.token, CaseStore(), outbox=Outbox(box))
            await conn.start()
            await until(lambda: conn.state is ConnectionState.LIVE, "live")
            created = await conn.send_command("case.create", case_args(hub))
            assert created.result is not None
            case_id = str(created.result["id"])
            first = await conn.send_command("case.supervise", remind(case_id), command_id="c-once")
            assert first.ok
            await conn.close()
            assert conn.outbox is not None
            conn.outbox.add("c-once", "case.supervise", remind(case_id), case_id=case_id)  # as if never removed
            conn.outbox.close()

            again = FeedConnection(hub.url, hub.token, CaseStore(), outbox=Outbox(box))
            await again.start()
            try:
                await until(lambda: outbox_rows(box) == [], "the hub's stored answer removes the row")
                await until(lambda: again.state is ConnectionState.LIVE, "live")
                assert again.commands.pending() == [] and again.commands.refusal(case_id) is None
            finally:
                await again.close()
        assert supervision_events(hub_db, case_id) == 1

    asyncio.run(main())


def test_a_refused_command_is_kept_with_the_hubs_words_until_dismissed(tmp_path: Path) -> None:
    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False) as hub:
            conn = FeedConnection(hub.url, hub.token, CaseStore(), outbox=Outbox(tmp_path / "outbox.sqlite"))
            await conn.start()
            try:
                await until(lambda: conn.state is ConnectionState.LIVE, "live")
                created = await conn.send_command("case.create", case_args(hub))
                assert created.result is not None
                case_id = str(created.result["id"])
                assert (await conn.send_command("case.register", {"id": case_id, "version": 1})).ok
                before = conn.commands.version
                late = await conn.send_command("case.register", {"id": case_id, "version": 1})
                assert not late.ok and late.error is not None
                refusal = conn.commands.refusal(case_id)
                assert refusal == ("case.register", "conflict", late.error.message)
                assert "someone acted first" in refusal.message
                assert conn.commands.version > before
                assert conn.outbox is not None and len(conn.outbox) == 0  # answered, even if refused

                version = conn.commands.version
                conn.commands.dismiss(case_id)
                assert conn.commands.refusal(case_id) is None and conn.commands.version == version + 1
            finally:
                await conn.close()

    asyncio.run(main())


def test_without_an_outbox_a_command_lives_as_long_as_its_caller_waits(tmp_path: Path) -> None:
    async def main() -> None:
        conn = FeedConnection("ws://127.0.0.1:9/feed", "t", CaseStore())  # nothing listens there
        await conn.start()
        try:
            waiting = asyncio.ensure_future(conn.send_command("case.supervise", remind("c1")))
            await until(lambda: conn.commands.pending_case_ids() == {"c1"}, "tracked while awaited")
            waiting.cancel()
            await until(lambda: conn.pending_commands == 0, "forgotten with its caller")
            assert conn.commands.pending() == []
        finally:
            await conn.close()

    asyncio.run(main())


def test_a_question_asked_while_the_hub_is_down_is_neither_kept_nor_counted_as_an_action(tmp_path: Path) -> None:
    """Queries (org.units, …) change nothing: the status line's "N actions waiting" and the outbox are
    for actions; a screen asking for the organisation must not make the operator think one is unsent."""
    hub_db, box = tmp_path / "hub.db", tmp_path / "outbox.sqlite"

    async def main() -> None:
        hub = EmbeddedHub(f"sqlite:///{hub_db}", simulate=False)
        await hub.__aenter__()
        port = hub.port
        conn = FeedConnection(hub.url, hub.token, CaseStore(), outbox=Outbox(box))
        await conn.start()
        try:
            await until(lambda: conn.state is ConnectionState.LIVE, "live")
            created = await conn.send_command("case.create", case_args(hub))
            assert created.result is not None
            case_id = str(created.result["id"])
            await hub.__aexit__(None, None, None)
            await until(lambda: conn.state is ConnectionState.BACKOFF, "backoff after the hub went away")
            question = asyncio.ensure_future(conn.send_command("org.units", {}, command_id="q-down"))
            action = asyncio.ensure_future(conn.send_command("case.supervise", remind(case_id), command_id="a-down"))
            await until(lambda: len(outbox_rows(box)) == 1 and "q-down" in conn._pending, "both given")
            assert outbox_rows(box) == [("a-down", "case.supervise", case_id)]
            assert conn.pending_commands == 1 and conn.health().pending_commands == 1
            async with EmbeddedHub(f"sqlite:///{hub_db}", simulate=False, port=port, make_account=False):
                answers = await asyncio.wait_for(asyncio.gather(question, action), WAIT_S * 3)
                assert all(a.ok for a in answers), answers
                assert conn.pending_commands == 0
        finally:
            await conn.close()

    asyncio.run(main())
