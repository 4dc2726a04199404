"""`python -m audit_app` runs the same entry point as the `audit-app` command."""

from __future__ import annotations

import sys

from audit_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
