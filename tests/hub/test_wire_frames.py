"""The hub frames its feed and its answers itself (hub/server.py): the bytes websockets would write."""

from __future__ import annotations

import pytest
from websockets.frames import Frame, Opcode

from hub.server import text_frame


@pytest.mark.parametrize("size", [0, 1, 125, 126, 127, 65535, 65536, 70000])
def test_a_text_frame_is_what_websockets_writes(size: int) -> None:
    data = bytes(range(256)) * (size // 256) + bytes(range(size % 256))
    assert text_frame(data) == Frame(Opcode.TEXT, data).serialize(mask=False)
