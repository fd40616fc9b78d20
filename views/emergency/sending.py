"""Send a form's command and answer in the form: close it on acceptance, show the refusal in it.

Shared by the emergency room and the desks' orders panel, so a refusal reads the same wherever
a command of the joint response was typed.
"""

from __future__ import annotations

from typing import Any

from shiboken6 import isValid

from views.emergency.dialogs import CommandDialog
from views.feed_tasks import CommandFeed


async def send_for(feed: CommandFeed, dialog: CommandDialog | None, command: str,
                   args: dict[str, Any]) -> tuple[bool, str, dict[str, Any]]:
    """(accepted, the hub's refusal or the connection's error, the result). The dialog, if still open,
    closes on acceptance and shows the refusal otherwise (staying open to correct)."""
    result: dict[str, Any] = {}
    try:
        answer = await feed.send_command(command, args)
        ok, message = answer.ok, (answer.error.message if answer.error else "")
        result = dict(answer.result or {})
    except Exception as exc:  # the connection closed for good: say so where the operator looks
        ok, message = False, str(exc) or type(exc).__name__
    if dialog is not None and isValid(dialog):
        if ok:
            dialog.close()
        else:
            dialog.show_refusal(message)
    return ok, message, result
