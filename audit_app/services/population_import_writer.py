"""The import's rules for merging with an earlier import: when removals need the user's
say-so, and what the change log records. The bulk writing is `db.case_writer`'s.

On a re-import a case is matched by its crime reference; cases missing from the new
extract get `removed=True` (never deleted: they may be in the sample, with reviews
hanging off them).
"""

from __future__ import annotations

from collections.abc import Set

from audit_app.core.errors import ConflictError
from audit_app.db.case_writer import CHUNK_ROWS, CaseStore, MergeCounts
from audit_app.services.change_log import log_change

__all__ = ["CHUNK_ROWS", "REMOVAL_SHARE_ALLOWED", "CaseWriter", "MergeCounts", "RemovalsNeedConsent"]

# Removing more than this share of the live population needs the user's say-so.
REMOVAL_SHARE_ALLOWED = 0.1


class RemovalsNeedConsent(ConflictError):
    """A re-import would remove sampled or scored cases, or more than a tenth of the population.

    Nothing was imported. The counts let a front ask the user, then run the import
    again with `allow_removals=True`.
    """

    def __init__(self, *, removing: int, population: int, sampled: int, scored: int) -> None:
        self.removing, self.population = removing, population
        self.sampled, self.scored = sampled, scored
        super().__init__(
            f"This extract would remove {removing:,} of {population:,} cases, {sampled:,} of them "
            f"sampled and {scored:,} scored, so nothing was imported. Check it is the right file; "
            "import it again allowing removals only if those cases have really gone.")


class CaseWriter(CaseStore):
    """The bulk writer, with the import's rules for cases that are no longer in the extract."""

    def check_removals(self, *, keep_references: Set[str]) -> None:
        """Raise `RemovalsNeedConsent` if this import would remove cases the audit relies on."""
        gone = {stored.id for stored in self.gone(keep_references)}
        if not gone:
            return
        population = self.live_population()
        sampled = len(gone & self.sampled_case_ids())
        scored = len(gone & self.scored_case_ids())
        if sampled or scored or len(gone) > REMOVAL_SHARE_ALLOWED * population:
            raise RemovalsNeedConsent(removing=len(gone), population=population,
                                      sampled=sampled, scored=scored)

    def finish(self, *, keep_references: Set[str], actor: str) -> MergeCounts:
        """Write what is pending and mark cases missing from the extract as removed.

        `keep_references` are cases on rows skipped for errors: they are still in the
        extract, so they are left as they were rather than marked removed.
        """
        gone = self.gone(keep_references)
        self.write_pending_and_remove(gone)
        for stored in gone:
            log_change(self._session, actor=actor, audit_id=self._audit_id, entity="case",
                       entity_id=stored.id, case_id=stored.id, field="removed", old=False, new=True,
                       detail="not in the newer extract")
        return MergeCounts(added=self.added, changed=self.changed, unchanged=self.unchanged,
                           removed=len(gone))
