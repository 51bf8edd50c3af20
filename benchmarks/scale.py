"""driftq over hundreds of accounts against the throttling AWS simulator, measured against
AWS's own limits.

    .venv/bin/python -m benchmarks.scale --accounts N --regions R --workers W
        [--concurrency 4] [--latency-ms 40] [--jitter-ms 20] [--storm 0.0] [--share S]
        [--timeout 3h] [--cprofile] [--keep]

Starts the simulator (benchmarks/sim: N copies of the recorded account, every service
driftq scans, R <= 2 regions, Terraform states in S3, known drifts), a private redis-server and
W Celery workers of --concurrency processes each, then times `driftq submit --wait` over the
estate. Prints wall time, units/s, API calls/s, throttled calls, failed units, findings
against the expected ones, peak RSS of every worker process and the ratio to the limit:

    wall time / max(total calls x latency / total concurrency,
                    max over (account, region, action) of (calls - burst) / refill)

the simulator's buckets (AWS's published sizes) giving burst and refill. A ratio near 1 means
only AWS's limits and the per-call latency pace the run. Total concurrency is workers x
--concurrency: the units in flight at once, each sending its calls one after another, so
also the most calls in flight. More processes lower the bound in proportion (and each one
reads every account's states and assumes its role once more), so compare ratios at one
concurrency, and throughput (units/s) across concurrencies.

"worker cpu" is the CPU time of the worker processes (main and pool) during the run, per
unit and per API call: unlike wall time it does not depend on what else the machine runs.
--cprofile adds a CPU-time profile of every task, merged over the pool processes.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pstats
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from benchmarks.cluster_support import (
    BIN,
    REPO,
    processes,
    scratch,
    spawn,
    start_redis,
    start_worker,
    wait_ready,
)
from benchmarks.sim.estate import Estate
from benchmarks.sim.record import ensure_cassette


def peak_rss_mb(pid: int) -> float:
    """The process's high-water mark of resident memory (VmHWM), in MB."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process and of its children it waited for."""
    with contextlib.suppress(OSError):
        # the fields after the command's closing parenthesis: utime is the 12th
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    return 0.0


def tree_cpu(pids: list[int]) -> float:
    """CPU seconds of these processes and all their descendants now."""
    return sum(cpu_seconds(p) for root in pids for p in [root, *descendants(root)])


def descendants(pid: int) -> list[int]:
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            children = (task / "children").read_text().split()
            for child in map(int, children):
                found += [child, *descendants(child)]
    return found


def lower_bound(stats: dict, latency_s: float, concurrency: int) -> tuple[float, str]:
    by_latency = stats["calls"] * latency_s / concurrency
    worst, where = 0.0, ""
    # the calls on each bucket (an API with one bucket for all its actions: Route 53)
    drawn: dict[tuple[str, str, str], list[float]] = {}
    for account, region, _action, calls, _throttled, burst, refill, bucket in stats["rows"]:
        drawn.setdefault((account, region, bucket), [0, burst, refill])[0] += calls
    for (account, region, bucket), (calls, burst, refill) in drawn.items():
        need = (calls - burst) / refill
        if need > worst:
            worst, where = need, f"{account}/{region}/{bucket}"
    if worst > by_latency:
        return worst, f"bucket {where}"
    return by_latency, "calls x latency / concurrency"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", type=int, default=20)
    parser.add_argument("--regions", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=4, help="processes per worker")
    parser.add_argument("--latency-ms", type=float, default=40)
    parser.add_argument("--jitter-ms", type=float, default=20)
    parser.add_argument("--storm", type=float, default=0.0, help="fraction of calls throttled")
    parser.add_argument("--share", type=float, help="monitoring.rate_limits share")
    parser.add_argument(
        "--timeout",
        default="3h",
        help="the run's defaults.timeout (the demo's 10m would time out units of a large run)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument(
        "--profile", type=float, default=0, help="py-spy one pool process for this many seconds"
    )
    parser.add_argument(
        "--cprofile", action="store_true", help="CPU-time profile of every task (cProfile)"
    )
    args = parser.parse_args()

    cassette = ensure_cassette()
    estate = Estate.load(cassette, args.accounts, args.regions)
    workdir = scratch()
    text = estate.config_text()
    if "  timeout: 10m\n" not in text:
        raise SystemExit("the demo config's timeout line changed: update benchmarks/scale.py")
    text = text.replace("  timeout: 10m\n", f"  timeout: {args.timeout}\n")
    if args.share is not None:
        text = text.replace(
            "monitoring:\n", f"monitoring:\n  rate_limits: {{share: {args.share}}}\n"
        )
    config = workdir / "driftq.yaml"
    config.write_text(text)
    concurrency = args.workers * args.concurrency
    print(
        f"estate: {args.accounts} accounts x {args.regions} regions x "
        f"{len(estate.services())} services: "
        f"{estate.expected_units()} units; {args.workers} workers x {args.concurrency} "
        f"processes; latency {args.latency_ms:.0f} +/- {args.jitter_ms:.0f} ms; "
        f"storm {args.storm:.0%}; load {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    with processes() as started:
        sim = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.sim.server", "--cassette", str(cassette),
             "--latency-ms", str(args.latency_ms), "--jitter-ms", str(args.jitter_ms),
             "--storm", str(args.storm)],
            stdout=subprocess.PIPE, text=True, cwd=REPO, start_new_session=True,
        )  # fmt: skip
        started.append(sim)  # type: ignore[arg-type]
        assert sim.stdout is not None
        sim_url = sim.stdout.readline().split()[-1]
        redis_url = start_redis(started, workdir)
        env = {
            **os.environ,
            "PYTHONPATH": str(REPO),
            "AWS_ENDPOINT_URL": sim_url,
            "AWS_ACCESS_KEY_ID": "simulated",
            "AWS_SECRET_ACCESS_KEY": "simulated",
            "AWS_DEFAULT_REGION": "us-east-1",
            "DRIFTQ_REDIS_URL": redis_url,
            "DRIFTQ_CONFIG": str(config),
            "DRIFTQ_DATABASE_URL": "off",
        }
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
            env.pop(name, None)
        app = "workers"
        if args.cprofile:
            app = "benchmarks.profiled_worker"
            env["DRIFTQ_CPROFILE_DIR"] = str(workdir / "cprofile")
            (workdir / "cprofile").mkdir()
        logs = [
            start_worker(started, f"scale{n}", env, workdir, args.concurrency, app)
            for n in range(args.workers)
        ]
        for log in logs:
            wait_ready(log, timeout=300)
        workers = [p.pid for p in started[2:]]
        urllib.request.urlopen(urllib.request.Request(f"{sim_url}/_sim/reset", method="POST"))
        out = workdir / "report"
        cpu_before = {
            "workers": tree_cpu(workers),
            "main": sum(map(cpu_seconds, workers)),
            "simulator": cpu_seconds(sim.pid),
        }
        cpu_before["redis"] = cpu_seconds(started[1].pid)
        began = time.monotonic()
        submit = spawn(
            started,
            [str(BIN / "driftq"), "submit", "-c", str(config), "--wait", "-q", "-o", str(out)],
            env,
            workdir / "submit.log",
        )
        profile = None
        if args.profile:
            pool = descendants(workers[0])[0]
            profile = subprocess.Popen(
                [str(BIN / "py-spy"), "record", "--pid", str(pool), "--duration",
                 str(round(args.profile)), "--format", "raw", "--nonblocking", "-o",
                 str(workdir / "profile.txt")],
                stdout=subprocess.DEVNULL, stderr=(workdir / "py-spy.log").open("wb"),
            )  # fmt: skip
        submit.wait()
        wall = time.monotonic() - began
        if profile is not None:
            profile.wait()
        stats = json.loads(urllib.request.urlopen(f"{sim_url}/_sim/stats").read())
        cpu = {
            "workers": tree_cpu(workers) - cpu_before["workers"],
            "main": sum(map(cpu_seconds, workers)) - cpu_before["main"],
            "simulator": cpu_seconds(sim.pid) - cpu_before["simulator"],
            "redis": cpu_seconds(started[1].pid) - cpu_before["redis"],
        }
        rss = {
            f"worker {n} {'main' if pid == root else 'pool'} {pid}": peak_rss_mb(pid)
            for n, root in enumerate(workers)
            for pid in [root, *descendants(root)]
        }
    report_file = out / "report.json"
    if not report_file.exists():
        print((workdir / "submit.log").read_text()[-3000:])
        raise SystemExit(f"no report: see {workdir}")
    report = json.loads(report_file.read_text())
    summary = report["summary"]
    bound, bound_by = lower_bound(stats, args.latency_ms / 1000, concurrency)
    print(f"wall time: {wall:.1f} s  (load {os.getloadavg()[0]:.2f})")
    print(f"units: {summary['units']} ({summary['units'] / wall:.1f} units/s)")
    print(f"failed units: {summary['units_failed']}")
    print(f"api calls: {stats['calls']}")
    print(f"api calls/s: {stats['calls'] / wall:.0f}")
    print(f"throttled calls: {stats['throttled']}  (storm: {stats['stormed']})")
    print(f"unanswered by the recording: {sum(stats['unmatched'].values())}")
    by_action: dict[str, int] = {}
    for _account, _region, action, calls, *_ in stats["rows"]:
        by_action[action] = by_action.get(action, 0) + calls
    # once per account and process at best: each pool process reads an account's states
    # (a listing, then each object, 304 when unchanged) and assumes its role
    print(
        f"state reads: {by_action.get('s3:ListObjectsV2', 0)} "
        f"({by_action.get('s3:GetObject', 0)} objects); "
        f"AssumeRole: {by_action.get('sts:AssumeRole', 0)}"
    )
    print(f"findings: {len(report['findings'])} (expected {estate.expected_findings()})")
    for name, mb in sorted(rss.items()):
        print(f"peak RSS {name}: {mb:.0f} MB")
    # CPU time is robust to other load on the machine (wall time is not)
    units = max(summary["units"], 1)
    print(
        f"worker cpu: {cpu['workers']:.1f} s ({cpu['workers'] / units * 1000:.0f} ms/unit, "
        f"{cpu['workers'] / max(stats['calls'], 1) * 1000:.1f} ms/call; of which the workers' "
        f"main processes {cpu['main'] / units * 1000:.0f} ms/unit); simulator "
        f"{cpu['simulator']:.1f} s; redis {cpu['redis']:.1f} s"
    )
    print(f"lower bound: {bound:.1f} s ({bound_by})")
    print(f"ratio to limit: {wall / bound:.2f}")
    errors = report.get("errors") or []
    for error in errors[:5]:
        print(f"  error: {error['account']}/{error['region']}/{error['service']}: {error['code']}")
    if args.profile:
        if (workdir / "profile.txt").exists():
            print_profile(workdir / "profile.txt")
        else:
            print((workdir / "py-spy.log").read_text()[-2000:])
    if args.cprofile:
        print_cprofile(workdir / "cprofile", summary["units"])
    if args.keep:
        (workdir / "sim-stats.json").write_text(json.dumps(stats))
        print(f"kept: {workdir}")


def print_cprofile(folder: Path, units: int, top: int = 45) -> None:
    """The pool processes' CPU profiles merged: cumulative CPU ms per unit by function."""
    files = sorted(folder.glob("*.prof"))
    if not files:
        print("no CPU profile written (fewer than 10 tasks per process?)")
        return
    stats = pstats.Stats(*map(str, files))
    total = max(stats.total_tt, 1e-9)  # type: ignore[attr-defined]
    rows = []
    for (path, line, name), (_cc, _nc, tottime, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
        where = path.split("site-packages/")[-1].split(str(REPO) + "/")[-1]
        rows.append((cumtime, tottime, f"{name} ({where}:{line})"))
    print(f"CPU profile of the pool processes: {total:.1f} s in tasks ({len(files)} processes)")
    print("  cum ms/unit  self ms/unit  function")
    for cumtime, tottime, name in sorted(rows, reverse=True)[:top]:
        print(f"  {cumtime / units * 1000:11.1f}  {tottime / units * 1000:12.1f}  {name}")
    print("  top self time:")
    for cumtime, tottime, name in sorted(rows, key=lambda r: -r[1])[:25]:
        print(f"  {cumtime / units * 1000:11.1f}  {tottime / units * 1000:12.1f}  {name}")


def print_profile(raw: Path, top: int = 30) -> None:
    """Inclusive share of samples per function (py-spy's raw output: one stack a line)."""
    inclusive: dict[str, int] = {}
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        total += int(count)
        seen = set()
        for frame in stack.split(";"):
            name, _, where = frame.partition(" (")
            where = where.split("site-packages/")[-1].split(str(REPO) + "/")[-1]
            key = f"{name} ({where.rsplit(':', 1)[0]})"
            if key not in seen:
                seen.add(key)
                inclusive[key] = inclusive.get(key, 0) + int(count)
    print(f"profile of one pool process: {total} samples of its busy time")
    hot = [(n, k) for k, n in inclusive.items() if "celery" not in k and "billiard" not in k]
    for n, key in sorted(hot, reverse=True)[:top]:
        print(f"  {n / max(total, 1):6.1%}  {key}")


if __name__ == "__main__":
    main()
