"""`serve --cert --key`: the feed over TLS (wss://), with a certificate made for the test."""

from __future__ import annotations

import asyncio
import ipaddress
import json
import ssl
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidMessage

from protocol import PROTOCOL_VERSION
from tests.hub.served import ServedHub
from tests.hub.test_cli import assert_one_clear_line, hub_cli


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost, valid for a day, and its key (PEM files)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "cc-hub test")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                    x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                       critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "hub.crt", folder / "hub.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def test_the_feed_and_healthz_over_tls_with_a_generated_certificate(tmp_path: Path) -> None:
    cert, key = make_certificate(tmp_path)
    db = str(tmp_path / "hub.db")
    token = hub_cli("users", "add", "alice", "--role", "duty", "--db", db).stdout.strip()
    hub = ServedHub("--db", db, "--cert", str(cert), "--key", str(key), cwd=tmp_path)
    try:
        assert hub.url == f"wss://127.0.0.1:{hub.port}/feed"
        trusting = ssl.create_default_context(cafile=str(cert))

        offer: list[Any] = [PROTOCOL_VERSION]

        async def session() -> None:
            async with connect(hub.url, ssl=trusting, subprotocols=offer) as ws:
                await ws.send(json.dumps({"type": "hello", "token": token, "client": "tests/1"}))
                welcome = json.loads(await ws.recv())
                assert (welcome["type"], welcome["user"]) == ("welcome", "alice")
            with pytest.raises(ssl.SSLCertVerificationError):  # a client that does not trust it refuses it
                await connect(hub.url, ssl=ssl.create_default_context(), subprotocols=offer)
            with pytest.raises(InvalidMessage):  # plain ws:// to the TLS port: no HTTP answer comes back
                await connect(f"ws://127.0.0.1:{hub.port}/feed", subprotocols=offer, open_timeout=10)

        asyncio.run(session())
        with urllib.request.urlopen(f"https://127.0.0.1:{hub.port}/healthz", context=trusting, timeout=10) as got:
            assert json.loads(got.read())["status"] == "ok"
    finally:
        log = hub.stop()
    assert "Traceback" not in log, log


def test_cert_without_key_or_a_bad_certificate_is_one_clear_line(tmp_path: Path) -> None:
    cert, _ = make_certificate(tmp_path)
    db = str(tmp_path / "hub.db")
    assert_one_clear_line(hub_cli("serve", "--db", db, "--port", "0", "--cert", str(cert)),
                          "--cert and --key go together")
    bad = tmp_path / "bad.pem"
    bad.write_text("not a certificate\n", encoding="utf-8")
    assert_one_clear_line(hub_cli("serve", "--db", db, "--port", "0", "--cert", str(bad), "--key", str(bad)),
                          "--cert/--key")
