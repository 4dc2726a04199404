"""`audit-app stats --audit ID [--compare-with ID]`: the compliance findings.

The text is laid out by `stats_findings` (findings), `stats_compare` (--compare-with)
and `stats_population` (the population block after them).
"""

from __future__ import annotations

import argparse

from audit_app.cli.common import opened
from audit_app.cli.output import Output
from audit_app.core.errors import UserError


def add_arguments(stats: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    stats.add_argument("--audit", type=int, required=True, metavar="ID")
    stats.add_argument("--compare-with", type=int, metavar="ID",
                       help="also compare each criterion with an earlier audit: both rates, "
                            "the change and its 95%% interval")
    stats.add_argument("--by-outcome", action="store_true",
                       help="also print compliance per criterion for each outcome code")


def run_stats(args: argparse.Namespace, output: Output, parser: argparse.ArgumentParser) -> int:
    from audit_app.cli.stats_findings import findings_text
    from audit_app.cli.stats_outcomes import with_outcomes
    from audit_app.cli.stats_population import with_population
    from audit_app.services.findings import compute_findings

    compare_with = getattr(args, "compare_with", None)
    if compare_with is not None and compare_with == args.audit:
        raise UserError(f"Audit {args.audit} cannot be compared with itself: give an earlier "
                        "audit to --compare-with")
    with opened(args) as db:
        findings = compute_findings(db, audit_id=args.audit)
        output = with_population(output, db, audit_id=args.audit)
        output = with_outcomes(output, db, findings, show_text=args.by_outcome)
        if compare_with is None:
            output.result(findings.to_dict(), findings_text(findings))
            return 0
        from audit_app.cli.stats_compare import comparison_text
        from audit_app.services.comparison import comparison_of

        comparison = comparison_of(findings, compute_findings(db, audit_id=compare_with))
    output.result({**findings.to_dict(), "comparison": comparison.to_dict()},
                  [*findings_text(findings), "", *comparison_text(comparison)])
    return 0
