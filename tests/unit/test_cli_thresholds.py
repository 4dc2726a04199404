"""`audit-app audit thresholds` and the thresholds and outcome table in `stats`, for real."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from audit_app.core.thresholds import Thresholds
from audit_app.services.database import open_database
from audit_app.services.findings import compute_findings
from audit_app.services.outcome_findings import outcome_table_for
from audit_app.services.thresholds import get_thresholds
from tests.helpers.audits import build_audit
from tests.helpers.cli import run_cli as cli
from tests.helpers.templates import build_sqlite, copy_sqlite


@pytest.fixture(scope="module")
def _built_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """Built once (speed only); each test gets its own copy of the database."""
    return build_sqlite(tmp_path_factory.mktemp("thresholds"), "audit.sqlite3",
                        lambda db: build_audit(db).audit_id)


@pytest.fixture
def built(_built_template: tuple[Path, int], tmp_path: Path) -> tuple[str, int]:
    template, audit_id = _built_template
    return str(copy_sqlite(template, tmp_path / "audit.sqlite3")), audit_id


def stored(path: str, audit_id: int) -> Thresholds:
    db = open_database(path)
    try:
        return get_thresholds(db, audit_id=audit_id)
    finally:
        db.close()


def test_show_then_set_thresholds(capsys: pytest.CaptureFixture[str],
                                  built: tuple[str, int]) -> None:
    path, audit_id = built
    code, out, err = cli(capsys, "--db", path, "audit", "thresholds", str(audit_id))
    assert code == 0, err
    assert out.strip() == (f"Audit {audit_id} thresholds are: Green from 90%, Amber from 75% "
                           "to under 90%, Red below 75%.")
    code, out, err = cli(capsys, "--db", path, "audit", "thresholds", str(audit_id),
                         "--green", "80", "--amber", "50")
    assert code == 0, err
    assert out.strip() == (f"Audit {audit_id} thresholds are now: Green from 80%, Amber from "
                           "50% to under 80%, Red below 50%.")
    assert stored(path, audit_id) == Thresholds(80, 50)
    code, out, _ = cli(capsys, "--db", path, "--json", "audit", "thresholds", str(audit_id))
    assert json.loads(out) == {"audit_id": audit_id, "green_from": 80, "amber_from": 50}


@pytest.mark.parametrize("arguments", [("--green", "70", "--amber", "75"), ("--amber", "90"),
                                       ("--green", "101"), ("--amber", "-5"),
                                       ("--green", "ninety")])
def test_bad_thresholds_one_line_exit_2_no_change(capsys: pytest.CaptureFixture[str],
                                                  built: tuple[str, int],
                                                  arguments: tuple[str, ...]) -> None:
    path, audit_id = built
    code, out, err = cli(capsys, "--db", path, "audit", "thresholds", str(audit_id), *arguments)
    assert code == 2 and out == ""
    assert err.strip().splitlines()[-1].startswith("audit-app")
    if "ninety" not in arguments:  # argparse's own usage error has its usage lines above
        assert len(err.strip().splitlines()) == 1
    assert stored(path, audit_id) == Thresholds()


def test_unknown_audit_is_one_line_exit_2(capsys: pytest.CaptureFixture[str],
                                          built: tuple[str, int]) -> None:
    path, _ = built
    code, _, err = cli(capsys, "--db", path, "audit", "thresholds", "999", "--green", "80")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "No audit with id 999" in err


def test_stats_states_thresholds_and_statuses(capsys: pytest.CaptureFixture[str],
                                              built: tuple[str, int]) -> None:
    path, audit_id = built
    cli(capsys, "--db", path, "audit", "thresholds", str(audit_id), "--green", "40",
        "--amber", "20")
    code, out, err = cli(capsys, "--db", path, "stats", "--audit", str(audit_id))
    assert code == 0, err
    db = open_database(path)
    try:
        findings = compute_findings(db, audit_id=audit_id)
        table = outcome_table_for(db, findings)
    finally:
        db.close()
    overall = Thresholds(40, 20).status(findings.headline.overall.rate)
    assert (f"Overall status: {overall} (panel's thresholds: Green from 40%, Amber from 20% "
            "to under 40%, Red below 20%)") in out
    assert "by outcome code" not in out  # the table is printed only when asked
    code, out, _ = cli(capsys, "--db", path, "stats", "--audit", str(audit_id), "--by-outcome")
    assert "Compliance (fully met) by outcome code" in out and "Outcome 16 (4 cases)" in out
    code, out, _ = cli(capsys, "--db", path, "--json", "stats", "--audit", str(audit_id))
    values = json.loads(out)
    assert values["thresholds"] == {"green_from": 40, "amber_from": 20}
    assert values["headline"]["status"] == overall
    assert values["by_outcome"] == json.loads(json.dumps(table.to_dict()))
    assert "population" in values
