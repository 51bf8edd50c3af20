"""Hostile and careless input, tried the way a user meets it: `driftq` as a subprocess.

Each case runs the installed command in a scratch folder against a moto server on loopback,
with a time limit (a hang) and an address-space limit (a memory bomb), and is classed:

    refused   exit 2 and one `driftq: error:` line (what bad input must give)
    ok        the command did its job (exit 0 or 1); `expect` says which cases may
    INTERNAL  "internal error", a traceback, or more than one error line
    HANG      still running at the time limit
    BOMB      killed by the memory limit

    .venv/bin/python -m benchmarks.hostile_inputs [--only NAME]

Prints one line per case and the counts; exits 1 when a case's class is not its expected one.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.estate import StateFile, new_account_id
from tests.support.moto import start_moto

BIN = Path(sys.executable).parent / "driftq"
TIME_LIMIT_S = 20
MEMORY_LIMIT = 1536 * 2**20


@dataclass
class Case:
    name: str
    argv: list[str]
    # files to write before the run, relative to the scratch folder (str or bytes)
    files: dict[str, str | bytes] = field(default_factory=dict)
    expect: str = "refused"
    setup: Callable[[Path], None] | None = None
    # a check of the scratch folder after the run (e.g. a FIFO is still a FIFO)
    after: Callable[[Path], str | None] | None = None
    env: dict[str, str] = field(default_factory=dict)


def base_config(
    account_id: str, *, state: str = "s.tfstate", extra: str = "", account: str = ""
) -> str:
    entry = account or (
        f"""  - name: main
    account_id: "{account_id}"
    role_arn: arn:aws:iam::{account_id}:role/DriftqScanner
    external_id: hostile-test
    regions: [us-east-1]
    state_backend: {{type: local, path: {state}}}
"""
    )
    return f"""version: "1.0"
defaults: {{services: [sqs], parallel_workers: 2, timeout: 60s}}
accounts:
{entry}{extra}"""


def _state() -> str:
    return json.dumps(
        {
            "version": 4,
            "terraform_version": "1.6.0",
            "serial": 1,
            "lineage": "x",
            "outputs": {},
            "resources": StateFile().resources,
        }
    )


def _deep_json(depth: int) -> str:
    return "[" * depth + "]" * depth


def cases(account_id: str) -> list[Case]:
    ok_config = base_config(account_id)
    good = {"c.yaml": ok_config, "s.tfstate": _state()}
    validate = ["validate", "-c", "c.yaml"]
    scan = ["scan", "-c", "c.yaml", "-q"]
    out: list[Case] = [Case("baseline scan", [*scan, "-o", "out"], good, expect="ok")]

    def config_case(name: str, text: str | bytes, expect: str = "refused") -> None:
        out.append(
            Case(f"config: {name}", validate, {"c.yaml": text, "s.tfstate": _state()}, expect)
        )

    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    config_case("YAML alias bomb (9^9 nodes)", bomb)
    config_case("alias bomb inside accounts", ok_config.replace("accounts:", bomb + "accounts:"))
    for value in (
        ".inf",
        "-.inf",
        ".nan",
        "99999999999999999999d",
        "[1, 2]",
        "{a: 1}",
        "0",
        "-5s",
        "1e400",
        "true",
        '"1e3"',
        "1.5h",
        '""',
        "1 fortnight",
    ):
        expect = "ok" if value == "1.5h" else "refused"
        config_case(
            f"timeout: {value}", ok_config.replace("timeout: 60s", f"timeout: {value}"), expect
        )
        if value in (".nan", ".inf"):
            config_case(f"interval: {value}", ok_config + f"monitoring: {{interval: {value}}}\n")
    config_case("20k-deep YAML list", ok_config + "x: " + "[" * 20000 + "]" * 20000 + "\n")
    config_case(
        "20k-deep block YAML", ok_config + "x:\n" + "".join(" " * i + "- \n" for i in range(2000))
    )
    config_case(
        "4301-digit integer",
        ok_config.replace("parallel_workers: 2", "parallel_workers: " + "9" * 4301),
    )
    config_case("4301-digit integer elsewhere", ok_config + "x: " + "9" * 5000 + "\n")
    config_case(
        "parallel_workers: true", ok_config.replace("parallel_workers: 2", "parallel_workers: true")
    )
    config_case(
        "parallel_workers: 2.5", ok_config.replace("parallel_workers: 2", "parallel_workers: 2.5")
    )
    config_case(
        "parallel_workers: '4'",
        ok_config.replace("parallel_workers: 2", "parallel_workers: '4'"),
        expect="ok",
    )
    config_case(
        "services: [sqs, sqs]", ok_config.replace("services: [sqs]", "services: [sqs, sqs]")
    )
    config_case("services: sqs (a string)", ok_config.replace("services: [sqs]", "services: sqs"))
    config_case("services: []", ok_config.replace("services: [sqs]", "services: []"))
    config_case(
        "regions twice",
        ok_config.replace("regions: [us-east-1]", "regions: [us-east-1, us-east-1]"),
    )
    config_case(
        "regions: us-east-1 (a string)",
        ok_config.replace("regions: [us-east-1]", "regions: us-east-1"),
    )
    twin = ok_config + ok_config.split("accounts:\n", 1)[1].replace("name: main", "name: other")
    config_case("same account_id under two names", twin)
    for bad in ("..", ".", "a/b", "../x", "-rf", "ü", "x" * 300, "a b", "con\x1b[31m"):
        config_case(
            f"account name {bad[:20]!r}",
            ok_config.replace("name: main", f"name: {json.dumps(bad)}"),
        )
    config_case("empty file", "")
    config_case("only a comment", "# nothing\n")
    config_case("a list at top level", "- a\n- b\n")
    config_case("a scalar at top level", "hello\n")
    config_case("binary garbage", bytes(range(256)) * 4)
    config_case("latin-1 bytes", ok_config.encode("utf-8") + "# caf\xe9\n".encode("latin-1"))
    config_case("UTF-16 with BOM", ok_config.encode("utf-16"))
    config_case("UTF-8 BOM", "\ufeff" + ok_config, expect="ok")
    config_case("NUL byte", ok_config + "\x00\n")
    config_case("tabs for indentation", ok_config.replace("    account_id", "\taccount_id"))
    config_case("duplicate top-level key", ok_config + "defaults: {}\n")
    config_case("accounts: null", 'version: "1.0"\naccounts:\n')
    config_case("accounts: a mapping", 'version: "1.0"\naccounts: {a: 1}\n')
    config_case("account_id 11 digits", ok_config.replace(f'"{account_id}"', '"12345678901"'))
    config_case(
        "account_id int with 13 digits", ok_config.replace(f'"{account_id}"', "1234567890123")
    )
    config_case(
        "external_id: 1 char", ok_config.replace("external_id: hostile-test", "external_id: x")
    )
    config_case(
        "external_id: a list", ok_config.replace("external_id: hostile-test", "external_id: [a, b]")
    )
    config_case("version: 2", ok_config.replace('version: "1.0"', "version: 2"))
    config_case("unknown key", ok_config + "unknwon: 1\n")
    config_case("python tag", ok_config + "x: !!python/object/apply:os.system [id]\n")
    config_case(
        "unset ${VAR} in role_arn",
        ok_config.replace(
            f"arn:aws:iam::{account_id}:role/DriftqScanner", "${DRIFTQ_HOSTILE_UNSET}"
        ),
    )
    config_case(
        "${VAR} expanding to YAML", ok_config.replace("hostile-test", "${HOME}"), expect="ok"
    )
    config_case(
        "smtp_port: 99999",
        ok_config
        + "notifications: {email: {smtp_host: h, from: a@b, to: [c@d], smtp_port: 99999}}\n",
    )
    config_case(
        "rate limit refill .nan",
        ok_config + "monitoring: {rate_limits: {sqs: {burst: 1, refill_per_second: .nan}}}\n",
    )
    config_case(
        "rate limit refill .inf",
        ok_config + "monitoring: {rate_limits: {sqs: {burst: 1, refill_per_second: .inf}}}\n",
    )
    config_case(
        "threshold -1",
        ok_config + "monitoring: {thresholds: {critical: {drifted_resources: -1}}}\n",
    )
    config_case(
        "exclusion pattern not a string", ok_config + "exclusions: {resource_patterns: [[1]]}\n"
    )
    config_case("1 MB of comments", ok_config + ("# " + "x" * 98 + "\n") * 10000, expect="ok")
    config_case("50 MB config", ok_config + ("# " + "x" * 98 + "\n") * 500000)
    out.append(Case("config: a directory", ["validate", "-c", "."], {}))
    out.append(Case("config: /dev/null", ["validate", "-c", "/dev/null"], {}))
    out.append(Case("config: missing", ["validate", "-c", "nope.yaml"], {}))
    out.append(
        Case(
            "config: symlink loop",
            ["validate", "-c", "loop.yaml"],
            {},
            setup=lambda d: os.symlink("loop.yaml", d / "loop.yaml"),
        )
    )
    out.append(
        Case(
            "config: a FIFO",
            ["validate", "-c", "fifo.yaml"],
            {},
            setup=lambda d: os.mkfifo(d / "fifo.yaml"),
        )
    )

    def state_case(name: str, text: str | bytes, expect: str = "refused") -> None:
        # an unreadable state is an error on its account's units, not the end of the run:
        # "refused" here means exit 1 with a partial report whose errors are StateErrors
        out.append(
            Case(
                f"state: {name}",
                [*scan, "-o", "out"],
                {"c.yaml": ok_config, "s.tfstate": text},
                "ok",
                after=_state_refused if expect == "refused" else None,
            )
        )

    state_case("100k-deep JSON arrays", '{"version": 4, "resources": ' + _deep_json(100000) + "}")
    state_case(
        "100k-deep JSON in attributes",
        json.dumps(
            {
                "version": 4,
                "resources": [
                    {
                        "mode": "managed",
                        "type": "aws_sqs_queue",
                        "name": "q",
                        "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
                        "instances": [{"attributes": {"id": "x", "policy": None}}],
                    }
                ],
            }
        ).replace("null", _deep_json(100000)),
    )
    state_case("5000-digit number", '{"version": 4, "serial": ' + "9" * 5000 + ', "resources": []}')
    state_case("version: 4.0", '{"version": 4.0, "resources": []}', expect="ok")
    state_case("version: 1e999", '{"version": 1e999, "resources": []}')
    state_case("version: NaN", '{"version": NaN, "resources": []}')
    state_case("empty", "")
    state_case("binary", bytes(range(256)))
    state_case("UTF-16", json.dumps({"version": 4, "resources": []}).encode("utf-16"))
    state_case("resources: a dict", '{"version": 4, "resources": {}}')
    state_case(
        "instances: a string",
        json.dumps(
            {
                "version": 4,
                "resources": [
                    {"mode": "managed", "type": "aws_sqs_queue", "name": "q", "instances": "oops"}
                ],
            }
        ),
    )
    state_case(
        "attributes with a list for tags",
        json.dumps(
            {
                "version": 4,
                "resources": [
                    {
                        "mode": "managed",
                        "type": "aws_sqs_queue",
                        "name": "q",
                        "instances": [
                            {"attributes": {"id": "https://x/q", "tags": ["a"], "tags_all": 5}}
                        ],
                    }
                ],
            }
        ),
        expect="ok",
    )
    state_case(
        "sensitive_attributes garbage",
        json.dumps(
            {
                "version": 4,
                "resources": [
                    {
                        "mode": "managed",
                        "type": "aws_sqs_queue",
                        "name": "q",
                        "instances": [
                            {
                                "attributes": {"id": "https://x/q"},
                                "sensitive_attributes": [5, "x", [[]], [{}]],
                            }
                        ],
                    }
                ],
            }
        ),
        expect="ok",
    )
    state_case(
        "type not a string",
        json.dumps(
            {
                "version": 4,
                "resources": [
                    {
                        "mode": "managed",
                        "type": ["aws_sqs_queue"],
                        "name": {"a": 1},
                        "instances": [{"attributes": {"id": 5}, "index_key": [1]}],
                    }
                ],
            }
        ),
        expect="ok",
    )
    state_case("top-level list", "[]")
    out.append(
        Case(
            "state: a directory with a bad file",
            [*scan, "-o", "out"],
            {"c.yaml": base_config(account_id, state="states"), "states/a.tfstate": "{"},
            "ok",
            after=_state_refused,
        ),
    )

    for name, setup in (
        ("a FIFO nobody writes", lambda d: os.mkfifo(d / "s.tfstate")),
        ("/dev/zero", lambda d: os.symlink("/dev/zero", d / "s.tfstate")),
        ("a symlink loop", lambda d: os.symlink("s.tfstate", d / "s.tfstate")),
    ):
        out.append(
            Case(
                f"state: the state path is {name}",
                [*scan, "-o", "out"],
                {"c.yaml": ok_config},
                "ok",
                setup=setup,
                after=_state_refused,
            )
        )

    def output_case(
        name: str,
        argv: list[str],
        files: dict[str, str | bytes] | None = None,
        setup: Callable[[Path], None] | None = None,
        after: Callable[[Path], str | None] | None = None,
        expect: str = "refused",
    ) -> None:
        out.append(Case(f"output: {name}", argv, {**good, **(files or {})}, expect, setup, after))

    output_case("-o is a file", [*scan, "-o", "afile"], {"afile": "x"})
    output_case("-o under a file", [*scan, "-o", "afile/sub"], {"afile": "x"})
    output_case("-o unwritable dir", [*scan, "-o", "/proc/driftq-out"])
    output_case(
        "--save-report under a file",
        [*scan, "-o", "out", "--save-report", "afile/r.json"],
        {"afile": "x"},
    )
    output_case(
        "--save-report a directory of ours",
        [*scan, "-o", "out", "--save-report", "sr/"],
        expect="ok",
    )
    # a private null device in the scratch folder: never the machine's own /dev/null
    output_case(
        "--save-report onto a character device",
        [*scan, "-o", "out", "--save-report", "null"],
        setup=lambda d: os.mknod(d / "null", stat.S_IFCHR | 0o666, os.makedev(1, 3)),
        expect="ok",
        after=lambda d: None if (d / "null").is_char_device() else "the device was replaced",
    )
    output_case(
        "--save-report onto a FIFO nobody reads",
        [*scan, "-o", "out", "--save-report", "fifo"],
        setup=lambda d: os.mkfifo(d / "fifo"),
        after=lambda d: None if (d / "fifo").is_fifo() else "the FIFO was replaced",
    )
    output_case(
        "--save-report onto a FIFO being read",
        [*scan, "-o", "out", "--save-report", "fifo"],
        setup=_fifo_with_reader,
        after=lambda d: (
            None
            if (d / "fifo").is_fifo() and '"run_id"' in _read_when_done(d / "got")
            else "the FIFO was replaced or got no report"
        ),
        expect="ok",
    )
    output_case(
        "--save-report onto a symlink",
        [*scan, "-o", "out", "--save-report", "link.json"],
        setup=lambda d: os.symlink("target.json", d / "link.json"),
        after=lambda d: (
            None
            if (d / "link.json").is_symlink() and (d / "target.json").is_file()
            else "the symlink was replaced, or its target not written"
        ),
        expect="ok",
    )
    output_case(
        "--save-report {account} with --account ..",
        [*scan, "-o", "out", "--account", "..", "--save-report", "sr/{account}/r.json"],
    )
    output_case(
        "--save-report a directory name", [*scan, "-o", "out", "--save-report", "out"], expect="ok"
    )
    output_case("-o onto a FIFO", [*scan, "-o", "fifo"], setup=lambda d: os.mkfifo(d / "fifo"))
    out.append(
        Case(
            "consolidate: --output is a directory",
            ["report", "consolidate", "--input-dir", "in", "--output", "in"],
            {"in/r.json": "{}"},
        ),
    )
    out.append(
        Case(
            "consolidate: --output under a file",
            ["report", "consolidate", "--input-dir", "in", "--output", "afile/x.html"],
            {"in/r.json": "{}", "afile": "x"},
        ),
    )
    for name, text in (
        ("100k-deep JSON", _deep_json(100000)),
        ("5000-digit number", '{"findings": [], "summary": {}, "x": ' + "9" * 5000 + "}"),
        ("findings: a string", '{"schema_version": 1, "findings": "x", "summary": {}}'),
        (
            "summary counts strings",
            json.dumps(
                {
                    "schema_version": 1,
                    "run_id": "r",
                    "started_at": "a",
                    "finished_at": "b",
                    "status": "complete",
                    "severity": "ok",
                    "thresholds": [],
                    "errors": [],
                    "findings": [],
                    "summary": {"units": "many"},
                }
            ),
        ),
        (
            "a finding without kind",
            json.dumps(
                {
                    "schema_version": 1,
                    "run_id": "r",
                    "started_at": "a",
                    "finished_at": "b",
                    "status": "complete",
                    "severity": "ok",
                    "thresholds": [],
                    "errors": [],
                    "findings": [{"account": "a"}],
                    "summary": {},
                }
            ),
        ),
        (
            "severity unknown",
            json.dumps(
                {
                    "schema_version": 1,
                    "run_id": "r",
                    "started_at": "a",
                    "finished_at": "b",
                    "status": "complete",
                    "severity": "doom",
                    "thresholds": [],
                    "errors": [],
                    "findings": [],
                    "summary": {},
                }
            ),
        ),
        ("binary", bytes(range(256))),
    ):
        out.append(
            Case(
                f"consolidate: {name}",
                ["report", "consolidate", "--input-dir", "in", "--output", "merged.html"],
                {"in/r.json": text},
            ),
        )
    history = {"DRIFTQ_DATABASE_URL": "sqlite:///{folder}/history.db"}
    for limit in ("-1", "0", "9" * 30, "x"):
        out.append(
            Case(
                f"history --limit {limit[:12]}",
                ["history", "--limit", limit],
                {},
                env=history,
                expect="refused",
            )
        )
    out.append(
        Case(
            "history: the database is a text file",
            ["history"],
            {"history.db": "not sqlite"},
            env=history,
        )
    )
    out.append(
        Case(
            "scan --account twice",
            [*scan, "-o", "out", "--account", "main", "--account", "main"],
            good,
            expect="ok",
        )
    )
    out.append(Case("scan --region bogus", [*scan, "-o", "out", "--region", "mars-1"], good))
    out.append(Case("scan --service bogus", [*scan, "-o", "out", "--service", "ec3"], good))
    return out


def _fifo_with_reader(folder: Path) -> None:
    os.mkfifo(folder / "fifo")
    subprocess.Popen(
        ["sh", "-c", "cat fifo > got.tmp && mv got.tmp got"], cwd=folder, start_new_session=True
    )


def _read_when_done(path: Path) -> str:
    deadline = time.monotonic() + 10
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return path.read_text() if path.exists() else ""


def _state_refused(folder: Path) -> str | None:
    """None when the run refused the state cleanly: a partial report, only StateErrors."""
    try:
        report = json.loads((folder / "out" / "report.json").read_text())
    except (OSError, ValueError) as exc:
        return f"no report: {exc}"
    codes = {e["code"] for e in report["errors"]}
    if report["status"] != "partial" or codes != {"StateError"}:
        return f"state accepted or wrongly refused: {report['status']}, {sorted(codes)}"
    return None


def classify(rc: int | None, stderr: str) -> str:
    if rc is None:
        return "HANG"
    lines = [line for line in stderr.splitlines() if line.strip()]
    if "internal error" in stderr or "Traceback" in stderr:
        return "INTERNAL"
    if rc in (-9, 137) or "MemoryError" in stderr:
        return "BOMB"
    if rc == 2:
        errors = [line for line in lines if line.startswith("driftq: error:")]
        usage = [line for line in lines if line.startswith("usage:")]
        return (
            "refused" if len(errors) == 1 and len(lines) == len(errors) + len(usage) else "INTERNAL"
        )
    return "ok" if rc in (0, 1) else f"exit {rc}"


def run_case(case: Case, env: dict[str, str]) -> tuple[str, str, float]:
    folder = Path(tempfile.mkdtemp(prefix="hostile-"))
    try:
        for name, content in case.files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content)
        if case.setup:
            case.setup(folder)
        started = time.monotonic()
        process = subprocess.Popen(
            [str(BIN), *case.argv],
            cwd=folder,
            env={**env, **{k: v.replace("{folder}", str(folder)) for k, v in case.env.items()}},
            text=True,
            errors="replace",
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT)),
        )
        try:
            _, stderr = process.communicate(timeout=TIME_LIMIT_S)
            rc: int | None = process.returncode
        except subprocess.TimeoutExpired:
            process.kill()
            _, stderr = process.communicate()
            rc = None
        took = time.monotonic() - started
        verdict = classify(rc, stderr)
        if case.after and verdict != "HANG":
            problem = case.after(folder)
            if problem:
                verdict, stderr = "WRONG", problem
        last = (stderr.strip().splitlines() or [""])[-1]
        return verdict, last[:150], took
    finally:
        for path in folder.rglob("*"):
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o700)
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run the cases whose name contains this")
    args = parser.parse_args()
    moto = start_moto()
    try:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DRIFTQ_"))},
            "AWS_ENDPOINT_URL": moto.url,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "DRIFTQ_DATABASE_URL": "off",
        }
        counts: Counter[str] = Counter()
        unexpected = 0
        for case in cases(new_account_id()):
            if args.only and args.only not in case.name:
                continue
            verdict, last, took = run_case(case, env)
            counts[verdict] += 1
            mark = "  " if verdict == case.expect else "!!"
            unexpected += verdict != case.expect
            print(f"{mark} {verdict:<9} {took:5.1f}s  {case.name:<45} {last}", flush=True)
        print(
            f"{sum(counts.values())} cases: "
            + ", ".join(f"{n} {v}" for v, n in counts.most_common())
            + f"; {unexpected} not as expected"
        )
        return 1 if unexpected else 0
    finally:
        moto.stop()


if __name__ == "__main__":
    sys.exit(main())
