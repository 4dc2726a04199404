"""The Findings page's Population tab: the picture of every imported case, each figure with n.

It adds itself as a tab of the page's sections and reads the picture in the background
(`ui.tasks`) each time the tab is shown, so a million-case audit never holds up the page
and a re-import is never shown stale.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from audit_app.core.errors import Cancelled
from audit_app.core.population_picture import (
    CALENDAR_DAYS_LIMIT,
    NOT_IN_EXTRACT,
    WORKING_DAYS_LIMIT,
    PopulationPicture,
)
from audit_app.services.database import Database
from audit_app.services.population_picture import get_population_picture
from audit_app.ui.errors import report_error
from audit_app.ui.models.row_table import Column
from audit_app.ui.pages.tables import sortable_table
from audit_app.ui.tasks import BackgroundTask, start_task

TAB_TITLE = "Population"
REFERENCES_SHOWN = 500  # per list; a list may hold most of a million cases
DELAY_NOTE = ("Days to tell the victim run from the date finalised to the NFA notification "
              "date. Working days are Monday to Friday after the day of finalisation.")


@dataclass(frozen=True)
class FigureRow:
    part: str
    item: str
    count: int | float | None
    n: int | None
    share: float | None = None
    interval: tuple[float, float] | None = None
    note: str = ""


@dataclass(frozen=True)
class ExceptionRow:
    listing: str
    reference: str


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _number(value: int | float | None) -> str:
    return "—" if value is None else f"{value:g}"


FIGURE_COLUMNS: list[Column[FigureRow]] = [
    Column("Figure", lambda r: r.item if r.part in ("Outcome mix", "Rate")
           else f"{r.part}: {r.item}"),
    Column("Count", lambda r: _number(r.count), lambda r: r.count or 0, True),
    Column("n", lambda r: _number(r.n), lambda r: r.n or 0, True,
           "Cases the figure rests on (with the field recorded)"),
    Column("Share", lambda r: _percent(r.share), lambda r: r.share or 0.0, True),
    Column("95% interval", lambda r: "—" if r.interval is None
           else f"{r.interval[0]:.0%} – {r.interval[1]:.0%}"),
    Column("Note", lambda r: r.note),
]
EXCEPTION_COLUMNS: list[Column[ExceptionRow]] = [
    Column("Exception", lambda r: r.listing),
    Column("Crime reference", lambda r: r.reference),
]


def figure_rows(picture: PopulationPicture) -> list[FigureRow]:
    """The figures as the table shows them, in reading order."""
    total = picture.cases
    sixteen = picture.outcome_16
    rows = [FigureRow("Outcome 16", sixteen.label, sixteen.count, total,
                      sixteen.share if total else None)]
    rows += [FigureRow("Outcome mix", o.label, o.count, total, o.share) for o in picture.outcomes]
    for rate in picture.rates:
        rows.append(FigureRow("Rate", f"{rate.label} (among {rate.among} recorded)",
                              rate.count, rate.n, rate.rate, rate.interval)
                    if rate.in_extract else FigureRow("Rate", rate.label, None, None,
                                                      note=NOT_IN_EXTRACT))
    delay = picture.delay
    part = "Days to tell the victim"
    if not delay.in_extract:
        rows.append(FigureRow(part, "Date finalised to notification", None, None,
                              note=NOT_IN_EXTRACT))
    else:
        rows += [FigureRow(part, "Median days", delay.median, delay.n,
                           note="cases with both dates"),
                 FigureRow(part, "Quartiles (days)", None, delay.n,
                           note=f"{_number(delay.lower_quartile)} to "
                                f"{_number(delay.upper_quartile)}"),
                 FigureRow(part, f"Over {WORKING_DAYS_LIMIT} working days",
                           delay.over_working_days, delay.n,
                           delay.over_working_days / delay.n if delay.n else None,
                           note="Mon–Fri; bank holidays not taken out"),
                 FigureRow(part, f"Over {CALENDAR_DAYS_LIMIT} days", delay.over_calendar_days,
                           delay.n, delay.over_calendar_days / delay.n if delay.n else None)]
    for listing in picture.exceptions:
        rows.append(FigureRow("Exceptions", listing.title, listing.count, total)
                    if listing.in_extract else FigureRow("Exceptions", listing.title, None, None,
                                                         note=NOT_IN_EXTRACT))
    return rows


def exception_rows(picture: PopulationPicture) -> list[ExceptionRow]:
    """Each list's references, at most REFERENCES_SHOWN of them (the workbook has them all)."""
    rows = []
    for listing in picture.exceptions:
        rows += [ExceptionRow(listing.title, reference)
                 for reference in listing.references[:REFERENCES_SHOWN]]
        hidden = len(listing.references) - REFERENCES_SHOWN
        if hidden > 0:
            rows.append(ExceptionRow(listing.title, f"and {hidden} more: see the workbook's "
                                                    "Population sheet"))
    return rows


class PopulationSection(QWidget):
    """Adds itself to `sections` as the Population tab; `audit_id()` says which audit."""

    shown_picture = Signal(object)  # the PopulationPicture now on screen

    def __init__(self, db: Database, audit_id: Callable[[], int | None],
                 sections: QTabWidget) -> None:
        super().__init__(sections)
        self._db = db
        self._audit_id = audit_id
        self._task: BackgroundTask | None = None
        self._round = 0
        self.picture: PopulationPicture | None = None
        self.summary = QLabel("")
        self.summary.setObjectName("pageSubtitle")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.figure_model, _, self.figure_table = sortable_table(
            FIGURE_COLUMNS, "Population figures", self, stretch_column=0)
        self.figure_table.setToolTip(DELAY_NOTE)
        header = self.figure_table.horizontalHeader()
        for column, width in ((5, 140),):  # long parts and notes elide, no side scroll
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.figure_table.setColumnWidth(column, width)
        self.exception_model, _, self.exception_table = sortable_table(
            EXCEPTION_COLUMNS, "Exception cases", self, stretch_column=0)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.figure_table)
        split.addWidget(self.exception_table)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        sections.addTab(self, TAB_TITLE)

    def showEvent(self, event: object) -> None:
        self.reload()
        super().showEvent(event)  # type: ignore[arg-type]

    def reload(self) -> None:
        """Read the picture again; a newer read stops an older one."""
        audit_id = self._audit_id()
        if self._task is not None:
            self._task.cancel()
            self._task = None
        if audit_id is None:
            return
        self._round += 1
        this_round = self._round
        self.summary.setText("Reading the imported cases…")
        self._task = start_task(
            lambda progress, cancelled: (this_round, get_population_picture(
                self._db, audit_id=audit_id, progress=progress, cancelled=cancelled)),
            on_finished=self._finished, on_failed=self._failed)

    def _finished(self, result: object) -> None:
        assert isinstance(result, tuple)
        this_round, picture = result
        if this_round != self._round:
            return
        self._task = None
        self.show_picture(picture)

    def _failed(self, error: object) -> None:
        if isinstance(error, Cancelled):
            return  # a newer read took its place
        self._task = None
        self.summary.setText("The population could not be read.")
        assert isinstance(error, BaseException)
        report_error(self, error)

    def show_picture(self, picture: PopulationPicture) -> None:
        self.picture = picture
        deleted = picture.case_data_deleted
        if deleted is not None:
            self.summary.setText(deleted + " There is no population to describe.")
        elif not picture.cases:
            self.summary.setText("No cases have been imported yet.")
        else:
            self.summary.setText(
                f"All {picture.cases} imported cases, not only the sample. n is the cases "
                "a figure rests on: blanks are left out, not counted as 'no'.")
        self.figure_model.set_rows([] if deleted or not picture.cases
                                   else figure_rows(picture))
        self.exception_model.set_rows(exception_rows(picture))
        self.shown_picture.emit(picture)
