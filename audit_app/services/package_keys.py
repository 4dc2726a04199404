"""The package passphrase: set by the chair per audit, given to members by another route.

Only a check value is kept (`AuditRecord.package_key_check`, `scrypt$n$r$p$salt$hash`),
never the passphrase, so a mistyped passphrase is caught before a package is made that no
member could open. A member's copy of the audit holds the chair's check (it travels inside
the package), so the member's package back is sealed with the same passphrase.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from audit_app.core.errors import UserError
from audit_app.db.models import AuditRecord
from audit_app.io.package_crypto import key_check_matches, make_key_check
from audit_app.services.audits import require_audit
from audit_app.services.change_log import log_change
from audit_app.services.database import Database, current_actor

MIN_PASSPHRASE_LENGTH = 10
WRONG_PASSPHRASE = "That is not this audit's package passphrase"
NOT_KEPT = "the passphrase itself is not kept"


def passphrase_problem(passphrase: str) -> str | None:
    """Why `passphrase` cannot be an audit's package passphrase, or None if it can."""
    if len(passphrase.strip()) < MIN_PASSPHRASE_LENGTH:
        return (f"A package passphrase needs at least {MIN_PASSPHRASE_LENGTH} characters; "
                "a short sentence is easy to say on the phone and hard to guess")
    return None


def has_package_passphrase(db: Database, *, audit_id: int) -> bool:
    """Whether the audit's package passphrase is set (else the next one given sets it)."""
    with db.reading() as session:
        return bool(require_audit(session, audit_id).package_key_check)


def set_package_passphrase(db: Database, *, audit_id: int, passphrase: str,
                           actor: str | None = None) -> bool:
    """Set or change the chair's passphrase for the audit's packages; True if it changed
    one already set. Packages already sent out still open with the passphrase they were
    made with."""
    problem = passphrase_problem(passphrase)
    if problem:
        raise UserError(problem)
    check = make_key_check(passphrase)  # slow on purpose: outside the transaction
    with db.transaction() as session:
        audit = require_audit(session, audit_id)
        if audit.origin:
            raise UserError("This is a member's copy of the audit: its package passphrase is "
                            "the one the chair set, and only the chair can change it")
        changed = bool(audit.package_key_check)
        _store(session, audit, check, actor=actor or current_actor(), changed=changed)
    return changed


def confirm_passphrase(session: Session, audit: AuditRecord, passphrase: str, *,
                       actor: str) -> str:
    """Inside an export: the audit's check, after making sure `passphrase` matches it.

    The first passphrase given for an audit becomes its passphrase (logged)."""
    if not audit.package_key_check:
        problem = passphrase_problem(passphrase)
        if problem:
            raise UserError(problem)
        _store(session, audit, make_key_check(passphrase), actor=actor, changed=False)
    elif not key_check_matches(audit.package_key_check, passphrase):
        raise UserError(WRONG_PASSPHRASE)
    return audit.package_key_check


def _store(session: Session, audit: AuditRecord, check: str, *, actor: str,
           changed: bool) -> None:
    audit.package_key_check = check
    log_change(session, actor=actor, audit_id=audit.id, entity="package", field="passphrase",
               new="changed" if changed else "set", detail=f"Package passphrase "
               f"{'changed' if changed else 'set'}; {NOT_KEPT}")
