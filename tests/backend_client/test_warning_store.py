"""The console's store keeps CAP warnings from events and snapshots, and its cache keeps them too."""

from __future__ import annotations

import asyncio
from pathlib import Path

from hub.embedded import EmbeddedHub
from protocol import Role, WarningStatus
from tests.backend_client.store_roundtrip import from_snapshot, through_cache
from tests.backend_client.test_snapshot_cache import synced_store, until

ROOT = Path(__file__).resolve().parents[2]
ORANGE = ROOT / "resources" / "cap" / "shanghai_minhang_typhoon_orange.cap.xml"


def test_warnings_reach_the_store_by_event_and_by_snapshot_and_survive_its_cache(tmp_path: Path) -> None:
    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False, role=Role.COMMANDER) as hub:
            store, conn = await synced_store(hub, 0)
            version = store.emergency_version
            received = await conn.send_command("warning.receive", {"xml": ORANGE.read_text(encoding="utf-8"),
                                                                   "file_name": ORANGE.name})
            assert received.ok and received.result is not None
            warning_id = received.result["id"]
            await until(lambda: warning_id in store.warnings, "warning.changed")
            assert store.emergency_version > version
            dismissed = await conn.send_command("warning.dismiss", {"id": warning_id, "reason": "演练"})
            assert dismissed.ok
            await until(lambda: store.warnings[warning_id].status is WarningStatus.DISMISSED, "the dismissal")

            fresh = await from_snapshot(hub, lambda s: bool(s.warnings))
            assert fresh.warnings == store.warnings

            restarted = await through_cache(store, tmp_path)
            assert restarted.warnings == store.warnings
            await conn.close()

    asyncio.run(main())
