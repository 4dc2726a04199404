"""The Findings page: headline figures, compliance per criterion, breakdowns, cases, learning."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from audit_app.core.clustered import PooledRate, settled_bounds
from audit_app.core.findings import Findings
from audit_app.core.findings_rates import file_pack_text
from audit_app.core.outcome_table import OutcomeTable
from audit_app.core.panel_record import FollowUpPeriods
from audit_app.core.thresholds import Thresholds
from audit_app.core.weighted import WeightedRate
from audit_app.core.wording import plural
from audit_app.services.database import Database
from audit_app.services.findings import compute_findings
from audit_app.services.follow_up import get_follow_up_periods
from audit_app.services.outcome_findings import outcome_table_for
from audit_app.ui.errors import report_error
from audit_app.ui.operations import Changes, CoalescingQuery, operation_signals
from audit_app.ui.pages.actions_panel import ActionsPanel
from audit_app.ui.pages.agreement_section import AgreementSection
from audit_app.ui.pages.checks_section import ChecksSection
from audit_app.ui.pages.comparison_panel import ComparisonPanel
from audit_app.ui.pages.compliance_chart import ChartRow, ComplianceChart
from audit_app.ui.pages.escalations_panel import EscalationsPanel
from audit_app.ui.pages.figure_cards import CardGrid, FigureCard
from audit_app.ui.pages.findings_columns import (
    BREAKDOWN_COLUMNS,
    CASE_COLUMNS,
    POPULATION_COLUMN,
    TEXT_COLUMNS,
    pooled_rate_text,
    span_text,
    unbroken,
)
from audit_app.ui.pages.outcome_section import OutcomeSection, breakdowns_tab
from audit_app.ui.pages.population_section import PopulationSection
from audit_app.ui.pages.rag_status import ThresholdsControl, criteria_columns
from audit_app.ui.pages.tables import sortable_table
from audit_app.ui.pages.themes_panel import ThemesPanel
from audit_app.ui.pages.verdict_card import VerdictCard, cases_verdict_text

SECTIONS_MINIMUM_HEIGHT = 220  # the tabs keep room for a few rows however short the screen


@dataclass(frozen=True)
class FindingsView:
    """What the page shows, read in one background call."""

    findings: Findings
    outcomes: OutcomeTable
    periods: FollowUpPeriods  # the Actions tab dates a new action's "due by" from these


def read_findings_view(db: Database, audit_id: int) -> FindingsView:
    findings = compute_findings(db, audit_id=audit_id)
    return FindingsView(findings, outcome_table_for(db, findings),
                        get_follow_up_periods(db, audit_id=audit_id))


class FindingsPage(QWidget):
    """Recomputed in the background each time it is shown, and while shown whenever `changed`
    says its audit's findings moved; nothing is cached between visits."""

    export_requested = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._audit_id: int | None = None
        self._sections_wanted = False  # a menu command asked for a tab: keep it in view
        self.findings: Findings | None = None
        self._query: CoalescingQuery[tuple[int, FindingsView]] = CoalescingQuery(
            self, self._arrived, self._failed)
        operation_signals().changed.connect(self._changed)

        title = QLabel("Findings")
        title.setObjectName("pageTitle")
        self.export_button = QPushButton("Export workbook…")
        self.export_button.setObjectName("primaryButton")
        self.export_button.setAccessibleName("Export workbook")
        self.export_button.clicked.connect(self.export_requested)
        self.thresholds = ThresholdsControl(db, lambda: self._audit_id, self)
        # "Green from 90% · Amber from 75% …" under the title, where it has the width.
        heading = QVBoxLayout()
        heading.setSpacing(0)
        heading.addWidget(title)
        heading.addWidget(self.thresholds.summary)
        self.thresholds.summary.setWordWrap(True)
        top = QHBoxLayout()
        top.addLayout(heading, 1)
        top.addWidget(self.thresholds)
        top.addWidget(self.export_button)

        self.cards = {key: FigureCard(caption) for key, caption in (
            ("overall", "overall compliance"), ("sampled", "cases in the sample"),
            ("reviewed", "cases reviewed"), ("complete", "cases complete"),
            ("awaiting", "answers awaiting moderation"), ("urgent", "urgent safeguarding"))}
        cards = CardGrid(list(self.cards.values()))

        # A purged audit: say when its case data went and that these are the kept findings.
        self.kept_notice = QLabel("")
        self.kept_notice.setObjectName("keptNotice")
        self.kept_notice.setWordWrap(True)
        self.kept_notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.urgent_banner = QLabel("")
        self.urgent_banner.setObjectName("urgentBanner")
        self.urgent_banner.setWordWrap(True)
        self.urgent_banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.chart = ComplianceChart()
        chart_scroll = QScrollArea()
        chart_scroll.setWidgetResizable(True)
        chart_scroll.setWidget(self.chart)
        chart_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.criteria_model, self.criteria_proxy, self.criteria_table = sortable_table(
            criteria_columns(lambda: self.findings.thresholds if self.findings else
                             Thresholds()), "Compliance per criterion", self, stretch_column=1)
        criteria_header = self.criteria_table.horizontalHeader()
        for column in range(2, 7):  # the answer counts need little room
            criteria_header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.criteria_table.setColumnWidth(column, 72)
        for column, width in ((9, 64), (10, 116), (11, 100)):  # status, awaiting and bounds
            criteria_header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.criteria_table.setColumnWidth(column, width)
        legend = QLabel("<span style='color:#2f6f8f'>&#9632;</span> Met &nbsp;&nbsp;"
                        "<span style='color:#9cc3d5'>&#9632;</span> Partly met &nbsp;&nbsp;"
                        "&#9500;&#9472;&#9508; 95% interval of the met rate &nbsp;&nbsp;"
                        "<span style='color:#8a6d1f'>amber figure</span>: small sample, read with care")
        legend.setObjectName("pageSubtitle")
        chart_tab = QWidget()
        chart_layout = QVBoxLayout(chart_tab)
        chart_layout.setContentsMargins(0, 6, 0, 0)
        chart_layout.addWidget(legend)
        chart_layout.addWidget(chart_scroll, 1)

        self.breakdown_model, _, self.breakdown_table = sortable_table(
            BREAKDOWN_COLUMNS, "Compliance by group", self, stretch_column=1)
        # Every column sized to its contents (the table scrolls sideways on a small screen).
        self.case_model, _, self.case_table = sortable_table(CASE_COLUMNS, "Cases", self)
        self.case_table.horizontalHeader().setStretchLastSection(True)
        self.text_model, _, self.text_table = sortable_table(
            TEXT_COLUMNS, "Learning points and good practice", self, stretch_column=3)
        self.text_table.setWordWrap(True)
        self.agreement_section = AgreementSection(self)
        self.agreement_model = self.agreement_section.model
        self.actions_panel = ActionsPanel(db, self)

        self.sections = QTabWidget()
        self.sections.setObjectName("findingsSections")
        self.sections.addTab(chart_tab, "Chart")
        self.sections.addTab(self.criteria_table, "Criteria")
        self.verdicts_label = QLabel("")
        self.verdicts_label.setObjectName("pageSubtitle")
        self.verdicts_label.setWordWrap(True)
        cases_tab = QWidget()
        cases_layout = QVBoxLayout(cases_tab)
        cases_layout.setContentsMargins(0, 6, 0, 0)
        cases_layout.addWidget(self.verdicts_label)
        self.withdrawal_label = QLabel("")  # when and why victims withdrew, as coded
        self.withdrawal_label.setObjectName("muted")
        self.withdrawal_label.setWordWrap(True)
        cases_layout.addWidget(self.withdrawal_label)
        cases_layout.addWidget(self.case_table, 1)
        self.sections.addTab(cases_tab, "Cases")
        self.by_outcome = OutcomeSection(db, self)  # under the groups: compliance by outcome
        self.sections.addTab(breakdowns_tab(self.breakdown_table, self.by_outcome), "Breakdowns")
        # Short tab names so every tab shows on a small laptop at 150% scaling.
        learning_tab = self.sections.addTab(self.text_table, "Learning")
        self.sections.setTabToolTip(learning_tab, "Learning points, good practice and feedback")
        self.sections.addTab(self.agreement_section, "Agreement")
        self.sections.addTab(self.actions_panel, "Actions")
        self.escalations_panel = EscalationsPanel(db, lambda: self._audit_id, self)
        self.sections.addTab(self.escalations_panel, "Escalations")
        self.themes_panel = ThemesPanel(db, lambda: self._audit_id, self)
        themes_tab = self.sections.addTab(self.themes_panel, "Themes")
        self.sections.setTabToolTip(themes_tab, "Learning themes and good practice to share")
        self.comparison_panel = ComparisonPanel(db, self)
        self.sections.addTab(self.comparison_panel, "Compare")
        self.checks_section = ChecksSection(self.sections)
        self.population = PopulationSection(db, lambda: self._audit_id, self.sections)

        # On a short screen (150% scaling) the page scrolls rather than squeezing the tabs.
        self.sections.setMinimumHeight(SECTIONS_MINIMUM_HEIGHT)
        body = QWidget()
        body.setObjectName("findingsBody")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        self.page_scroll = scroll
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(top)
        layout.addWidget(self.kept_notice)
        layout.addWidget(cards)
        self.verdict_card = VerdictCard(self)
        layout.addWidget(self.verdict_card)
        layout.addWidget(self.urgent_banner)
        # Data availability, apart from compliance: answers the file pack could not support.
        self.file_pack_line = QLabel("")
        self.file_pack_line.setWordWrap(True)
        layout.addWidget(self.file_pack_line)
        layout.addWidget(self.sections, 1)
        self.kept_notice.hide()
        self.file_pack_line.hide()
        self.urgent_banner.hide()

    def set_audit(self, audit_id: int | None) -> None:
        self._audit_id = audit_id
        self.findings = None
        self.comparison_panel.set_audit(audit_id)
        if self.isVisible():
            self.reload()
            for panel in (self.escalations_panel, self.themes_panel):  # hidden ones on show
                if panel.isVisible():
                    panel.reload()

    def showEvent(self, event: QShowEvent) -> None:
        # Each visit reads afresh: other laptops may have scored on a shared database.
        if not event.spontaneous() and self._audit_id is not None:
            self.reload()
        super().showEvent(event)

    def _changed(self, changes: Changes, _initiator: object) -> None:
        """Redraw now if shown; a hidden page reads afresh when it is next shown anyway."""
        if changes.findings and changes.concerns(self._audit_id) and self.isVisible():
            self.reload()

    def show_section(self, section: str) -> None:
        """Bring a tab to the front: "escalations", "actions" or "themes" (the View menu)."""
        self.sections.setCurrentWidget({"escalations": self.escalations_panel,
                                        "actions": self.actions_panel,
                                        "themes": self.themes_panel}[section])
        # On a short screen the page scrolls: the tab's contents come into view at the top,
        # now and again once the figures above it have arrived and been laid out.
        self._sections_wanted = True
        QTimer.singleShot(0, self.page_scroll, self._scroll_to_sections)

    def _scroll_to_sections(self) -> None:
        self.page_scroll.verticalScrollBar().setValue(self.sections.y())

    @property
    def computing(self) -> bool:
        """True while the figures are being worked out in the background."""
        return self._query.running

    def reload(self) -> None:
        """Work the findings out in the background; they show when they arrive."""
        if self._audit_id is None:
            return
        db, audit_id = self._db, self._audit_id
        self._query.request(lambda _control: (audit_id, read_findings_view(db, audit_id)))

    def _arrived(self, found: tuple[int, FindingsView]) -> None:
        audit_id, view = found
        if audit_id == self._audit_id:
            self.actions_panel.action_days = view.periods.action_days
            self.show_findings(view.findings, view.outcomes)
            if self._sections_wanted:
                self._sections_wanted = False
                QTimer.singleShot(0, self.page_scroll, self._scroll_to_sections)

    def _failed(self, error: BaseException) -> None:
        report_error(self, error)

    def _show_urgent(self, findings: Findings) -> None:
        urgent = findings.urgent_cases
        self.urgent_banner.setVisible(bool(urgent))
        if urgent:
            self.urgent_banner.setText(
                "Urgent safeguarding raised on " + ", ".join(c.reference for c in urgent)
                + ". Pass these to the force's safeguarding lead today.")

    def _show_withdrawals(self, findings: Findings) -> None:
        coded = findings.withdrawals.summary() if findings.withdrawals else []
        self.withdrawal_label.setText("\n".join(line.strip() for line in coded))
        self.withdrawal_label.setVisible(bool(coded))

    def show_findings(self, findings: Findings, outcomes: OutcomeTable | None = None) -> None:
        """Fill every section; `outcomes` comes with the background read (tests may omit it)."""
        self.findings = findings
        deleted = findings.case_data_deleted
        self.kept_notice.setVisible(deleted is not None)
        self.kept_notice.setText(deleted.notice if deleted is not None else "")
        head = findings.headline
        pooled = head.pooled
        estimate = head.population
        status = findings.thresholds.status(head.overall.rate)
        weighted = estimate is not None and estimate.rate is not None
        self.cards["overall"].show_figure(pooled_rate_text(pooled) + (
            f" {status}" if status else ""), _overall_caption(
            pooled, "overall, sample (unweighted)" if weighted
            else "overall compliance") + (f"; population estimate (weighted) {estimate.rate:.0%}"
                                          if estimate is not None and estimate.rate is not None
                                          else ""))
        self.cards["overall"].setToolTip(_weighted_tooltip(head.population, head.weighting))
        self.cards["sampled"].show_figure(str(head.cases_sampled))
        self.cards["reviewed"].show_figure(str(head.cases_reviewed))
        self.cards["complete"].show_figure(str(head.cases_complete))
        self.cards["awaiting"].show_figure(
            str(head.awaiting_moderation), "answers awaiting moderation" + (
                f"; overall {settled_text(pooled.met, pooled.scored, pooled.awaiting)}"
                " if settled either way" if pooled.awaiting else ""))
        self.cards["urgent"].show_figure(str(head.urgent_safeguarding))
        self.verdict_card.show_verdicts(findings)
        # Kept findings of a purged audit are history, not something to act on today.
        self.cards["urgent"].setProperty("alert", head.urgent_safeguarding > 0 and not deleted)
        self.cards["urgent"].style().polish(self.cards["urgent"])
        self._show_urgent(findings)
        self.file_pack_line.setVisible(head.overall.not_in_file > 0)
        self.file_pack_line.setText(f"Data availability: {file_pack_text(head.overall)} "
                                    f"({head.overall.not_in_file} not in the file pack).")
        self.chart.set_rows([
            ChartRow(c.code, c.question, c.compliance.rate, c.compliance.partly_rate,
                     c.compliance.interval, c.compliance.denominator, c.compliance.small_sample,
                     findings.thresholds.status(c.compliance.rate)) for c in findings.criteria])
        self.thresholds.show_thresholds(findings.thresholds)
        self.by_outcome.show_findings(findings, outcomes)
        self.criteria_model.set_rows(findings.criteria)
        self.breakdown_model.set_rows(findings.breakdowns)
        self.case_model.set_rows(findings.cases)
        self.breakdown_table.setColumnHidden(POPULATION_COLUMN, not any(
            b.population is not None for b in findings.breakdowns))
        self.verdicts_label.setText(cases_verdict_text(findings) + (
            ". The list of cases was deleted with the case data." if deleted
               else ". Urgent safeguarding cases are listed first."))
        self._show_withdrawals(findings)
        self.text_model.set_rows([("Learning point", e) for e in findings.learning_points]
                                 + [("Good practice", e) for e in findings.good_practice])
        self.agreement_section.show_agreement(findings)
        self.checks_section.show_checks(findings)
        self.actions_panel.set_actions(self._audit_id, findings.actions,
                                       editable=deleted is None)


def _overall_caption(pooled: PooledRate, what: str = "overall compliance") -> str:
    """'overall compliance, 95% interval 47%–71% (12 cases scored, case as the unit)':
    the interval held on one line however narrow the card."""
    if pooled.cases is None:  # findings kept before case-level intervals were recorded
        return f"{what} (case-level interval not kept)"
    if pooled.rate is None:
        return what
    cases = f"{plural(pooled.cases, 'case')} scored"
    if pooled.interval is None:
        return f"{what} ({cases}: no interval)"
    interval = unbroken(f"95% interval {span_text(*pooled.interval)}")
    return f"{what}, {interval} ({cases}, case as the unit)"


def settled_text(met: int, scored: int, awaiting: int) -> str:
    """'42%–50%', on one line: the rate if every answer awaiting moderation went one way or
    the other."""
    bounds = settled_bounds(met, scored, awaiting)
    return "—" if bounds is None else span_text(*bounds)


def _weighted_tooltip(estimate: WeightedRate | None, note: str) -> str:
    """The population estimate where weights apply, and whether figures are weighted."""
    if estimate is None or estimate.rate is None:
        return note
    interval = f" (95% interval {span_text(*estimate.interval)})" if estimate.interval else ""
    return f"Population estimate (weighted): {estimate.rate:.0%}{interval}. {note}"
