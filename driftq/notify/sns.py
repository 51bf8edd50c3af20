"""SNS (`outputs.sns`): one message per account and region with new findings.

Same policy and memory as the other channels: an account whose severity reaches
``severity_threshold`` gets a message for each region where some finding is not yet
acknowledged on this channel; a region whose message failed is sent again next run.
`Subject` "Drift detected in <account>/<region>"; `Message` JSON with `account_id`,
`region`, `timestamp`, `drift_summary` and `affected_resources` (cut to stay inside SNS's
256 KB, the rest counted). Message attributes (severity, account_id, region) let
subscriptions filter. Published through the output clients (`sns:Publish` only).
"""

from __future__ import annotations

import hashlib
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from driftq.history import AlertStates, finding_key
from driftq.notify.policy import AlertInput, fingerprint, reaches
from driftq.outputs.clients import WriteClients
from driftq.outputs.retry import Attempted, Retry
from driftq.outputs.settings import Outputs

CHANNEL = "sns"
PUBLISHERS = 8  # messages in flight
CHUNK = 64  # messages planned ahead of the publishers
MESSAGE_BUDGET = 240_000  # bytes of JSON; SNS takes 256 KB with the attributes
SUBJECT_MAX = 100
# (account row, region, its findings there, the new ones)
Job = tuple[dict[str, Any], str, list[dict[str, Any]], list[dict[str, Any]]]


def subject(account: str, region: str) -> str:
    text = f"Drift detected in {account}/{region}"
    # SNS: ASCII, no line breaks, at most 100 characters
    return "".join(c if 32 <= ord(c) < 127 else "?" for c in text)[:SUBJECT_MAX]


def build_message(
    report: dict[str, Any],
    account: dict[str, Any],
    region: str,
    found: list[dict[str, Any]],
    new: list[dict[str, Any]],
    location: str,
) -> dict[str, Any]:
    new_prints = {fingerprint(f) for f in new}
    counts = {
        kind: sum(1 for f in found if f["kind"] == kind)
        for kind in ("drifted", "missing", "unmanaged")
    }
    message: dict[str, Any] = {
        "account_id": account.get("account_id"),
        "account": account["name"],
        "region": region,
        "timestamp": report["finished_at"],
        "run_id": report["run_id"],
        "drift_summary": {
            **counts,
            "new": len(new),
            "severity": account["severity"],
            "report_url": location,
        },
        "affected_resources": [],
        "affected_resources_total": len(found),
        "affected_resources_omitted": 0,
    }
    used = len(json.dumps(message).encode())
    # new findings first: they are why the message is sent
    ordered = sorted(found, key=lambda f: fingerprint(f) not in new_prints)
    for index, f in enumerate(ordered):
        entry = {
            "kind": f["kind"],
            "resource_type": f["resource_type"],
            "resource_id": f["resource_id"],
            "address": f.get("address"),
            "new": fingerprint(f) in new_prints,
            "changed_attributes": [c["attribute"] for c in f.get("changes") or []],
        }
        cost = len(json.dumps(entry).encode()) + 2
        if used + cost > MESSAGE_BUDGET:
            message["affected_resources_omitted"] = len(ordered) - index
            break
        message["affected_resources"].append(entry)
        used += cost
    return message


def publish_params(
    cfg_topic: str,
    report: dict[str, Any],
    account: dict[str, Any],
    region: str,
    message: dict[str, Any],
) -> dict[str, Any]:
    account_id = str(account.get("account_id") or account["name"])
    params: dict[str, Any] = {
        "TopicArn": cfg_topic,
        "Subject": subject(account["name"], region),
        "Message": json.dumps(message),
        "MessageAttributes": {
            "severity": {"DataType": "String", "StringValue": account["severity"]},
            "account_id": {"DataType": "String", "StringValue": account_id},
            "region": {"DataType": "String", "StringValue": region},
        },
    }
    if cfg_topic.endswith(".fifo"):
        raw = f"{report['run_id']}|{account_id}|{region}".encode()
        params["MessageGroupId"] = account_id
        params["MessageDeduplicationId"] = hashlib.sha256(raw).hexdigest()
    return params


def notify(
    outputs: Outputs,
    alert: AlertInput,
    location: str,
    outcomes: list[dict[str, Any]],
    states: AlertStates,
    source_identity: str | None = None,
) -> None:
    cfg = outputs.sns
    assert cfg is not None
    report = alert.report
    retry = Retry(outputs.attempts, outputs.backoff)
    clients = WriteClients.for_outputs(outputs, report["run_id"], source_identity)
    stop = threading.Event()
    messages: list[dict[str, Any]] = []  # one per account/region published (or tried)
    errors: list[str] = []
    attempts = 0

    def publish(job: Job) -> tuple[Job, Attempted[Any] | None]:
        if stop.is_set():
            return job, None
        account, region, found, new = job
        message = build_message(report, account, region, found, new, location)
        params = publish_params(cfg.topic_arn, report, account, region, message)
        done = retry.call(
            f"sns Publish {account['name']}/{region}",
            partial(_publish, clients, cfg.region, params),
        )
        if not done.ok:
            stop.set()  # the topic is missing or refuses us: the next would fail alike
        return job, done

    def flush(jobs: list[Job], names: list[str], pool: ThreadPoolExecutor) -> None:
        nonlocal attempts
        delivered: dict[str, list[dict[str, Any]]] = {}
        for (account, region, found, new), done in pool.map(publish, jobs):
            if done is None:
                continue  # not tried after a failure: it goes out with the next run
            attempts = max(attempts, done.attempts)
            status = "sent" if done.ok else "failed"
            messages.append(
                {
                    "account": account["name"],
                    "region": region,
                    "new_findings": len(new),
                    "status": status,
                }
            )
            if done.ok:
                delivered.setdefault(account["name"], []).extend(found)
            elif done.error:
                errors.append(done.error)
        for name in names:
            state = alert.next_state(CHANNEL, name, False)
            for f in delivered.get(name, []):
                state.acked[fingerprint(f)] = alert.unit_of.get(finding_key(f), "")
            states[(CHANNEL, name)] = state

    jobs: list[Job] = []
    names: list[str] = []
    with ThreadPoolExecutor(max_workers=PUBLISHERS, thread_name_prefix="driftq-sns") as pool:
        for account in report.get("accounts") or []:
            names.append(account["name"])
            if reaches(account["severity"], cfg.severity_threshold):
                for region, found in _by_region(alert.by_account.get(account["name"], [])).items():
                    new = alert.unseen(CHANNEL, found)
                    if new:
                        jobs.append((account, region, found, new))
            if len(jobs) >= CHUNK:  # messages are built in the threads: a chunk at a time
                flush(jobs, names, pool)
                jobs, names = [], []
        flush(jobs, names, pool)
    if not messages:
        outcomes.append(
            {
                "channel": CHANNEL,
                "status": "skipped",
                "attempts": 0,
                "error": None,
                "reason": f"no account at {cfg.severity_threshold} or above with new findings",
            }
        )
        return
    sent = sum(1 for m in messages if m["status"] == "sent")
    outcomes.append(
        {
            "channel": CHANNEL,
            "status": "failed" if errors else "sent",
            "attempts": attempts,
            # the messages after a failure were not tried: they go out with the next run
            "error": f"{errors[0]} ({sent} of {len(messages)} sent)" if errors else None,
            "sent": sent,
            "messages": messages,
        }
    )


def _publish(clients: WriteClients, region: str, params: dict[str, Any]) -> Any:
    return clients.client("sns", region).publish(**params)


def _by_region(found: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for f in found:
        out.setdefault(f["region"], []).append(f)
    return dict(sorted(out.items()))
