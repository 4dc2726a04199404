"""The Findings page's Agreement tab: n, figures with intervals, readings in plain words."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from audit_app.core.agreement import Agreement
from audit_app.core.findings import AgreementFinding
from audit_app.services.database import Database
from audit_app.services.findings import compute_findings
from audit_app.services.records import AuditSummary
from audit_app.ui.pages.agreement_section import AgreementSection
from audit_app.ui.pages.findings_page import FindingsPage
from tests.helpers.findings_page import wait_for_findings


def _texts(section: AgreementSection, row: int) -> list[str]:
    model = section.model
    return [str(model.data(model.index(row, column)))
            for column in range(model.columnCount())]


def test_agreement_tab_shows_the_services_figures(qtbot: QtBot, qtmodeltester: ModelTester,
                                                 scored_db: Database,
                                                 scored_audit: AuditSummary) -> None:
    page = FindingsPage(scored_db)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    page.set_audit(scored_audit.id)
    wait_for_findings(qtbot, page)
    findings = compute_findings(scored_db, audit_id=scored_audit.id)
    section = page.agreement_section
    page.sections.setCurrentWidget(section)
    assert section.isVisible() and "two or more members" in section.note.text()
    qtmodeltester.check(section.model)
    assert section.rows() == list(findings.agreement)
    pooled = findings.agreement[0].agreement
    texts = _texts(section, 0)
    assert texts[0] == "All criteria"
    assert texts[1] == str(pooled.cases)
    assert pooled.percent_agreement is not None and pooled.percent_interval is not None
    assert texts[2] == (f"{pooled.percent_agreement:.0%} ({pooled.percent_interval[0]:.0%}"
                        f"–{pooled.percent_interval[1]:.0%})")
    assert texts[5] == pooled.reading
    headers = [str(section.model.headerData(c, Qt.Orientation.Horizontal))
               for c in range(section.model.columnCount())]
    assert headers == ["Criterion", "Cases", "Agreement", "Fleiss' kappa", "Gwet's AC1",
                       "Reading"]


def test_not_defined_too_few_and_kept_findings_read_plainly(qtbot: QtBot, scored_db: Database,
                                                           scored_audit: AuditSummary) -> None:
    section = AgreementSection()
    qtbot.addWidget(section)
    findings = compute_findings(scored_db, audit_id=scored_audit.id)
    same = Agreement(12, 2, 1.0, None, None, 1.0, cases=12, percent_interval=(0.76, 1.0),
                     ac1_interval=(1.0, 1.0), resamples=2000, seed=1971)
    few = Agreement(4, 2, 0.75, 0.5, -0.25, 0.6, cases=4, percent_interval=(0.3, 0.95),
                    kappa_interval=(-0.6, 1.0), ac1_interval=(0.1, 1.0), resamples=2000,
                    seed=1971)
    old = Agreement.from_dict({"criterion": "1.3", "units": 15, "raters": 2,
                               "percent_agreement": 0.9, "cohen_kappa": 0.7,
                               "fleiss_kappa": 0.69, "gwet_ac1": 0.85})
    section.show_agreement(replace(findings, agreement=(
        AgreementFinding("1.1", same), AgreementFinding("1.2", few),
        AgreementFinding("1.3", old), AgreementFinding("1.4", Agreement(0, 0, None, None,
                                                                        None, None, cases=0)))))
    assert _texts(section, 0)[3:] == ["not defined", "1.00 (1.00 to 1.00)", "not defined"]
    assert _texts(section, 1)[3] == "\u22120.25 (\u22120.60 to 1.00)"
    assert _texts(section, 1)[5] == "too few cases to read"
    assert _texts(section, 2)[2:6] == ["90%", "0.69", "0.85", "substantial"]  # no intervals kept
    assert _texts(section, 3)[1:] == ["0", "—", "—", "—", "no case rated by two members"]
    for row in range(4):
        assert not any("_" in text for text in _texts(section, row))
