"""What the Celery path costs per unit over `driftq scan`, for the same plan.

    .venv/bin/python benchmarks/cluster_overhead.py [--accounts 8] [--rounds 2]

Starts moto's server, a private redis-server and two celery workers of two processes each
(4 units at once, like `scan`'s 4 threads), seeds the accounts, then times `driftq scan`
and `driftq submit --wait` on the same config as whole commands (best of --rounds each).
moto answers ~40 calls/s in one process, so both runs are mostly emulator time; the
difference is the cluster's own cost: dispatch, queueing, per-process engines and
AssumeRole, result storage, the callback and the copy of the report.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import time
from pathlib import Path

import boto3

from benchmarks.cluster_support import (
    BIN,
    REPO,
    estate_config,
    processes,
    scratch,
    start_moto,
    start_redis,
    start_worker,
    wait_ready,
)

REGIONS = ["us-east-1", "eu-west-1"]
SERVICES = ["sqs", "sns", "iam"]


def seed(endpoint: str, accounts: int) -> None:
    sts = boto3.client(
        "sts",
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
    )
    for n in range(accounts):
        account_id = f"{100000000000 + n:012d}"
        creds = sts.assume_role(
            RoleArn=f"arn:aws:iam::{account_id}:role/seed", RoleSessionName="seed"
        )["Credentials"]
        session = boto3.Session(
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
        )
        for region in REGIONS:
            session.client("sqs", region_name=region, endpoint_url=endpoint).create_queue(
                QueueName=f"q{n}"
            )
            session.client("sns", region_name=region, endpoint_url=endpoint).create_topic(
                Name=f"t{n}"
            )


def timed(argv: list[str], env: dict[str, str], cwd: Path) -> float:
    started = time.perf_counter()
    run = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    took = time.perf_counter() - started
    if run.returncode not in (0, 1):
        raise RuntimeError(f"{argv[1]} failed:\n{run.stderr}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    workdir = scratch()
    state = workdir / "empty.tfstate"
    state.write_text(json.dumps({"version": 4, "resources": []}))
    config = estate_config(workdir / "bench.yaml", args.accounts, REGIONS, SERVICES, state)
    units = args.accounts * (len(REGIONS) * 2 + 1)
    with processes() as started:
        endpoint = start_moto(started, workdir)
        url = start_redis(started, workdir)
        env = {
            **os.environ,
            "PYTHONPATH": str(REPO),
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_DEFAULT_REGION": "us-east-1",
            "DRIFTQ_REDIS_URL": url,
            "DRIFTQ_CONFIG": str(config),
            "DRIFTQ_DATABASE_URL": "off",
        }
        seed(endpoint, args.accounts)
        logs = [start_worker(started, f"bench{n}", env, workdir, concurrency=2) for n in (1, 2)]
        for log in logs:
            wait_ready(log)
        driftq = str(BIN / "driftq")
        scan = submit = float("inf")
        for n in range(args.rounds):
            scan = min(
                scan,
                timed(
                    [driftq, "scan", "-c", str(config), "-q", "-o", str(workdir / f"scan{n}")],
                    env,
                    workdir,
                ),
            )
            submit = min(
                submit,
                timed(
                    [
                        driftq,
                        "submit",
                        "-c",
                        str(config),
                        "--wait",
                        "-q",
                        "-o",
                        str(workdir / f"submit{n}"),
                    ],
                    env,
                    workdir,
                ),
            )
    print(
        f"plan: {args.accounts} accounts x {len(REGIONS)} regions x {SERVICES}: {units} units;"
        " 4 at once on both paths"
    )
    print(f"driftq scan:          {scan:.2f}s  ({scan / units * 1000:.0f} ms per unit, wall)")
    print(f"driftq submit --wait: {submit:.2f}s  ({submit / units * 1000:.0f} ms per unit, wall)")
    print(
        f"cluster overhead: {submit - scan:+.2f}s = {(submit - scan) / units * 1000:+.0f} ms "
        f"per unit (wall), {(submit - scan) * 4 / units * 1000:+.0f} ms of worker time per unit"
    )


if __name__ == "__main__":
    main()
