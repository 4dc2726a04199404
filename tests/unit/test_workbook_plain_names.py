"""Every cell of the findings workbook reads in plain words: no snake_case identifier, no
OS account name and no framework key ("da-nfa-review v3"), in the internal copy and the
partner copy of a demo audit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from audit_app.services.actions import add_action
from audit_app.services.database import Database, name_actor, open_database
from audit_app.services.demo import REVIEWERS, create_demo
from audit_app.services.export import export_workbook
from audit_app.services.frameworks import list_frameworks
from audit_app.services.sampling import draw_sample
from tests.helpers.audits import partner_export
from tests.helpers.visible_text import Text, internal_names, os_account_names

ACCOUNT = "quillfeatherz"  # a login name nothing else could write


@pytest.fixture
def accounts(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    names = os_account_names() | {ACCOUNT}
    for key in ("USER", "LOGNAME", "USERNAME"):
        monkeypatch.setenv(key, ACCOUNT)
    monkeypatch.delenv("AUDIT_APP_USER", raising=False)
    return names


@pytest.fixture
def demo_db(accounts: set[str], tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "demo.sqlite3")
    try:
        yield database
    finally:
        database.close()


def cells(path: Path) -> list[Text]:
    book = load_workbook(path)
    return [Text(f"{sheet.title}!{cell.coordinate}", str(cell.value))
            for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
            if cell.value is not None]


def test_every_cell_reads_in_plain_words(demo_db: Database, accounts: set[str],
                                         tmp_path: Path) -> None:
    earlier = create_demo(demo_db, seed=5, population=200, sample_size=12)
    audit = create_demo(demo_db, seed=7, population=300, sample_size=20)
    # A draw with a scope, an always-include rule and equal allocation, as a chair might set.
    draw_sample(demo_db, audit_id=audit.id, size=20, method="stratified",
                strata_fields=["risk_level", "outcome_code"], allocation="equal",
                where="outcome_code in (14, 15, 16) and da_flag == true",
                include_always="risk_level == 'high' and area == 'North'", seed=11)
    add_action(demo_db, audit_id=audit.id, description="Remind supervisors of the ELP checklist",
               owner="DI Training", criterion_code="")
    name_actor(REVIEWERS[0][0])  # as the app does when "Reviewing as…" is chosen
    internal = tmp_path / "internal.xlsx"
    export_workbook(demo_db, audit_id=audit.id, path=internal, compare_with=earlier.id)
    partner = tmp_path / "partner.xlsx"
    partner_export(demo_db, audit.id, partner, pseudonymise=True)
    keys = {summary.key for summary in list_frameworks(demo_db)}
    problems = internal_names(cells(internal) + cells(partner), accounts, keys)
    assert problems == [], "\n".join(problems)
    assert summary(internal)["Exported by"] == REVIEWERS[0][0]
    # Members are not named to partners: by their number, or (no longer in the sample) by role.
    assert summary(partner)["Exported by"] in ("Member 1", "Member 2", "A panel member")
    assert summary(internal)["Framework"] == "Domestic abuse NFA decision review, version 3"


def summary(path: Path) -> dict[object, object]:
    return {row[0]: row[1] for row in load_workbook(path)["Summary"].iter_rows(values_only=True)}
