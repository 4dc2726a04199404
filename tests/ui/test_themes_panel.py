"""The Themes tab on the Findings page, on the demo with last quarter's audit: the counts
per theme are the service's, last quarter's learning beside them, the good practice to
share filtered by theme and copied; a new tag shows at the next read."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from audit_app.core.answers import ReviewKind
from audit_app.core.panel_record import TagKind
from audit_app.io.theme_files import user_themes_path
from audit_app.services import themes
from audit_app.services.database import Database, open_database
from audit_app.services.demo import create_demo
from audit_app.services.records import AuditSummary
from audit_app.services.theme_taxonomy import add_theme
from audit_app.ui.operations import ChangeOp, Changes
from audit_app.ui.pages.themes_panel import ALL_THEMES, NO_THEME, ThemesPanel, change_text
from audit_app.ui.review.theme_picker import ThemePicker
from tests.helpers.accessibility import naming_problems
from tests.helpers.findings_page import shown_page
from tests.helpers.visible_text import internal_names, visible_texts


@pytest.fixture(scope="module")
def _history_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("history") / "demo.sqlite3"
    database = open_database(path)
    try:
        audit = create_demo(database, population=300, sample_size=12, with_history=True)
    finally:
        database.close()
    return path, audit.id


@pytest.fixture
def history(_history_template: tuple[Path, int], tmp_path: Path
            ) -> Iterator[tuple[Database, int]]:
    """This quarter's demo audit (its id) and last quarter's, in a copy of the file."""
    template, audit_id = _history_template
    shutil.copyfile(template, tmp_path / "demo.sqlite3")
    database = open_database(tmp_path / "demo.sqlite3")
    try:
        yield database, audit_id
    finally:
        QApplication.processEvents()
        database.close()


def _cells(panel: ThemesPanel, column: str, good: bool = False) -> list[str]:
    model = panel.good_model if good else panel.count_model
    proxy = panel.good_proxy if good else panel.count_proxy
    titles = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    index = titles.index(column)
    return [proxy.data(proxy.index(row, index)) for row in range(proxy.rowCount())]


def _tab(qtbot: QtBot, db: Database, audit_id: int) -> ThemesPanel:
    page = shown_page(qtbot, db, audit_id)
    page.show_section("themes")
    panel = page.themes_panel
    assert page.sections.currentWidget() is panel
    qtbot.waitUntil(lambda: panel.shown is not None and not panel.reading, timeout=20_000)
    return panel


def test_the_tab_shows_the_services_counts_and_last_quarter(
        qtbot: QtBot, history: tuple[Database, int]) -> None:
    db, audit_id = history
    panel = _tab(qtbot, db, audit_id)
    counts = themes.theme_counts(db, audit_id=audit_id)
    names, trend = themes.theme_trend(db, audit_id=audit_id)
    assert len(names) == 2 and any(count.total for count in counts)
    last_quarter = names[0]
    assert _cells(panel, "Theme") == [count.name for count in counts]
    assert _cells(panel, "Learning") == [str(count.learning) for count in counts]
    assert _cells(panel, "Good practice") == [str(c.good_practice) for c in counts]
    assert _cells(panel, "Last audit") == [str(t.per_audit[0]) for t in trend]
    assert _cells(panel, "Change") == [
        change_text(t.per_audit[1] - t.per_audit[0]) for t in trend]
    assert "tagged in this audit" in panel.summary.text()
    assert panel.summary.text().endswith(f"(last: {last_quarter}).")
    header = panel.count_model.headerData(3, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert header == f"Cases with learning on the theme in {last_quarter}"

    shared = themes.good_practice_to_share(db, audit_id=audit_id)
    assert _cells(panel, "Case", good=True) == [e.case_reference for e in shared]
    assert _cells(panel, "From", good=True) == [
        "Panel (agreed)" if e.review_kind == ReviewKind.CONSENSUS else e.reviewer
        for e in shared]
    assert panel.theme_filter.itemText(0) == ALL_THEMES
    assert naming_problems(panel, "Themes tab") == []
    assert internal_names(visible_texts(panel)) == []


def test_good_practice_is_filtered_by_theme_and_copied(
        qtbot: QtBot, history: tuple[Database, int]) -> None:
    db, audit_id = history
    panel = _tab(qtbot, db, audit_id)
    shared = themes.good_practice_to_share(db, audit_id=audit_id)
    theme = next(name for entry in shared for name in entry.themes)
    panel.choose_theme(theme)
    on_theme = [entry for entry in shared if theme in entry.themes]
    assert panel.shown_entries() == on_theme
    assert panel.good_hint.text().endswith(f" of good practice (of {len(shared)}).")
    text = panel.copy_good_practice()
    assert QApplication.clipboard().text() == text
    assert text.count("\n\n") == len(on_theme) - 1
    for entry in on_theme:
        assert f"Case {entry.case_reference} (" in text and entry.text.strip() in text
    panel.good_table.selectRow(0)
    only = panel.copy_good_practice()
    assert only.startswith(f"Case {on_theme[0].case_reference} (") and "\n\n" not in only
    panel.choose_theme(ALL_THEMES)
    assert panel.shown_entries() == list(shared)
    if any(not entry.themes for entry in shared):
        panel.choose_theme(NO_THEME)
        assert all(not entry.themes for entry in panel.shown_entries())


def test_a_new_tag_shows_at_the_next_read(qtbot: QtBot, history: tuple[Database, int]
                                          ) -> None:
    db, audit_id = history
    panel = _tab(qtbot, db, audit_id)
    before = dict(zip(_cells(panel, "Theme"), _cells(panel, "Learning"), strict=True))
    counts = {c.theme_key: c for c in themes.theme_counts(db, audit_id=audit_id)}
    untagged = next(key for key, count in counts.items() if count.learning == 0)
    shared = themes.good_practice_to_share(db, audit_id=audit_id)
    case = next(entry.case_reference for entry in shared
                if entry.review_kind == ReviewKind.CONSENSUS)

    def tag_it(_control: object) -> None:
        themes.tag(db, audit_id=audit_id, case_reference=case, theme_key=untagged,
                   kind=TagKind.LEARNING)

    ChangeOp(panel, tag_it, Changes(audit_id=audit_id)).run()  # as the theme picker saves
    name = counts[untagged].name
    qtbot.waitUntil(lambda: dict(zip(_cells(panel, "Theme"), _cells(panel, "Learning"),
                                     strict=True))[name] == "1", timeout=20_000)
    assert before[name] == "0"


def test_an_audit_with_nothing_tagged_says_where_to_tag(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary) -> None:
    panel = _tab(qtbot, scored_db, scored_audit.id)
    assert panel.summary.text().startswith("No learning or good practice has been tagged")
    assert "Change" not in [panel.count_model.headerData(
        i, Qt.Orientation.Horizontal) for i in range(panel.count_model.columnCount())]
    assert set(_cells(panel, "Learning")) == {"0"}


def test_another_audit_chosen_while_the_tab_shows_is_read(
        qtbot: QtBot, history: tuple[Database, int]) -> None:
    db, audit_id = history
    panel = _tab(qtbot, db, audit_id)
    page = panel.parentWidget()
    while page is not None and not hasattr(page, "set_audit"):
        page = page.parentWidget()
    assert page is not None
    earlier = audit_id - 1  # last quarter's: the first of its framework
    page.set_audit(earlier)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: panel.shown is not None and panel.shown.audit_id == earlier
                    and not panel.reading, timeout=20_000)
    counts = themes.theme_counts(db, audit_id=earlier)
    assert _cells(panel, "Learning") == [str(count.learning) for count in counts]
    assert panel.count_model.columnCount() == 3, "no earlier audit to set beside it"


def test_the_panel_adds_a_theme_of_its_own(qtbot: QtBot, history: tuple[Database, int],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Add theme… writes the panel's own theme (as `audit-app theme add`); the tab lists it
    and a case's theme picker offers it at the next case; a name in use is refused plainly
    and the dialog stays open to correct it."""
    db, audit_id = history
    panel = _tab(qtbot, db, audit_id)
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: said.append(box.text()) or 0)
    dialog = panel.add_theme()
    assert naming_problems(dialog, "Add a theme") == []
    assert internal_names(visible_texts(dialog)) == []
    assert not dialog.save_button.isEnabled(), "a theme needs a name"
    dialog.name.setText("risk  assessment")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: bool(said), timeout=10_000)
    assert len(said) == 1 and said[0].startswith("There is already a theme")
    assert dialog.isVisible() and dialog.added is None
    dialog.name.setText("Interpreters and language needs")
    dialog.description.setPlainText("An interpreter was used where one was needed.")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    assert dialog.added is not None and dialog.added.key == "interpreters-and-language-needs"
    qtbot.waitUntil(lambda: "Interpreters and language needs" in _cells(panel, "Theme"),
                    timeout=20_000)
    assert user_themes_path().is_file()
    assert "interpreters-and-language-needs" in {t.key for t in themes.list_themes()}

    first = themes.list_themes()[0].key
    picker = ThemePicker("learning points", themes.list_themes()[:3])
    qtbot.addWidget(picker)
    picker.show_keys([first])
    chosen: list[list[str]] = []
    picker.chosen.connect(chosen.append)
    picker.set_themes(themes.list_themes())  # as a case is opened: the new theme offered
    assert "interpreters-and-language-needs" in picker.actions_by_key
    assert chosen == [] and picker.keys() == [first], "the tick kept, nothing saved"
    picker.set_key("interpreters-and-language-needs", True)
    assert chosen[-1][-1] == "interpreters-and-language-needs"


def test_a_theme_this_laptop_does_not_know_reads_in_words(
        qtbot: QtBot, history: tuple[Database, int]) -> None:
    """A tag made on another laptop (a shared server, a merged package) names a theme this
    laptop's files lack: the tab names it in words from its short name, never the short
    name itself."""
    db, audit_id = history
    shipped = {theme.key for theme in themes.list_themes()}
    add_theme(name="Interpreters and language needs")
    case = next(entry.case_reference for entry in themes.good_practice_to_share(
        db, audit_id=audit_id) if entry.review_kind == ReviewKind.CONSENSUS)
    themes.tag(db, audit_id=audit_id, case_reference=case,
               theme_key="interpreters-and-language-needs", kind=TagKind.LEARNING)
    user_themes_path().unlink()  # as on a laptop that never added it
    assert {theme.key for theme in themes.list_themes()} == shipped
    panel = _tab(qtbot, db, audit_id)
    assert "Interpreters and language needs" in _cells(panel, "Theme")
    shown = visible_texts(panel)
    assert internal_names(shown) == []
    assert not any("interpreters-and-language-needs" in shown_text.text for shown_text in shown)
