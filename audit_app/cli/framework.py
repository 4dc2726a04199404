"""`audit-app framework list|show|export|import|diff`: the criteria frameworks."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from audit_app.cli.common import opened
from audit_app.cli.output import Output, format_table
from audit_app.core.framework_fields import Role

if TYPE_CHECKING:
    from audit_app.core.framework import Criterion


def add_arguments(parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    fw_actions = parser.add_subparsers(dest="framework_command", metavar="ACTION", required=True)
    fw_actions.add_parser("list", parents=[common], help="list frameworks and versions")
    fw_show = fw_actions.add_parser("show", parents=[common], help="print sections and criteria")
    fw_show.add_argument("framework_id", metavar="ID")
    fw_export = fw_actions.add_parser("export", parents=[common], help="write a framework as YAML")
    fw_export.add_argument("framework_id", metavar="ID")
    fw_export.add_argument("file", type=Path, metavar="FILE")
    fw_import = fw_actions.add_parser("import", parents=[common], help="add a framework from YAML")
    fw_import.add_argument("file", type=Path, metavar="FILE")
    fw_diff = fw_actions.add_parser(
        "diff", parents=[common], help="list criteria added, removed, reworded or re-scaled",
        description="Compare two framework versions, for example da-nfa-review@2 da-nfa-review@3.")
    fw_diff.add_argument("old", metavar="ID@VERSION")
    fw_diff.add_argument("new", metavar="ID@VERSION")


def _criterion_details(criterion: Criterion) -> list[str]:
    """Who answers, on which answers, from which documents (only where the file says)."""
    lines = []
    if criterion.scale:
        lines.append(f"        answers: {', '.join(a.label for a in criterion.scale)}")
    if criterion.answered_by is not Role.ANY:
        lines.append(f"        answered by: {criterion.answered_by.label}")
    if criterion.file_pack:
        lines.append(f"        file pack: {', '.join(criterion.file_pack_labels())}")
    return lines


def run_framework(args: argparse.Namespace, output: Output,
                  parser: argparse.ArgumentParser) -> int:
    from audit_app.core.framework import framework_to_dict
    from audit_app.services import frameworks

    with opened(args) as db:
        action = args.framework_command
        if action == "list":
            found = frameworks.list_frameworks(db)
            output.result(found, format_table(
                ("ID", "Version", "Title", "Sections", "Criteria", "Shipped"),
                [(f.key, f.version, f.title, f.section_count, f.criterion_count,
                  "yes" if f.builtin else "no") for f in found]))
        elif action == "show":
            framework = frameworks.get_framework(db, args.framework_id)
            lines = [f"{framework.title} ({framework.key} v{framework.version})"]
            if framework.description:
                lines.append(framework.description)
            for section in framework.sections:
                lines += ["", f"{section.code}  {section.title}"]
                for criterion in section.criteria:
                    lines.append(f"  {criterion.code:<6}{criterion.question}")
                    if criterion.applies_when:
                        lines.append(f"        applies when: {criterion.rule_in_words()}")
                    lines += _criterion_details(criterion)
            output.result(framework_to_dict(framework), lines)
        elif action == "diff":
            from audit_app.core.framework_diff import diff_frameworks, diff_lines, diff_to_dict

            diff = diff_frameworks(frameworks.get_framework(db, args.old),
                                   frameworks.get_framework(db, args.new))
            output.result(diff_to_dict(diff), diff_lines(diff))
        elif action == "export":
            path = frameworks.export_framework(db, args.framework_id, args.file)
            output.result({"path": path}, f"Wrote {path}")
        else:
            summary = frameworks.import_framework(db, args.file)
            output.result(summary, f"Framework {summary.key} v{summary.version} is available "
                                   f"({summary.criterion_count} criteria).")
    return 0
