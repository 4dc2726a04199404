"""The Findings page at a small laptop's size: figures that read plainly and never split."""

from __future__ import annotations

from PySide6.QtGui import QTextLayout, QTextOption
from pytestqt.qtbot import QtBot

from audit_app.services.database import Database
from audit_app.services.records import AuditSummary
from audit_app.ui.pages.agreement_section import pooled_reading
from audit_app.ui.pages.compliance_chart import (
    NO_ANSWERS_YET,
    ChartRow,
    ComplianceChart,
    figure_text,
)
from audit_app.ui.pages.findings_columns import span_text
from tests.helpers.findings_page import shown_page


def laid_out_lines(text: str, label_font: object, width: int) -> list[str]:
    """The lines a word-wrapped label breaks `text` into at `width` pixels."""
    layout = QTextLayout(text, label_font)  # type: ignore[arg-type]
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    layout.beginLayout()
    lines = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        lines.append(text[line.textStart():line.textStart() + line.textLength()])
    layout.endLayout()
    return lines


def test_the_overall_cards_interval_stays_on_one_line(qtbot: QtBot, scored_db: Database,
                                                      scored_audit: AuditSummary) -> None:
    page = shown_page(qtbot, scored_db, scored_audit)
    pooled = page.findings.headline.pooled if page.findings else None
    assert pooled is not None and pooled.interval is not None
    caption = page.cards["overall"].caption
    interval = span_text(*pooled.interval)
    assert interval in caption.text()
    for width in range(60, 400, 7):  # however narrow the card
        lines = laid_out_lines(caption.text(), caption.font(), width)
        assert not any(line.rstrip().endswith("\u2013") for line in lines)
        assert any(f"95%\u00a0interval\u00a0{interval}" in line for line in lines)


def test_cards_go_on_two_rows_when_the_page_is_narrow(qtbot: QtBot, scored_db: Database,
                                                      scored_audit: AuditSummary) -> None:
    page = shown_page(qtbot, scored_db, scored_audit)
    grid = page.cards["overall"].parentWidget()
    assert grid is not None
    assert grid.columns == 6  # type: ignore[attr-defined]
    page.resize(640, 480)
    qtbot.waitUntil(lambda: grid.columns == 3)  # type: ignore[attr-defined]
    # Once the new rows are laid out (a busy machine may take a few events): no figure cut.
    qtbot.waitUntil(lambda: all(card.value.width() >= card.value.sizeHint().width()
                                for card in page.cards.values()))


def test_a_partly_met_bar_is_labelled_as_partly_met() -> None:
    row = ChartRow("1.1", "Question", 0.0, 1.0, (0.0, 0.79), 1, True, "Red")
    assert figure_text(row) == "0% met + 100% partly (n=1)  Red"
    met = ChartRow("1.2", "Question", 0.5, None, (0.3, 0.7), 12, False)
    assert figure_text(met) == "50% met (n=12)"


def test_an_audit_with_no_answers_shows_one_plain_line(qtbot: QtBot, db: Database) -> None:
    from audit_app.services.audits import create_audit

    audit = create_audit(db, name="Q1 review", framework="da-nfa-review")
    page = shown_page(qtbot, db, audit)
    chart = page.chart
    assert chart.empty and len(chart.rows) > 20
    assert chart.accessibleDescription() == NO_ANSWERS_YET
    assert chart.height() < 3 * chart.fontMetrics().height() + 20  # one line, not 35 rows


def test_an_empty_chart_and_a_full_one(qtbot: QtBot) -> None:
    chart = ComplianceChart()
    qtbot.addWidget(chart)
    chart.set_rows([ChartRow(f"1.{n}", "Q", None, None, None, 0, False) for n in range(35)])
    empty_height = chart.height()
    chart.set_rows([ChartRow(f"1.{n}", "Q", 0.5, 0.1, (0.3, 0.7), 10, False) for n in range(35)])
    assert not chart.empty and chart.height() > 10 * empty_height


def test_the_agreement_tab_reads_kappa_in_words(qtbot: QtBot, scored_db: Database,
                                                scored_audit: AuditSummary) -> None:
    page = shown_page(qtbot, scored_db, scored_audit)
    section = page.agreement_section
    pooled = page.findings.agreement[0].agreement if page.findings else None
    assert pooled is not None
    assert section.summary.text() == pooled_reading(pooled)
    assert section.summary.text().startswith("Across all criteria")
    assert " agreement" in section.summary.text() and "_" not in section.summary.text()
