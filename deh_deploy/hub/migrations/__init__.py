"""Alembic migrations of the hub service's schema (run by ``deh hub migrate`` and at serve start-up)."""
