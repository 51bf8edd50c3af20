"""`driftq demo` end to end, as a user runs it: its own emulator, its estate, its report.

The demo's drifts are known, so the report must hold exactly them: every drift found
(nothing missed) and nothing else (no false positive from defaults, managed policies, tags
or policy formatting anywhere in three accounts and two regions)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from driftq.demo_estate import _config_text

ROOT = Path(__file__).resolve().parents[1]

EXPECTED = {
    ("production", "drifted", "aws_iam_role", "aws_iam_role.production-app"),
    ("production", "drifted", "aws_instance", "aws_instance.production-app-1"),
    ("production", "drifted", "aws_security_group", "aws_security_group.production-web"),
    ("production", "missing", "aws_sns_topic", "aws_sns_topic.production-alerts"),
    ("production", "unmanaged", "aws_s3_bucket", "driftq-demo-production-adhoc-exports"),
    ("production", "unmanaged", "aws_sqs_queue", "manual-debug-queue"),
    ("staging", "drifted", "aws_kms_key", None),
    ("staging", "drifted", "aws_lambda_function", "aws_lambda_function.staging-thumbnailer"),
    ("staging", "drifted", "aws_s3_bucket_versioning", None),
    ("staging", "missing", "aws_dynamodb_table", "aws_dynamodb_table.staging-sessions"),
    ("staging", "unmanaged", "aws_iam_user", "temp-contractor"),
}


def _key(finding: dict) -> tuple[str, str, str, str | None]:  # type: ignore[type-arg]
    if finding["kind"] == "unmanaged":
        name = finding["resource_id"].rsplit("/", 1)[-1]
    elif finding["resource_type"] in {"aws_kms_key", "aws_s3_bucket_versioning"}:
        name = None
    else:
        name = finding["address"]
    return (finding["account"], finding["kind"], finding["resource_type"], name)


def test_demo_finds_exactly_the_planted_drift(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    proc = subprocess.run(
        [sys.executable, "-m", "driftq.cli", "demo", "--output-dir", str(tmp_path), "--quiet"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["status"] == "complete", report["errors"]
    assert report["summary"]["accounts"] == 3
    assert {_key(f) for f in report["findings"]} == EXPECTED
    changes = {
        (f["resource_type"], c["attribute"])
        for f in report["findings"]
        if f["kind"] == "drifted"
        for c in f["changes"]
    }
    assert changes == {
        ("aws_iam_role", "max_session_duration"),
        ("aws_instance", "tags.Owner"),
        ("aws_security_group", "ingress"),
        ("aws_kms_key", "description"),
        ("aws_lambda_function", "memory_size"),
        ("aws_s3_bucket_versioning", "versioning_configuration"),
    }
    assert report["summary"]["excluded"] == 1  # the bastion's tag drift, by pattern
    assert report["severity"] == "critical"
    assert (tmp_path / "report.html").stat().st_size > 1000
    imports = (tmp_path / "imports" / "production.tf").read_text()
    assert 'id = "driftq-demo-production-adhoc-exports"' in imports
    assert str(tmp_path / "report.html") in proc.stdout


def test_shipped_demo_config_is_the_one_the_demo_writes() -> None:
    shipped = (ROOT / "config" / "demo.yaml").read_text()
    body = _config_text().split("version:", 1)[1]
    assert shipped.split("version:", 1)[1] == body
