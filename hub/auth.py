"""Accounts and tokens.

Tokens are 256-bit random strings, so a plain SHA-256 of them is enough to store (a slow
password hash protects guessable secrets; these are not guessable). Tokens live in the
`users` table, or in a token file for deployments that provision them from outside:
one account a line, `name role sha256-hex`, `#` starts a comment.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
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


def add_user(engine: Engine, name: str, role: Role, unit_id: str | None = None) -> str:
    """Create (or re-key) an account and return its new token, shown once."""
    check_name(name)
    token = new_token()
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(sa.delete(schema.users).where(schema.users.c.name == name))
        conn.execute(
            schema.users.insert().values(
                name=name, role=role.value, token_hash=hash_token(token), created_at=now, unit_id=unit_id
            )
        )
    return token


def revoke_user(engine: Engine, name: str) -> bool:
    with engine.begin() as conn:
        done = conn.execute(
            sa.update(schema.users)
            .where(schema.users.c.name == name, schema.users.c.revoked_at.is_(None))
            .values(revoked_at=datetime.now(UTC))
        )
    return bool(done.rowcount)


def list_users(engine: Engine) -> list[tuple[str, str, bool]]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(schema.users.c.name, schema.users.c.role, schema.users.c.revoked_at).order_by(
                schema.users.c.name
            )
        ).all()
    return [(r.name, r.role, r.revoked_at is not None) for r in rows]


def lookup(engine: Engine, token: str) -> Account | None:
    """The active account holding `token`, or None."""
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(schema.users.c.name, schema.users.c.role, schema.users.c.unit_id).where(
                schema.users.c.token_hash == hash_token(token), schema.users.c.revoked_at.is_(None)
            )
        ).first()
    return Account(row.name, Role(row.role), row.unit_id) if row else None


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

    @staticmethod
    def line_for(name: str, role: Role, token: str) -> str:
        return f"{check_name(name)} {role.value} {hash_token(token)}\n"
