"""Alembic environment: the engine is handed in by `audit_app.db.migrate`."""

from __future__ import annotations

from alembic import context

from audit_app.db import models  # noqa: F401  (registers the tables)
from audit_app.db.base import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # running the alembic command line by hand
    from audit_app.db.engine import make_engine, resolve_database_url

    engine = make_engine(resolve_database_url(config.get_main_option("sqlalchemy.url") or None))

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
