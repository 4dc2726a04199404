"""A messy force extract: headings in the force's words, title rows, blank rows, Y/N flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit_app.core.errors import InvalidFileError
from audit_app.io.extract_synonyms import SYNONYMS_FILE, header_synonyms
from audit_app.services.audits import create_audit
from audit_app.services.database import Database
from audit_app.services.population_import import import_population, preview_extract
from audit_app.services.population_import_checks import check_extract, fields_in_use
from audit_app.services.sampling import draw_sample
from tests.helpers.extract_files import write_xlsx
from tests.helpers.extract_messy import (
    EXPECTED_MAPPING,
    MESSY_HEADERS,
    TITLE_ROWS,
    blank_rows_in,
    write_messy_extract,
)


def test_every_column_a_person_expects_is_mapped(tmp_path: Path) -> None:
    preview = preview_extract(write_messy_extract(tmp_path / "niche.xlsx", 30))
    assert preview.header_row == TITLE_ROWS + 1
    assert preview.suggested_mapping == EXPECTED_MAPPING
    left_over = [h for h in MESSY_HEADERS if h not in EXPECTED_MAPPING.values()]
    assert left_over == ["Crime Number", "Supervisor Comments", "MO Text", "Beat"]


def test_names_and_free_text_are_suggested_as_personal(tmp_path: Path) -> None:
    preview = preview_extract(write_messy_extract(tmp_path / "niche.xlsx", 30))
    assert preview.suggested_personal == ["Victim Surname", "Suspect Surname",
                                          "Supervisor Comments", "MO Text"]


def test_the_preview_numbers_rows_as_the_sheet_does_and_counts_only_cases(tmp_path: Path) -> None:
    preview = preview_extract(write_messy_extract(tmp_path / "niche.xlsx", 30))
    first = TITLE_ROWS + 2
    # The blank row after the seventh case pushes the eighth case down one row.
    assert preview.row_numbers[:8] == [first + n for n in range(7)] + [first + 8]
    assert preview.case_rows == 30
    assert preview.blank_rows == blank_rows_in(30) == 4


def test_the_check_reports_real_counts_and_how_values_were_read(tmp_path: Path) -> None:
    path = write_messy_extract(tmp_path / "niche.xlsx", 30)
    check = check_extract(path)
    assert (check.rows_read, check.blank_rows, check.valid_rows) == (30, 4, 30)
    assert check.problems == []
    assert ("N", "Never") in check.interpretations["victim_supports"]
    assert ("STANDARD", "Standard") in check.interpretations["risk_level"]
    assert ("Y", "Yes") in check.interpretations["da_flag"]
    assert any(text == "16 - Evidential difficulties" and read.startswith("16 – Evidential")
               for text, read in check.interpretations["outcome_code"])
    assert check.blank_counts["offence_description"] == 0
    assert check.blank_counts["court_outcome"] == 30  # not in the file: blank everywhere


def test_a_field_the_audit_uses_left_blank_is_found(tmp_path: Path) -> None:
    path = write_messy_extract(tmp_path / "niche.xlsx", 10)
    check = check_extract(path, mapping={"da_flag": ""})
    empty = check.empty_fields({"da_flag": "the framework's rules", "area": "the sample's strata"})
    assert [(e.label, e.blank_rows, e.rows) for e in empty] == [("Domestic abuse flag", 10, 10)]
    assert empty[0].in_words == ("Domestic abuse flag would be blank on every row. The "
                                 "framework's rules use it.")


def test_a_users_own_headings_extend_the_shipped_table(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "athena.xlsx", [["Investigation Ref", "Crime Classification Text"],
                                                 ["A/1", "Common assault"]])
    assert "offence_description" not in preview_extract(path).suggested_mapping
    mine = Path(tmp_path / "data")
    mine.mkdir()
    (mine / SYNONYMS_FILE).write_text(
        "fields:\n  offence_description:\n    - crime classification  text\n", encoding="utf-8")
    synonyms = header_synonyms(mine / SYNONYMS_FILE)
    assert synonyms.field_for("CRIME_CLASSIFICATION_TEXT") == "offence_description"
    assert synonyms.field_for("Occurrence No") == "reference", "the shipped headings stay"


def test_the_data_folder_file_is_used_by_the_import(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("AUDIT_APP_DATA_DIR", str(data))
    path = write_xlsx(tmp_path / "athena.xlsx", [["Investigation Ref", "Crime Class Text"],
                                                 ["A/1", "Common assault"]])
    data.mkdir(exist_ok=True)
    (data / SYNONYMS_FILE).write_text("fields:\n  offence_description: [Crime Class Text]\n",
                                      encoding="utf-8")
    assert preview_extract(path).suggested_mapping == {
        "reference": "Investigation Ref", "offence_description": "Crime Class Text"}


def test_a_mistake_in_the_users_file_is_told_plainly(tmp_path: Path) -> None:
    mine = tmp_path / SYNONYMS_FILE
    mine.write_text("fields:\n  offense:\n    - Crime Type Text\n", encoding="utf-8")
    with pytest.raises(InvalidFileError, match="names 'offense', which is not a case field"):
        header_synonyms(mine)
    mine.write_text("fields: [\n", encoding="utf-8")
    with pytest.raises(InvalidFileError, match="not readable as YAML"):
        header_synonyms(mine)


def test_the_fields_an_audit_relies_on_are_its_rules_and_strata(sqlite_db: Database,
                                                                 tmp_path: Path) -> None:
    audit = create_audit(sqlite_db, name="Q1", framework="da-nfa-review")
    used = fields_in_use(sqlite_db, audit_id=audit.id)
    assert used["elp_flag"] == used["victim_supports"] == "the framework's rules"
    assert "area" not in used
    import_population(sqlite_db, audit_id=audit.id,
                      path=write_messy_extract(tmp_path / "niche.xlsx", 40))
    draw_sample(sqlite_db, audit_id=audit.id, size=10, method="stratified",
                strata_fields=("area",), seed=3)
    assert fields_in_use(sqlite_db, audit_id=audit.id)["area"] == "the sample's strata"
