"""Accounts and tokens.

Tokens are 256-bit random strings, so a plain SHA-256 of them is enough to store (a slow
password hash protects guessable secrets; these are not guessable). Tokens live in the
`users` table, or in a token file for deployments that provision them from outside:
one account a line, `name role sha256-hex`, `#` starts a comment.

A token in the table may expire (`expires_at`, set by `users add` and `users rotate`); the hub
refuses an expired one at `hello` with close code 4403 (`TOKEN_EXPIRED`), so the console tells
its operator to get a new one instead of retrying. A token that is revoked, rotated or runs out
while its connections are open ends them too: the server looks its open tokens up again every
`token_recheck_s` (hub/server.py) and closes those connections with 4401 or 4403. Expiry is
wall-clock time, never the hub's (possibly simulated) clock. Tokens of a token file do not expire:
whoever provisions the file rotates them.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hub.db import schema
from hub.errors import HubError
from protocol import Role

_NAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")


@dataclass(frozen=True)
class Account:
    name: str
    role: Role
    unit_id: str | None = None
    """A unit's desk or a street sub-centre acts only on its own cases (None: the whole centre)."""
    expires_at: datetime | None = None
    """When the token stops being accepted at `hello` (None: never)."""

    def expired(self, now: datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or datetime.now(UTC))


MAX_CONNECTIONS_PER_ACCOUNT = 64
"""Connections one account may hold at once by default (`serve --max-connections-per-account`); the next is
closed with 4409. Room for a wall of screens or a soak's 50 consoles on one account, and for half-open links
not yet timed out, while a leaked token cannot open thousands of subscribers (each may hold
`send_queue_bytes`)."""

DEFAULT_TOKEN_DAYS = 365
"""`users add` and `users rotate` without --expires-in: a token a year, rotated before it runs out."""


def expiry_after(days: float) -> datetime | None:
    """The expiry of a token made now that lasts `days` (0: never expires)."""
    if days < 0:
        raise HubError(f"--expires-in {days:g}: give a number of days, 0 for a token that never expires")
    return None if days == 0 else datetime.now(UTC) + timedelta(days=days)


def _utc(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; the hub writes only UTC."""
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """32 random bytes, URL-safe; never starting with "-", which a command line would read as an option
    (`main.py --token -Xy…` fails in argparse)."""
    while (token := secrets.token_urlsafe(32)).startswith("-"):
        pass
    return token


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise HubError(f"user name {name!r}: use 1-64 letters, digits, '_', '.', '@' or '-'")
    return name


def parse_role(text: str) -> Role:
    try:
        return Role(text)
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise HubError(f"role {text!r} is not one of: {roles}") from None


def add_user(
    engine: Engine, name: str, role: Role, unit_id: str | None = None, expires_at: datetime | None = None
) -> str:
    """Create (or re-key) an account and return its new token, shown once."""
    check_name(name)
    token = new_token()
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(sa.delete(schema.users).where(schema.users.c.name == name))
        conn.execute(
            schema.users.insert().values(
                name=name, role=role.value, token_hash=hash_token(token), created_at=now, unit_id=unit_id,
                expires_at=expires_at,
            )
        )
    return token


def rotate_user(engine: Engine, name: str, expires_at: datetime | None) -> str:
    """Give an active account a new token (same role and unit) and return it; the old one stops at once."""
    token = new_token()
    with engine.begin() as conn:
        done = conn.execute(
            sa.update(schema.users)
            .where(schema.users.c.name == name, schema.users.c.revoked_at.is_(None))
            .values(token_hash=hash_token(token), expires_at=expires_at)
        )
    if not done.rowcount:
        raise HubError(f"no active account named {name!r} (a revoked account is made again with 'users add')")
    return token


def revoke_user(engine: Engine, name: str) -> bool:
    with engine.begin() as conn:
        done = conn.execute(
            sa.update(schema.users)
            .where(schema.users.c.name == name, schema.users.c.revoked_at.is_(None))
            .values(revoked_at=datetime.now(UTC))
        )
    return bool(done.rowcount)


@dataclass(frozen=True)
class Listed:
    name: str
    role: str
    revoked: bool
    expires_at: datetime | None

    @property
    def status(self) -> str:
        if self.revoked:
            return "revoked"
        return "expired" if self.expires_at is not None and self.expires_at <= datetime.now(UTC) else "active"


def list_users(engine: Engine) -> list[Listed]:
    users = schema.users.c
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(users.name, users.role, users.revoked_at, users.expires_at).order_by(users.name)
        ).all()
    return [Listed(r.name, r.role, r.revoked_at is not None, _utc(r.expires_at)) for r in rows]


def lookup(engine: Engine, token: str) -> Account | None:
    """The account holding `token` unless revoked, or None; expired or not (`Account.expired` tells)."""
    users = schema.users.c
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(users.name, users.role, users.unit_id, users.expires_at).where(
                users.token_hash == hash_token(token), users.revoked_at.is_(None)
            )
        ).first()
    return Account(row.name, Role(row.role), row.unit_id, _utc(row.expires_at)) if row else None


def accounts_by_hash(engine: Engine, token_hashes: Collection[str]) -> dict[str, Account]:
    """The accounts that still hold these token hashes (not revoked, expired or not), by hash: one query."""
    if not token_hashes:
        return {}
    users = schema.users.c
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(users.token_hash, users.name, users.role, users.unit_id, users.expires_at).where(
                users.token_hash.in_(list(token_hashes)), users.revoked_at.is_(None)
            )
        ).all()
    return {r.token_hash: Account(r.name, Role(r.role), r.unit_id, _utc(r.expires_at)) for r in rows}


class TokenFile:
    """Accounts read from a token file; read once at start, errors name the line."""

    def __init__(self, path: Path) -> None:
        self._by_hash: dict[str, Account] = {}
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise HubError(f"--token-file: {path} does not exist") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise HubError(f"--token-file: cannot read {path}: {exc}") from None
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            if len(parts) != 3 or not re.fullmatch(r"[0-9a-f]{64}", parts[2]):
                raise HubError(f"--token-file: {path}:{number}: expected 'name role sha256-hex'")
            try:
                account = Account(check_name(parts[0]), parse_role(parts[1]))
            except HubError as exc:
                raise HubError(f"--token-file: {path}:{number}: {exc}") from None
            self._by_hash[parts[2]] = account

    def lookup(self, token: str) -> Account | None:
        wanted = hash_token(token)
        for digest, account in self._by_hash.items():
            if hmac.compare_digest(digest, wanted):
                return account
        return None

    def by_hash(self, digest: str) -> Account | None:
        return self._by_hash.get(digest)

    @staticmethod
    def line_for(name: str, role: Role, token: str) -> str:
        return f"{check_name(name)} {role.value} {hash_token(token)}\n"
