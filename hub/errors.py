"""Errors the hub reports to an operator as one clear line (no traceback)."""


class HubError(Exception):
    """A problem with the hub's setup: database URL, port, token file, data files."""
