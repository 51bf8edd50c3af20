"""The `driftq` command line. Exit codes: 0 clean, 1 drift or failed units, 2 cannot start
(with `--detailed-exitcode`: 0 clean, 1 error, 2 drift, 3 partial; driftq/ci_output.py)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from driftq import __version__
from driftq.errors import DriftqError
from driftq.logsafe import install as install_log_safety
from driftq.text import display

EXIT_CANNOT_START = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"driftq: error: {display(message)}", file=sys.stderr)
        raise SystemExit(EXIT_CANNOT_START)


def _selection_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", "-c", required=True, help="the driftq YAML config")
    parser.add_argument(
        "--account", action="append", default=[], help="scan only this account (repeatable)"
    )
    parser.add_argument(
        "--region", action="append", default=[], help="scan only this region (repeatable)"
    )
    parser.add_argument(
        "--service", action="append", default=[], help="scan only this service (repeatable)"
    )
    parser.add_argument(
        "--resource-type",
        action="append",
        default=[],
        help="scan only this Terraform type (repeatable)",
    )
    _tag_flag(parser)
    parser.add_argument("--output-dir", "-o", help="where reports go (default reports/<run-id>/)")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="stdout at the end: the summary (text), or the report JSON alone (json; the "
        "summary then goes to stderr)",
    )
    parser.add_argument(
        "--detailed-exitcode",
        action="store_true",
        help="exit 0 clean, 1 error, 2 drift, 3 partial (some units failed)",
    )


def _tag_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="only accounts with this tag (repeatable: values of one key are alternatives, "
        "different keys must all match)",
    )


def _count(text: str) -> int:
    """A positive count a database can take."""
    if not (text.isascii() and text.isdigit() and len(text) <= 6 and 1 <= int(text) <= 100_000):
        raise argparse.ArgumentTypeError(f"{text[:20]!r} is not a whole number from 1 to 100000")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="driftq", description="Terraform drift detection across AWS accounts.")
    parser.add_argument("--version", action="version", version=f"driftq {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    scan = commands.add_parser("scan", help="scan in-process and write the report")
    _selection_flags(scan)
    scan.add_argument(
        "--save-report",
        metavar="FILE",
        help="also write the report JSON here; {account} {region} {date} {run_id} are filled "
        "in, and a directory gets drift-<account>-<region>-<date>.json",
    )

    submit = commands.add_parser("submit", help="send the run to the Celery cluster")
    _selection_flags(submit)
    submit.add_argument(
        "--wait", action="store_true", help="follow progress until the report exists"
    )
    submit.add_argument(
        "--force", action="store_true", help="start even if a run of this config is active"
    )
    submit.add_argument(
        "--timeout",
        metavar="DURATION",
        help="with --wait: give up waiting after this long (90s, 30m, 2h); the run goes on",
    )

    status = commands.add_parser("status", help="a cluster run's progress and failed units")
    status.add_argument("run_id", nargs="?", help="the run (default: the latest one)")
    status.add_argument(
        "--follow", action="store_true", help="follow it to the end, then act like submit --wait"
    )
    status.add_argument("--json", action="store_true", help="machine-readable output")
    status.add_argument("--output-dir", "-o", help="with --follow: where reports go")

    runs = commands.add_parser("runs", help="recent cluster runs and their state")
    runs.add_argument("--limit", type=_count, default=20, help="how many runs (default 20)")
    runs.add_argument("--json", action="store_true", help="machine-readable output")

    cancel = commands.add_parser(
        "cancel", help="cancel a cluster run: queued units are dropped, the report is partial"
    )
    cancel.add_argument("run_id")

    demo = commands.add_parser("demo", help="scan a drifted demo estate in a local AWS emulator")
    demo.add_argument(
        "--output-dir", "-o", help="where the demo report goes (default reports/demo-<run-id>/)"
    )
    demo.add_argument("--quiet", "-q", action="store_true")

    types = commands.add_parser("types", help="list supported Terraform types")
    types.add_argument("--json", action="store_true", help="machine-readable output")

    iam_policy = commands.add_parser(
        "iam-policy", help="the least-privilege IAM policy of the scanning role"
    )
    iam_policy.add_argument("--json", action="store_true", help="compact JSON, on one line")
    iam_policy.add_argument(
        "--summary", action="store_true", help="the actions grouped by service, for reading"
    )
    iam_policy.add_argument(
        "--state-bucket",
        action="append",
        default=[],
        help="limit state reads to this bucket (repeatable; default any bucket)",
    )

    validate = commands.add_parser("validate", help="check a config file and print the plan size")
    validate.add_argument("--config", "-c", required=True)
    validate.add_argument("--account", action="append", default=[], help="plan only this account")
    _tag_flag(validate)

    report = commands.add_parser("report", help="work with report files")
    report_commands = report.add_subparsers(dest="report_command", required=True)
    consolidate = report_commands.add_parser(
        "consolidate", help="merge report JSON files (e.g. per account and region) into one"
    )
    consolidate.add_argument("--input-dir", required=True, help="folder of report *.json files")
    consolidate.add_argument("--output", required=True, help="the merged report file")
    consolidate.add_argument("--format", choices=("html", "json"), default="html")
    consolidate.add_argument(
        "--config", "-c", help="evaluate thresholds again on the merged findings with this config"
    )

    history = commands.add_parser("history", help="past runs with their counts")
    history.add_argument("--account", help="this account's counts in each run")
    history.add_argument(
        "--limit", type=_count, default=20, help="how many runs (default 20, at most 100000)"
    )
    history.add_argument("--json", action="store_true", help="machine-readable output")

    metrics = commands.add_parser(
        "serve-metrics", help="serve Prometheus metrics of the last runs (history and Redis)"
    )
    metrics.add_argument("--port", type=int, required=True, help="port to listen on (0: any)")
    metrics.add_argument(
        "--address", default="127.0.0.1", help="address to bind (0.0.0.0 in a container)"
    )
    metrics.add_argument(
        "--window", default="30d", help="accounts whose last run is older are left out (30d)"
    )
    from driftq.events.commands import add_event_commands

    add_event_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from driftq.ci_output import DETAILED_ERROR, DETAILED_FLAG

    argv = list(sys.argv[1:] if argv is None else argv)
    # with --detailed-exitcode, 2 means drift: every error (bad flags included) is 1
    detailed = DETAILED_FLAG in argv
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:
        if detailed and exc.code == EXIT_CANNOT_START:
            raise SystemExit(DETAILED_ERROR) from None
        raise
    return _main(args, DETAILED_ERROR if detailed else None)


def _main(args: argparse.Namespace, error_code: int | None) -> int:
    """The command's exit code; ``error_code`` replaces every error's own when set."""
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    install_log_safety()  # no secret in a log line, --debug included
    try:
        return int(_dispatch(args))
    except DriftqError as exc:
        # one line per problem (a config may have several), each escaped (driftq/text.py)
        lines = str(exc).splitlines() or [""]
        print(f"driftq: error: {display(lines[0])}", file=sys.stderr)
        for line in lines[1:]:
            print(display(line), file=sys.stderr)
        return exc.exit_code if error_code is None else error_code
    except KeyboardInterrupt:
        print("driftq: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: never a bare traceback
        if args.debug:
            raise
        print(
            f"driftq: internal error: {type(exc).__name__}: {display(exc)} (rerun with --debug)",
            file=sys.stderr,
        )
        return EXIT_CANNOT_START if error_code is None else error_code


def _dispatch(args: argparse.Namespace) -> int:
    from driftq.report.checks import check_outputs

    if args.command == "scan":
        return _scan(args)
    if args.command == "submit":
        from workers.cli import submit  # the cluster client needs celery: imported only here

        if args.wait:  # without --wait only the cluster writes: -o is a path over there
            check_outputs(Path(args.output_dir or "reports"))
        return submit(args)
    if args.command in ("status", "runs", "cancel"):
        from workers import runs  # the cluster client needs celery: imported only here

        if args.command == "status" and args.follow:
            check_outputs(Path(args.output_dir or "reports"))
        command = {
            "status": runs.status_command,
            "runs": runs.runs_command,
            "cancel": runs.cancel_command,
        }
        return command[args.command](args)
    if args.command == "demo":
        from driftq.demo import run_demo

        check_outputs(Path(args.output_dir or "reports"))
        return run_demo(output_dir=args.output_dir, progress=not args.quiet)
    if args.command == "types":
        return _types(args)
    if args.command == "iam-policy":
        return _iam_policy(args)
    if args.command == "validate":
        return _validate(args)
    if args.command == "report":
        return _consolidate(args)
    if args.command == "history":
        return _history(args)
    if args.command == "serve-metrics":
        return _serve_metrics(args)
    if args.command in ("event", "serve-events", "events"):
        from driftq.events.commands import run_event_command

        return run_event_command(args)
    raise AssertionError(args.command)


def _scan(args: argparse.Namespace) -> int:
    from driftq.accounts_org import resolve_accounts
    from driftq.ci_output import finish
    from driftq.cli_args import selection_from
    from driftq.config import load_config
    from driftq.finalize import finalize
    from driftq.local import new_run_id, run_local
    from driftq.report.checks import check_outputs

    run_id = new_run_id()
    config = resolve_accounts(load_config(args.config), run_id=run_id)
    out_dir = Path(args.output_dir or Path("reports") / run_id)
    check_outputs(out_dir, args.save_report, selection_from(args).to_json(), run_id)
    outcome = run_local(config, selection_from(args), progress=not args.quiet, run_id=run_id)
    done = finalize(config, outcome.run, outcome.results, out_dir)
    if args.save_report:
        from driftq.report.write import save_report

        saved = save_report(done.report, args.save_report, selection_from(args).to_json())
    extra = (f"  saved:  {saved}",) if args.save_report else ()
    return finish(
        done.report,
        done.written,
        fmt=args.format,
        detailed=args.detailed_exitcode,
        extra=extra,
    )


def _types(args: argparse.Namespace) -> int:
    from driftq.resources.catalog import type_rows

    rows = type_rows()
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    for row in rows:
        print(
            f"{row['type']:<52} {row['service']:<9} {row['scope']:<8} import id: {row['import_id']}"
        )
        print(f"{'':<52} compares: {', '.join(row['compared'])}")
        print(f"{'':<52} leaves out: {len(row['left_out'])} (see --json for why)")
    return 0


def _iam_policy(args: argparse.Namespace) -> int:
    from driftq.iam_policy import describe, scanner_policy

    policy = scanner_policy(state_buckets=args.state_bucket)
    if args.summary:
        print(describe(policy))
    else:
        print(
            json.dumps(policy, separators=(",", ":")) if args.json else json.dumps(policy, indent=2)
        )
    return 0


def _consolidate(args: argparse.Namespace) -> int:
    from driftq.config import load_config
    from driftq.report.consolidate import consolidate, load_reports
    from driftq.report.html import render_html
    from driftq.report.safe_write import check_output_file
    from driftq.report.write import atomic_write, report_json

    check_output_file(Path(args.output))  # before reading a single report
    config = load_config(args.config) if args.config else None
    merged = consolidate(load_reports(args.input_dir, skip=Path(args.output)), config)
    text = render_html(merged) if args.format == "html" else report_json(merged)
    atomic_write(Path(args.output), text)
    s = merged["summary"]
    print(
        f"{args.output}: {len(merged['sources'])} reports, {s['accounts']} accounts, "
        f"{s['drifted']} drifted, {s['missing']} missing, {s['unmanaged']} unmanaged, "
        f"{s['units_failed']} failed units, severity {merged['severity']}"
    )
    return 0


def _history(args: argparse.Namespace) -> int:
    from driftq.history import ENV_URL, History, format_runs

    if os.environ.get(ENV_URL) == "off":
        print(f"driftq: error: history is off ({ENV_URL}=off)", file=sys.stderr)
        return EXIT_CANNOT_START
    rows = History().runs(account=args.account, limit=args.limit)
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    if not rows:
        print("no runs recorded yet" + (f" for account {args.account}" if args.account else ""))
        return 0
    print(format_runs(rows, per_account=bool(args.account)))
    return 0


def _serve_metrics(args: argparse.Namespace) -> int:
    from driftq.durations import parse_duration
    from driftq.metrics import serve

    try:
        # history is kept for years, so its window may reach further than a timeout
        window = parse_duration(args.window, max_days=3660)
    except ValueError as exc:
        raise DriftqError(f"--window: {exc}") from None
    extra = []
    if os.environ.get("DRIFTQ_REDIS_URL"):  # a cluster: its runs in progress too
        from workers.run_metrics import RunStoreCollector

        extra.append(RunStoreCollector(os.environ["DRIFTQ_REDIS_URL"]))
    return serve(args.port, args.address, window, extra)


def _validate(args: argparse.Namespace) -> int:
    from driftq.accounts_org import resolve_accounts
    from driftq.config import load_config
    from driftq.plan import Selection, plan

    config = resolve_accounts(load_config(args.config))
    units = plan(config, Selection(accounts=tuple(args.account), tags=tuple(args.tag)))
    accounts = len({u.account for u in units})
    print(f"{args.config}: ok, {accounts} accounts, {len(units)} units")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
