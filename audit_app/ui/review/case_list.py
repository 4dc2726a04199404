"""The sampled cases down the left of the review screen, with this reviewer's progress."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QListView, QStyle, QVBoxLayout, QWidget

from audit_app.core.answers import ReviewStatus
from audit_app.core.wording import plural
from audit_app.services.sampling import SampleRow
from audit_app.services.scoring import MEMBER, ProgressRow
from audit_app.ui.review.style import STATUS_COLOURS, scaled_font

ModelIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class CaseEntry:
    case_id: int
    position: int
    reference: str
    outcome_code: int | None
    status: ReviewStatus          # the current reviewer's review of this case
    members_complete: int         # how many members have completed it (names stay blind)
    urgent: bool


def case_entries(sample: list[SampleRow], progress: list[ProgressRow], *,
                 reviewer: str) -> list[CaseEntry]:
    """The list's rows: cases still in the sample, this reviewer's status, members done."""
    mine = {p.case_id: p for p in progress if p.kind == MEMBER and p.reviewer == reviewer}
    done: dict[int, int] = {}
    for p in progress:
        if p.kind == MEMBER and p.status is ReviewStatus.COMPLETE:
            done[p.case_id] = done.get(p.case_id, 0) + 1
    return [CaseEntry(
        row.case.id, row.position, row.case.reference, row.case.fields.get("outcome_code"),
        mine[row.case.id].status if row.case.id in mine else ReviewStatus.NOT_STARTED,
        done.get(row.case.id, 0), row.case.id in mine and mine[row.case.id].urgent)
        for row in sample if row.status != "replaced"]


def status_icon(status: ReviewStatus) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(STATUS_COLOURS[status])
    painter.setPen(colour)
    painter.setBrush(colour if status is not ReviewStatus.NOT_STARTED else QColor(0, 0, 0, 0))
    painter.drawEllipse(1, 1, 10, 10)
    painter.end()
    return QIcon(pixmap)


class CaseListModel(QAbstractListModel):
    """One row per sampled case; `update_status` changes a single row in place."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[CaseEntry] = []
        self._icons = {status: status_icon(status) for status in ReviewStatus}

    def set_entries(self, entries: list[CaseEntry]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        entry = self.entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            outcome = f"Outcome {entry.outcome_code}" if entry.outcome_code is not None else ""
            flag = "  ⚑ urgent" if entry.urgent else ""
            return (f"{entry.position}. {entry.reference}{flag}\n"
                    f"{entry.status.label}" + (f" · {outcome}" if outcome else ""))
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icons[entry.status]
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return (f"Case {entry.reference}: {entry.status.label} for you; "
                    f"{plural(entry.members_complete, 'member')} complete"
                    + ("; urgent safeguarding flagged" if entry.urgent else ""))
        if role == Qt.ItemDataRole.UserRole:
            return entry.case_id
        return None

    def row_of(self, case_id: int) -> int:
        for row, entry in enumerate(self.entries):
            if entry.case_id == case_id:
                return row
        return -1

    def update_entry(self, case_id: int, *, status: ReviewStatus | None = None,
                     urgent: bool | None = None, members_complete: int | None = None) -> None:
        row = self.row_of(case_id)
        if row < 0:
            return
        entry = self.entries[row]
        self.entries[row] = replace(
            entry, status=status if status is not None else entry.status,
            urgent=urgent if urgent is not None else entry.urgent,
            members_complete=(members_complete if members_complete is not None
                              else entry.members_complete))
        index = self.index(row, 0)
        self.dataChanged.emit(index, index)


TYPICAL_ITEM = "40. DEMO/01271/25"  # a position and a crime reference of a usual length


class CaseListPane(QWidget):
    """Title, who is scoring, and the list; emits the case id the reviewer moves to."""

    case_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 6, 12)
        title = QLabel("Cases in the sample")
        title.setFont(scaled_font(self, 1.15, bold=True))
        self.reviewer_label = QLabel()
        self.reviewer_label.setObjectName("muted")
        self.model = CaseListModel()
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setAccessibleName("Cases in the sample")
        self.view.setUniformItemSizes(True)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        # Wide enough to read a whole reference ("12. DEMO/01271/25") beside its status dot,
        # however narrow the splitter leaves the pane (150% scaling, high contrast).
        scroll_bar = self.view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        self.view.setMinimumWidth(self.view.fontMetrics().horizontalAdvance(TYPICAL_ITEM)
                                  + self.view.iconSize().width() + scroll_bar + 40)
        layout.addWidget(title)
        layout.addWidget(self.reviewer_label)
        layout.addWidget(self.view, 1)

    def _current_changed(self, index: QModelIndex, _previous: QModelIndex) -> None:
        case_id = index.data(Qt.ItemDataRole.UserRole)
        if isinstance(case_id, int):
            self.case_chosen.emit(case_id)
