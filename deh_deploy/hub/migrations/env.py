"""Alembic's environment: migrations always run on the connection ``deh_deploy.hub.db.migrate`` holds (under its
lock), never from an ``alembic.ini``."""

from __future__ import annotations

from alembic import context

from deh_deploy.hub.db import VERSION_TABLE
from deh_deploy.hub.tables import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=VERSION_TABLE,
    render_as_batch=connection.dialect.name == "sqlite",
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
