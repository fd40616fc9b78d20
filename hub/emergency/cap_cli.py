"""`python -m hub cap import FILE… --hub URL --token TOKEN`: CAP files into a running hub.

Each file is sent as `warning.receive` (the token must be a commander's or an admin's). One line
per file, in the order given::

    typhoon_orange.cap.xml: accepted as WN2026-0004, suggests plan typhoon-II (typhoon II)
    metno_gale.cap.xml: accepted as WN2026-0005, no plan suggested
    typhoon_orange.cap.xml: accepted as WN2026-0004 (already received)
    empty.xml: rejected: empty file

The exit status is 1 when any file was rejected, 0 when all were accepted.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from hub.emergency.cap import MAX_BYTES
from hub.feed_client import feed_session
from protocol import CommandResult
from protocol.commands import CAP_XML_MAX_CHARS

CLIENT = "cc-cap-import/0.1"


def _read(path: Path) -> str:
    """The file's text; ValueError with the reason when it cannot be sent."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ValueError(f"file too large: {size:,} bytes, the limit is {MAX_BYTES:,} (1 MiB)")
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise ValueError(f"cannot read: {exc.strerror or exc}") from None
    if len(text) > CAP_XML_MAX_CHARS:
        raise ValueError(f"too long for one command: {len(text):,} characters, the limit is {CAP_XML_MAX_CHARS:,}")
    return text


def describe(name: str, answer: CommandResult) -> str:
    """The line printed for one file."""
    if not answer.ok:
        message = answer.error.message if answer.error else "refused"
        return f"{name}: rejected: {message.removeprefix(f'{name}: ')}"
    result = answer.result or {}
    line = f"{name}: accepted as {result.get('id')}"
    if result.get("duplicate"):
        return line + " (already received)"
    plan = result.get("suggested_plan_id")
    if plan:
        return line + f", suggests plan {plan} ({result.get('type')} {result.get('level')})"
    if result.get("type"):
        return line + f", signal {result.get('type')} {result.get('level')}: no plan kept for it"
    return line + ", no plan suggested"


async def import_files(url: str, token: str, files: list[Path]) -> int:
    rejected = 0
    async with feed_session(url, token, CLIENT) as session:
        pending: list[tuple[str, asyncio.Future[CommandResult] | str]] = []
        for path in files:
            try:
                text = _read(path)
            except ValueError as exc:
                pending.append((path.name, str(exc)))
                continue
            pending.append((path.name, await session.send("warning.receive", {"xml": text, "file_name": path.name})))
        for name, answer in pending:
            if isinstance(answer, str):
                rejected += 1
                print(f"{name}: rejected: {answer}", flush=True)
                continue
            result = await asyncio.wait_for(answer, 60)
            rejected += not result.ok
            print(describe(name, result), flush=True)
    return 1 if rejected else 0
