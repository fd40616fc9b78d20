"""The console's store keeps the joint response's resources and the emergency's new fields from
events and snapshots, and its cache keeps them too."""

from __future__ import annotations

import asyncio
from pathlib import Path

from hub.embedded import EmbeddedHub
from protocol import ResourceStatus, Role
from tests.backend_client.store_roundtrip import from_snapshot, through_cache
from tests.backend_client.test_snapshot_cache import synced_store, until


def test_resources_reach_the_store_by_event_and_by_snapshot_and_survive_its_cache(tmp_path: Path) -> None:
    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False, role=Role.COMMANDER) as hub:
            store, conn = await synced_store(hub, 0)
            declared = await conn.send_command("emergency.declare", {"type": "rainstorm", "level": "III",
                                                                     "title": "暴雨", "activate_plan": False})
            assert declared.ok and declared.result is not None
            emergency_id = declared.result["id"]
            await until(lambda: emergency_id in store.emergencies, "emergency.changed")
            version = store.emergency_version
            pumps = {"emergency_id": emergency_id, "kind": "pump", "name": "泵车", "quantity": 3, "unit_id": "B-SW"}
            created = await conn.send_command("resource.set", pumps)
            assert created.ok and created.result is not None
            resource_id = created.result["id"]
            await until(lambda: resource_id in store.resources, "resource.changed")
            assert store.emergency_version > version, "the room redraws on a resource too"
            moved = await conn.send_command("resource.set", {**pumps, "id": resource_id, "status": "deployed"})
            assert moved.ok
            await until(lambda: store.resources[resource_id].status is ResourceStatus.DEPLOYED, "the change")
            assigned = await conn.send_command("emergency.assign", {"id": emergency_id, "lead_unit_id": "B-SW"})
            assert assigned.ok
            await until(lambda: store.emergencies[emergency_id].lead_unit_id == "B-SW", "the assignment")

            fresh = await from_snapshot(hub, lambda s: bool(s.resources))
            assert fresh.resources == store.resources
            assert fresh.emergencies == store.emergencies

            restarted = await through_cache(store, tmp_path)
            assert restarted.resources == store.resources
            assert restarted.emergencies[emergency_id].lead_unit_id == "B-SW"
            await conn.close()

    asyncio.run(main())
