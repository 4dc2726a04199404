"""`audit-app theme list|add|tag|counts`: the learning themes, adding the panel's own,
tagging a case's learning or good practice with one, and counts per theme in an audit and
across its framework's audits."""

from __future__ import annotations

import argparse

from audit_app.cli.common import opened
from audit_app.cli.output import Output, format_table
from audit_app.core.wording import plural


def add_arguments(theme: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    steps = theme.add_subparsers(dest="theme_command", metavar="ACTION", required=True)
    steps.add_parser("list", parents=[common], help="the themes (shipped and your own)")
    add = steps.add_parser("add", parents=[common], help="add a theme of your panel's own")
    add.add_argument("--name", required=True, help="the theme, in plain words")
    add.add_argument("--description", default="", help="what it covers")
    add.add_argument("--key", default="", metavar="SHORT_NAME",
                     help="its short name for commands (default: made from the name)")
    tag = steps.add_parser("tag", parents=[common], help="tag a case's learning with a theme")
    tag.add_argument("--audit", type=int, required=True, metavar="ID")
    tag.add_argument("--case", required=True, metavar="REFERENCE")
    tag.add_argument("--theme", required=True, metavar="KEY")
    tag.add_argument("--kind", default="learning", choices=["learning", "good-practice"])
    tag.add_argument("--member", default="",
                     help="a member's review (default: the panel's agreed review)")
    tag.add_argument("--remove", action="store_true", help="take the tag off")
    counts = steps.add_parser("counts", parents=[common], help="cases per theme")
    counts.add_argument("--audit", type=int, required=True, metavar="ID")


def run_theme(args: argparse.Namespace, output: Output,
              parser: argparse.ArgumentParser) -> int:
    from audit_app.services import themes

    if args.theme_command == "list":
        shipped = themes.list_themes()
        output.result([{"key": t.key, "name": t.name, "description": t.description,
                        "criteria": dict(t.criteria), "shipped": t.shipped} for t in shipped],
                      format_table(["Key", "Theme", "What it covers"],
                                   [[t.key, t.name, t.description] for t in shipped]))
        return 0
    if args.theme_command == "add":
        from audit_app.services.theme_taxonomy import add_theme

        theme = add_theme(name=args.name, description=args.description, key=args.key)
        output.result({"key": theme.key, "name": theme.name, "description": theme.description},
                      f"Theme added: {theme.name} (short name {theme.key}).")
        return 0
    with opened(args) as db:
        if args.theme_command == "tag":
            themes.tag(db, audit_id=args.audit, case_reference=args.case, theme_key=args.theme,
                       kind=args.kind.replace("-", "_"), member=args.member, remove=args.remove)
            output.result({"audit_id": args.audit, "theme": args.theme, "removed": args.remove},
                          "Tag removed." if args.remove else "Tagged.")
            return 0
        counts = themes.theme_counts(db, audit_id=args.audit)
        names, trend = themes.theme_trend(db, audit_id=args.audit)
        good = themes.good_practice_to_share(db, audit_id=args.audit)
    lines = [format_table(["Theme", "Learning (cases)", "Good practice (cases)"],
                          [[c.name, c.learning, c.good_practice] for c in counts])]
    if len(names) > 1:
        lines += ["", "Learning cases per theme across this framework's audits:",
                  format_table(["Theme", *names], [[t.name, *t.per_audit] for t in trend])]
    lines += ["", "Good practice to share: " + plural(len(good), "piece") + " (see the workbook)."]
    output.result({"audit_id": args.audit, "counts": list(counts), "audits": list(names),
                   "across_audits": list(trend), "good_practice": list(good)}, lines)
    return 0
