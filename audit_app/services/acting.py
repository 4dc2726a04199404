"""Who a change is by when the caller names no one: the panel member chosen in the app's
"Reviewing as…", the command line's --as, or a plain label; never the computer's login
name, which a panel would not recognise (and is often "root" or a shared account).

Standard library only: the command line names who is acting before it knows whether the
command needs the database at all.
"""

from __future__ import annotations

import os

UNNAMED_MEMBER = "Unnamed panel member"
COMMAND_LINE = "Command line"
_named_actor = ""


def name_actor(name: str) -> None:
    """The person (or plain label) the changes made from now on are by, when a service is
    not told: the app calls this as "Reviewing as…" changes, the command line once."""
    global _named_actor
    _named_actor = " ".join(name.split())


def current_actor() -> str:
    """Who a change is by when the caller names no one, for the change log and records."""
    return _named_actor or " ".join(os.environ.get("AUDIT_APP_USER", "").split()) or UNNAMED_MEMBER
