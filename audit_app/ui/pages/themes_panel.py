"""The Themes tab: learning and good practice counted per theme in this audit, each theme's
learning in the earlier audits of the same framework beside it, and the good practice to
share (filtered by theme, copied for an email or a briefing).

Reads run in the background (a CoalescingQuery); it reads again whenever a change concerns
its audit and the tab is shown, as the Escalations tab does."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from audit_app.core.answers import ReviewKind
from audit_app.core.panel_record import GoodPracticeEntry, ThemeCount, ThemeTrend
from audit_app.core.wording import plural
from audit_app.services.database import Database
from audit_app.services.themes import good_practice_to_share, theme_counts, theme_trend
from audit_app.ui.models.row_table import ROW_ROLE, Column, RowTableModel
from audit_app.ui.pages.add_theme_dialog import AddThemeDialog
from audit_app.ui.pages.audit_reads import AuditReads
from audit_app.ui.pages.tables import sortable_table

NONE = "—"
TAB_TITLE = "Themes"
ALL_THEMES = "All themes"
NO_THEME = "No theme yet"
NOTHING_TAGGED = ("No learning or good practice has been tagged with a theme yet. Tag it in "
                  "each case's conclusion on the Review page (Themes… beside the learning "
                  "points and the good practice).")


@dataclass(frozen=True)
class ThemeRow:
    """One theme's counts: cases in this audit, and learning cases in each earlier audit."""

    theme_key: str
    name: str
    learning: int
    good_practice: int
    earlier: tuple[int, ...]  # learning cases in each earlier audit, oldest first

    @property
    def change(self) -> int | None:
        """Learning cases now less those in the audit before (None: no earlier audit)."""
        return self.learning - self.earlier[-1] if self.earlier else None


@dataclass(frozen=True)
class ThemesView:
    """What the tab shows, read in one go in the background."""

    audit_id: int
    earlier_audits: tuple[str, ...]  # the framework's audits before this one, oldest first
    rows: tuple[ThemeRow, ...]
    good_practice: tuple[GoodPracticeEntry, ...]

    @property
    def tagged(self) -> bool:
        return any(row.learning or row.good_practice for row in self.rows)


def theme_rows(counts: Sequence[ThemeCount], trends: Sequence[ThemeTrend]
               ) -> tuple[ThemeRow, ...]:
    """Counts and trends joined by theme; the trend's last audit is this one."""
    earlier = {trend.theme_key: trend.per_audit[:-1] for trend in trends}
    width = max((len(per) for per in earlier.values()), default=0)
    return tuple(ThemeRow(count.theme_key, count.name, count.learning, count.good_practice,
                          earlier.get(count.theme_key, (0,) * width)) for count in counts)


def read_themes_view(db: Database, audit_id: int) -> ThemesView:
    counts = theme_counts(db, audit_id=audit_id)
    names, trends = theme_trend(db, audit_id=audit_id)
    return ThemesView(audit_id, names[:-1], theme_rows(counts, trends),
                      good_practice_to_share(db, audit_id=audit_id))


def change_text(change: int | None) -> str:
    if change is None:
        return NONE
    return "no change" if change == 0 else f"up {change}" if change > 0 else f"down {-change}"


def earlier_title(audits_ago: int) -> str:
    """A short header (an audit's name may be long; its tooltip gives it)."""
    return "Last audit" if audits_ago == 1 else f"{audits_ago} audits ago"


def count_columns(earlier_audits: Sequence[str]) -> list[Column[ThemeRow]]:
    def learning_in(index: int) -> Column[ThemeRow]:
        name = earlier_audits[index]
        return Column(earlier_title(len(earlier_audits) - index), lambda r: str(r.earlier[index]),
                      lambda r: r.earlier[index], True,
                      tooltip=f"Cases with learning on the theme in {name}")

    columns: list[Column[ThemeRow]] = [
        Column("Theme", lambda r: r.name),
        Column("Learning", lambda r: str(r.learning), lambda r: r.learning, True,
               tooltip="Cases in this audit whose learning points carry the theme"),
        Column("Good practice", lambda r: str(r.good_practice), lambda r: r.good_practice,
               True, tooltip="Cases in this audit whose good practice carries the theme"),
    ]
    columns += [learning_in(index) for index in range(len(earlier_audits))]
    if earlier_audits:
        columns.append(Column("Change", lambda r: change_text(r.change),
                              lambda r: r.change or 0,
                              tooltip=f"Learning cases now, against {earlier_audits[-1]}"))
    return columns


def _from(entry: GoodPracticeEntry, panel: str = "Panel (agreed)") -> str:
    return panel if entry.review_kind == ReviewKind.CONSENSUS else entry.reviewer


GOOD_PRACTICE_COLUMNS: list[Column[GoodPracticeEntry]] = [
    Column("Case", lambda e: e.case_reference or NONE),
    Column("Themes", lambda e: "; ".join(e.themes) or NO_THEME),
    Column("Good practice", lambda e: " ".join(e.text.split())),
    Column("From", _from),
]


def shared_text(entries: Sequence[GoodPracticeEntry]) -> str:
    """The good practice as plain paragraphs to paste into an email or a briefing note."""
    return "\n\n".join(
        f"Case {entry.case_reference or NONE} ({'; '.join(entry.themes) or NO_THEME}; "
        f"from {_from(entry, 'the panel')}):\n{entry.text.strip()}" for entry in entries)


def _wrap_rows(table: QTableView) -> None:
    """Text wraps, and each row is as tall as its text."""
    table.setWordWrap(True)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)


def _titled_box(title: str, top: QHBoxLayout, table: QTableView) -> QGroupBox:
    """A titled box: a row of controls over a table that takes the height left."""
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.addLayout(top)
    layout.addWidget(table, 1)
    return box


class ThemesPanel(QWidget):
    """`audit_id()` says which audit the Findings page shows."""

    def __init__(self, db: Database, audit_id: Callable[[], int | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._audit_id = audit_id
        self.shown: ThemesView | None = None
        self._earlier_audits: tuple[str, ...] = ()  # the count table's columns are for these
        self._reads: AuditReads[ThemesView] = AuditReads(
            self, audit_id, lambda chosen: read_themes_view(db, chosen), self._arrived)
        self.count_model, self.count_proxy, self.count_table = sortable_table(
            count_columns(()), "Learning and good practice per theme", self, stretch_column=0)
        # A long theme name wraps on a small screen rather than being cut or pushing the
        # figures out of sight.
        _wrap_rows(self.count_table)
        self.summary = QLabel("Reading…")
        self.summary.setObjectName("pageSubtitle")
        self.summary.setWordWrap(True)
        self.add_button = QPushButton("&Add theme…")
        self.add_button.setAccessibleName("Add a theme of the panel's own")
        self.add_button.clicked.connect(self.add_theme)
        counts_top = QHBoxLayout()
        counts_top.addWidget(self.summary, 1)
        counts_top.addWidget(self.add_button)
        counts_box = _titled_box("Cases per theme", counts_top, self.count_table)

        self.good_model, self.good_proxy, self.good_table = sortable_table(
            GOOD_PRACTICE_COLUMNS, "Good practice to share", self, stretch_column=2)
        # The text is read whole: it wraps, each row as tall as its text.
        _wrap_rows(self.good_table)
        self.theme_filter = QComboBox()
        self.theme_filter.setAccessibleName("Show good practice on the theme")
        self.theme_filter.currentIndexChanged.connect(lambda _index: self._filter())
        filter_label = QLabel("&Show:")
        filter_label.setBuddy(self.theme_filter)
        self.good_hint = QLabel("")
        self.good_hint.setObjectName("muted")
        self.good_hint.setWordWrap(True)
        self.copy_button = QPushButton("&Copy")
        self.copy_button.setAccessibleName("Copy the good practice shown")
        self.copy_button.setToolTip("Copy the good practice shown (or the rows selected) to "
                                    "paste into an email or a briefing note")
        self.copy_button.clicked.connect(self.copy_good_practice)
        good_top = QHBoxLayout()
        good_top.addWidget(filter_label)
        good_top.addWidget(self.theme_filter)
        good_top.addWidget(self.good_hint, 1)
        good_top.addWidget(self.copy_button)
        good_box = _titled_box("Good practice to share", good_top, self.good_table)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(counts_box, 3)
        layout.addWidget(good_box, 2)
        self._fill_filter(())

    # --- reading ---------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        self._reads.shown(self.shown.audit_id if self.shown else None)
        super().showEvent(event)

    @property
    def reading(self) -> bool:
        return self._reads.running

    def reload(self) -> None:
        self._reads.reload()

    def _arrived(self, view: ThemesView) -> None:
        if view.audit_id != self._audit_id():
            return
        self.shown = view
        if view.earlier_audits != self._earlier_audits:
            self._new_count_model(view.earlier_audits)
        self.count_model.set_rows(view.rows)
        self.summary.setText(self._summary(view))
        self._fill_filter(view.good_practice)
        self._filter()

    def _new_count_model(self, earlier_audits: Sequence[str]) -> None:
        """The columns follow the framework's earlier audits: a model made for them."""
        old, self._earlier_audits = self.count_model, tuple(earlier_audits)
        self.count_model = RowTableModel(count_columns(earlier_audits), self)
        self.count_proxy.setSourceModel(self.count_model)
        old.deleteLater()

    @staticmethod
    def _summary(view: ThemesView) -> str:
        if not view.tagged:
            return NOTHING_TAGGED
        themed = [row for row in view.rows if row.learning or row.good_practice]
        text = (f"{plural(len(themed), 'theme')} tagged in this audit; each figure counts "
                "cases.")
        if view.earlier_audits:
            text += f" Learning in earlier audits beside it (last: {view.earlier_audits[-1]})."
        return text

    def add_theme(self) -> AddThemeDialog:
        """The panel's own theme; once saved, the tab reads again and lists it."""
        dialog = AddThemeDialog(self)
        dialog.open()
        return dialog

    # --- good practice ---------------------------------------------------------------
    def _fill_filter(self, entries: Sequence[GoodPracticeEntry]) -> None:
        """All themes, each theme any good practice carries, and "No theme yet"."""
        chosen = self.theme_filter.currentText()
        names = sorted({name for entry in entries for name in entry.themes})
        self.theme_filter.blockSignals(True)
        self.theme_filter.clear()
        self.theme_filter.addItem(ALL_THEMES, "")
        for name in names:
            self.theme_filter.addItem(name, name)
        if any(not entry.themes for entry in entries):
            self.theme_filter.addItem(NO_THEME, NO_THEME)
        self.theme_filter.setCurrentIndex(max(0, self.theme_filter.findText(chosen)))
        self.theme_filter.blockSignals(False)

    def choose_theme(self, name: str) -> None:
        """Show only the good practice on the theme named (ALL_THEMES for all)."""
        self.theme_filter.setCurrentIndex(max(0, self.theme_filter.findText(name)))

    def _filter(self) -> None:
        chosen = str(self.theme_filter.currentData() or "")
        everything = self.shown.good_practice if self.shown else ()
        matching = [entry for entry in everything if not chosen or (
            chosen in entry.themes if chosen != NO_THEME else not entry.themes)]
        self.good_model.set_rows(matching)
        self.good_hint.setText(
            "No good practice recorded in this audit yet." if not everything else
            f"{plural(len(matching), 'piece')} of good practice"
            + ("" if not chosen else f" (of {len(everything)})") + ".")
        self.copy_button.setEnabled(bool(matching))

    def shown_entries(self) -> list[GoodPracticeEntry]:
        """The good practice the table shows now, in its order."""
        return [self.good_proxy.data(self.good_proxy.index(row, 0), ROW_ROLE)
                for row in range(self.good_proxy.rowCount())]

    def copy_good_practice(self) -> str:
        """The rows selected (else every row shown), to the clipboard; returns the text."""
        selected = sorted(index.row() for index in self.good_table.selectionModel().selectedRows())
        entries = [self.good_proxy.data(self.good_proxy.index(row, 0), ROW_ROLE)
                   for row in selected]
        text = shared_text(entries or self.shown_entries())
        QApplication.clipboard().setText(text)
        return text
