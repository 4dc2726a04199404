"""Persistence: SQLAlchemy 2 typed models, the engine and `Database` handle, Alembic
migrations, and one repository module per aggregate (audits, cases, frameworks, reviews,
change log, mapping profiles). No Qt. Repositories take the caller's session and never commit:
the service decides the unit of work."""
