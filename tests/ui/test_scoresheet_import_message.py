"""The app's message after a scoresheet import warns of answers missing from the sheet."""

from __future__ import annotations

from pathlib import Path

from audit_app.services.scoresheet import ScoresheetImportResult
from audit_app.ui.exports import describe_scoresheet_import


def test_the_result_message_counts_missing_answers() -> None:
    result = ScoresheetImportResult(Path("/sheets/ann.xlsx"), 1, "Ann Reviewer", 3, 5, 1,
                                    missing_answers=100)
    text = describe_scoresheet_import(result)
    assert text.startswith("Scores from Ann Reviewer in ann.xlsx: 5 answers")
    assert ("Warning: 100 answers were missing from the scoresheet and were left as they were."
            in text)
    whole = ScoresheetImportResult(Path("ann.xlsx"), 1, "Ann Reviewer", 3, 5, 1)
    assert "Warning" not in describe_scoresheet_import(whole)
