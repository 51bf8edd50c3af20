"""A trail's advanced event and insight selectors against a real moto server: a trail with
neither is clean against a state with none, a changed advanced selector is drift."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from driftq.model import Unit
from tests.resources.cases.cloudwatch_trail import _trail
from tests.support.scanning import changes, scan_ok

UNIT = Unit("test", "us-east-1", "cloudtrail")


def test_selectors_clean_then_drift(account: Any, tmp_path: Path) -> None:
    built = _trail(account)
    plain_bucket = built.subject("aws_cloudtrail").attributes["s3_bucket_name"]
    cloudtrail = account.client("cloudtrail")
    plain = cloudtrail.create_trail(Name="plain", S3BucketName=plain_bucket)["TrailARN"]
    state = built.state()
    subject = built.subject("aws_cloudtrail").attributes
    plain_state = {
        **subject,
        "id": plain,
        "arn": plain,
        "name": "plain",
        "s3_key_prefix": "",
        "is_multi_region_trail": False,
        "enable_log_file_validation": False,
        "enable_logging": False,
        "advanced_event_selector": [],
        "insight_selector": [],
        "tags": {},
        "tags_all": {},
    }
    state.add("aws_cloudtrail", "plain", plain_state)
    assert scan_ok(account, tmp_path, state, UNIT).findings == []

    cloudtrail.put_event_selectors(
        TrailName=subject["name"],
        AdvancedEventSelectors=[
            {"Name": "all", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}]}
        ],
    )
    (finding,) = scan_ok(account, tmp_path, state, UNIT).findings
    assert list(changes(finding)) == ["advanced_event_selector"]
