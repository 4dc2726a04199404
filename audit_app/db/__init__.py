"""Persistence: SQLAlchemy 2 typed models, the engine and `Database` handle, Alembic
migrations, and one repository module per aggregate (audits, cases, frameworks, reviews,
change log, mapping profiles). No Qt; nothing here commits a use case's transaction."""
