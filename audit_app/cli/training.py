"""`audit-app training list|show|answer|result|restart`: calibration cases for new members.

A member scores synthetic cases against the reference key before joining live scoring.
Training answers are kept apart from every audit and never enter its figures.
"""

from __future__ import annotations

import argparse

from audit_app.cli.common import opened
from audit_app.cli.output import Output, format_table

DEFAULT_SET = "da-nfa-review@3"


def add_arguments(training: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    actions = training.add_subparsers(dest="training_command", metavar="ACTION", required=True)
    actions.add_parser("list", parents=[common], help="the calibration sets the app ships")
    show = actions.add_parser("show", parents=[common],
                              help="a calibration set's cases, or one case's summary")
    show.add_argument("--case", metavar="REFERENCE", help="print this case's summary")
    answer = actions.add_parser("answer", parents=[common], help="record one training answer")
    answer.add_argument("--member", required=True, metavar="NAME")
    answer.add_argument("--case", required=True, metavar="REFERENCE")
    answer.add_argument("--criterion", required=True, metavar="CODE")
    answer.add_argument("--answer", required=True, metavar="ANSWER",
                        help="e.g. 'Met', 'Partly met', 'Not met' (or 'none' to clear it)")
    answer.add_argument("--note", default="")
    result = actions.add_parser("result", parents=[common],
                                help="compare a member's answers with the key")
    result.add_argument("--member", required=True, metavar="NAME")
    restart = actions.add_parser("restart", parents=[common],
                                 help="remove a member's training answers and start again")
    restart.add_argument("--member", required=True, metavar="NAME")
    for action in (show, answer, result, restart):
        action.add_argument("--set", default=DEFAULT_SET, metavar="FRAMEWORK@VERSION",
                            help=f"the calibration set (default {DEFAULT_SET})")


def run_training(args: argparse.Namespace, output: Output,
                 parser: argparse.ArgumentParser) -> int:
    from audit_app.cli.training_text import case_text, result_text, set_text
    from audit_app.services import training

    with opened(args) as db:
        command = args.training_command
        if command == "list":
            choices = training.list_calibration_sets(db)
            output.result(choices, format_table(
                ("Set", "Framework", "Cases", "Keyed answers"),
                [(c.framework_ref, c.framework_title, c.cases, c.keyed_answers)
                 for c in choices]))
        elif command == "show":
            opened_set = training.open_training(db, member="Anyone", framework_ref=args.set)
            calibration = opened_set.calibration
            if args.case:
                case = calibration.case(args.case)
                output.result(case, case_text(case, opened_set.framework))
            else:
                output.result(calibration, set_text(calibration))
        elif command == "answer":
            value = None if args.answer.strip().lower() == "none" else args.answer
            training.record_training_answer(
                db, member=args.member, framework_ref=args.set, reference=args.case,
                criterion_code=args.criterion, value=value, note=args.note)
            output.result({"member": args.member, "case": args.case,
                           "criterion": args.criterion, "answer": value},
                          f"Saved {args.member}'s training answer to {args.criterion} on "
                          f"{args.case}.")
        elif command == "result":
            found = training.training_result(db, member=args.member, framework_ref=args.set)
            output.result(found, result_text(args.member, found))
        else:
            removed = training.start_training_again(db, member=args.member,
                                                    framework_ref=args.set)
            output.result({"member": args.member, "removed": removed},
                          f"Removed {removed} training answers: {args.member} can start again.")
    return 0
