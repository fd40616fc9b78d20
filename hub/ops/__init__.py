"""What an operator runs the hub with: metrics and health on the feed's port, log formats, backups,
the audit chain's check (docs/operations.md)."""
