"""`driftq event`, `driftq serve-events`, `driftq events consume`: parsers and bodies.

Kept apart from driftq/cli.py so the commands of this package grow here."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from driftq.errors import DriftqError
from driftq.events.parse import EventError

SECRET_ENV = "DRIFTQ_EVENTS_SECRET"
# a file holding it instead (a Docker or Kubernetes secret mounted as a file)
SECRET_FILE_ENV = "DRIFTQ_EVENTS_SECRET_FILE"
QUEUE_URL_ENV = "DRIFTQ_EVENTS_QUEUE_URL"
_MAX_FILE = 16 * 1024 * 1024


def add_event_commands(commands: Any) -> None:
    event = commands.add_parser(
        "event", help="targeted scan of what a CloudTrail event changed, with who changed it"
    )
    event.add_argument("--config", "-c", required=True, help="the driftq YAML config")
    event.add_argument(
        "--file",
        "-f",
        required=True,
        help="EventBridge event, CloudTrail record or a list ('-': stdin)",
    )
    event.add_argument(
        "--submit", action="store_true", help="queue it on the cluster's `events` queue instead"
    )
    event.add_argument("--output-dir", "-o", help="where reports go (default reports/<run-id>/)")

    serve = commands.add_parser(
        "serve-events", help="receive EventBridge API-destination POSTs and queue targeted scans"
    )
    serve.add_argument("--config", "-c", required=True)
    serve.add_argument("--port", type=int, required=True, help="port to listen on (0: any)")
    serve.add_argument("--address", default="127.0.0.1", help="address to bind")
    _dispatch_flags(serve)

    events = commands.add_parser("events", help="event-driven detection from a queue")
    sub = events.add_subparsers(dest="events_command", required=True)
    consume = sub.add_parser("consume", help="long-poll an SQS queue of CloudTrail events")
    consume.add_argument("--config", "-c", required=True)
    queue_url = os.environ.get(QUEUE_URL_ENV) or None
    consume.add_argument(
        "--queue-url",
        required=queue_url is None,
        default=queue_url,
        help=f"the SQS queue the EventBridge rule feeds (default: ${QUEUE_URL_ENV})",
    )
    consume.add_argument(
        "--max-messages",
        type=int,
        default=0,
        help="stop after receiving this many messages (0: never)",
    )
    consume.add_argument(
        "--heartbeat",
        metavar="FILE",
        help="touch FILE after every poll (a liveness probe checks its age)",
    )
    consume.add_argument(
        "--wait-seconds", type=int, default=20, help="SQS long-poll wait (1-20, default 20)"
    )
    _dispatch_flags(consume)
    sub.add_parser("pattern", help="the EventBridge rule pattern for every supported type")


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 86400:
        raise argparse.ArgumentTypeError(f"{text[:20]!r} is not a number of seconds (0 to 86400)")
    return value


def _dispatch_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="scan here (one thread) instead of queueing on the cluster",
    )
    parser.add_argument(
        "--debounce",
        type=_seconds,
        default=10.0,
        help="seconds one resource's events coalesce into one scan (default 10)",
    )
    parser.add_argument(
        "--terraform-delay",
        type=_seconds,
        default=300.0,
        help="seconds before rescanning after Terraform's own calls: its state is written "
        "at the end of the apply (default 300)",
    )


def run_event_command(args: argparse.Namespace) -> int:
    if args.command == "events" and args.events_command == "pattern":
        from driftq.events.mapping import rule_pattern

        print(json.dumps(rule_pattern(), indent=2))
        return 0
    from driftq.accounts_org import resolve_accounts
    from driftq.config import load_config

    # a process that only plans and queues scans (the receiver, the consumer, `--submit`)
    # never notifies: it loads the config without those secrets, like `submit` and beat
    notifies = (args.command == "event" and not args.submit) or bool(
        getattr(args, "in_process", False)
    )
    config = resolve_accounts(load_config(args.config, secrets=notifies))
    if args.command == "event":
        return _event(args, config)
    dispatcher = _dispatcher(args, config)
    if args.command == "serve-events":
        from driftq.events.receiver import serve

        return serve(args.port, args.address, shared_secret(), config, dispatcher)
    from driftq.events.consumer import consume

    return consume(
        config,
        args.queue_url,
        dispatcher,
        args.max_messages,
        args.wait_seconds,
        heartbeat=args.heartbeat,
    )


def shared_secret() -> str:
    """The receiver's shared secret: ``$DRIFTQ_EVENTS_SECRET``, or the file named by
    ``$DRIFTQ_EVENTS_SECRET_FILE`` (one trailing newline dropped)."""
    secret = os.environ.get(SECRET_ENV, "")
    path = os.environ.get(SECRET_FILE_ENV, "")
    if not secret and path:
        try:
            secret = Path(path).read_text(encoding="utf-8").removesuffix("\n")
        except (OSError, UnicodeDecodeError) as exc:
            raise DriftqError(f"{SECRET_FILE_ENV}: cannot read {path}: {exc}") from None
    if len(secret) < 16:
        raise DriftqError(
            f"{SECRET_ENV} (or the file {SECRET_FILE_ENV} names) must hold the shared secret "
            "(16 characters or more)"
        )
    return secret


def _dispatcher(args: argparse.Namespace, config: Any) -> Any:
    from driftq.events.dispatch import Dispatcher, in_process_sink

    if args.in_process:
        return Dispatcher(config, in_process_sink(config), args.debounce, args.terraform_delay)
    from workers.events import cluster_sink, redis_debouncer  # needs celery: only here

    return Dispatcher(
        config, cluster_sink(args.config), args.debounce, args.terraform_delay, redis_debouncer()
    )


def _read(path: str) -> bytes:
    try:
        if path == "-":
            data = sys.stdin.buffer.read(_MAX_FILE + 1)
        else:
            with Path(path).open("rb") as handle:
                data = handle.read(_MAX_FILE + 1)
    except OSError as exc:
        raise EventError(f"{path}: cannot read: {exc.strerror}") from None
    if len(data) > _MAX_FILE:
        raise EventError(f"{path}: larger than {_MAX_FILE // (1024 * 1024)} MB")
    return data


def _event(args: argparse.Namespace, config: Any) -> int:
    from driftq.events.parse import load_events
    from driftq.events.plan import plan_calls
    from driftq.events.report import event_output

    calls = load_events(_read(args.file), args.file)
    outcome = plan_calls(config, calls)
    if outcome.rejected:  # nothing is touched: one line, exit 2
        first = outcome.rejected[0]
        raise EventError(f"{args.file}: {first['event']}: {first['reason']}")
    if args.submit:
        from workers.events import submit_targets

        queued = submit_targets(args.config, outcome.targets)
        print(json.dumps({"queued": queued, "ignored": outcome.ignored}, indent=2))
        return 0
    if not outcome.targets:
        print(json.dumps(event_output(outcome, None), indent=2))
        return 0
    from driftq.events.targeted import run_targets
    from driftq.report.checks import check_outputs

    if args.output_dir:
        check_outputs(Path(args.output_dir))
    run = run_targets(config, outcome.targets, args.output_dir)
    output = event_output(outcome, run)
    print(json.dumps(output, indent=2, default=str))
    return 1 if output["drift_detected"] or output["summary"]["units_failed"] else 0
