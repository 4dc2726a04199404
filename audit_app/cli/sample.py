"""`audit-app sample`: draw a sample, or `sample show|verify|replace` the current one."""

from __future__ import annotations

import argparse
from typing import Any

from audit_app.cli.common import opened
from audit_app.cli.output import Output, format_table
from audit_app.core.errors import UserError


def add_arguments(sample: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    sample.description = ("Draw a sample (audit-app sample --audit ID --size N) "
                          "or show the current one (audit-app sample show).")
    sample.add_argument("--audit", type=int, metavar="ID")
    sample.add_argument("--size", type=int, metavar="N")
    sample.add_argument("--method", choices=("random", "systematic", "stratified"), default=None)
    sample.add_argument("--by", metavar="FIELD[,FIELD]", default="",
                        help="stratify by these case fields (implies --method stratified)")
    sample.add_argument("--seed", type=int, help="reuse a seed to reproduce a draw")
    sample.add_argument("--allocation", choices=("proportional", "equal"), default="proportional")
    sample.add_argument("--where", metavar="EXPR", default="",
                        help="scope, e.g. \"outcome_code in (15, 16) and risk_level == 'high'\"")
    sample.add_argument("--include-always", metavar="EXPR", default="",
                        help="cases matching this rule are always in the sample")
    sample.add_argument("--exclude-reviewed", action="store_true",
                        help="leave out cases already reviewed in another audit")
    # Subcommands are optional so `sample --audit 1 --size 40` keeps drawing.
    actions = sample.add_subparsers(dest="sample_command", metavar="{show,verify,replace}",
                                    required=False)
    show = actions.add_parser("show", parents=[common], help="show the current sample")
    show.add_argument("--audit", type=int, metavar="ID", required=True)
    verify = actions.add_parser("verify", parents=[common],
                                help="re-draw from the stored record and confirm it matches")
    verify.add_argument("--audit", type=int, metavar="ID", required=True)
    replace = actions.add_parser("replace", parents=[common],
                                 help="replace a case that cannot be reviewed")
    replace.add_argument("--audit", type=int, metavar="ID", required=True)
    replace.add_argument("--reference", required=True, help="the crime reference to replace")
    replace.add_argument("--reason", required=True, help="why it cannot be reviewed")


def _verify_or_replace(args: argparse.Namespace, output: Output) -> int:
    from audit_app.services.sampling import replace_case, verify_sample

    with opened(args) as db:
        if args.sample_command == "verify":
            verification = verify_sample(db, audit_id=args.audit)
            output.result(verification, list(verification.messages))
            if not verification.ok:
                raise UserError(f"The sample of audit {args.audit} does not match its record")
            return 0
        replacement = replace_case(db, audit_id=args.audit, reference=args.reference,
                                   reason=args.reason)
    text = (f"Replaced {args.reference} with {replacement.case.reference}" if replacement
            else f"Removed {args.reference}; no case is left in its stratum to replace it")
    output.result({"replaced": args.reference,
                   "replacement": replacement.case.reference if replacement else None}, text)
    return 0


def run_sample(args: argparse.Namespace, output: Output, parser: argparse.ArgumentParser) -> int:
    from audit_app.services.sampling import draw_sample, get_sample, get_sample_summary

    if args.sample_command in ("verify", "replace"):
        return _verify_or_replace(args, output)
    if args.sample_command is None and (args.audit is None or args.size is None):
        raise UserError("To draw a sample give --audit ID and --size N "
                        "(or 'audit-app sample show --audit ID')")
    with opened(args) as db:
        if args.sample_command == "show":
            summary = get_sample_summary(db, audit_id=args.audit)
            if summary is None:
                from audit_app.services.audits import get_audit

                get_audit(db, args.audit)  # an unknown audit says so
                raise UserError(f"Audit {args.audit} has no sample yet")
            rows = get_sample(db, audit_id=args.audit)
        else:
            strata = tuple(f.strip() for f in args.by.split(",") if f.strip())
            method = args.method or ("stratified" if strata else "random")
            summary = draw_sample(db, audit_id=args.audit, size=args.size, method=method,
                                  strata_fields=strata, seed=args.seed,
                                  allocation=args.allocation, where=args.where,
                                  include_always=args.include_always,
                                  exclude_reviewed=args.exclude_reviewed)
            rows = get_sample(db, audit_id=args.audit)
    lines = [f"Sample of {summary.size} for audit {summary.audit_id}",
             *summary.certificate_lines()]
    if summary.strata_fields:
        lines += ["", format_table(("Stratum", "In population", "In sample"), summary.strata)]
    if args.sample_command == "show":
        lines += ["", format_table(
            ("#", "Reference", "Stratum", "Outcome", "Status"),
            [(r.position, r.case.reference, r.stratum,
              r.case.fields.get("outcome_code"), r.status) for r in rows])]
    payload: dict[str, Any] = {"sample": summary,
                               "cases": [{"position": r.position, "reference": r.case.reference,
                                          "case_id": r.case.id, "stratum": r.stratum,
                                          "status": r.status} for r in rows]}
    output.result(payload, lines)
    return 0
