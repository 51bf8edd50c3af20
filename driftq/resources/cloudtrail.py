"""CloudTrail trails (`aws_cloudtrail`), keyed by name, imported by ARN (provider 5+).

DescribeTrails (without shadow trails: a multi-region trail is listed only in its home
region) answers the settings; whether it is logging (GetTrailStatus), its event selectors,
basic and advanced (GetEventSelectors), its insight selectors (GetInsightSelectors) and its
tags (ListTags) are one call each per trail. Accounts hold a
handful of trails (AWS allows five per region), so there is no batch to gain. An
organization trail seen from a member account belongs to the management account: silent.
"""

from __future__ import annotations

from typing import Any

from driftq.resources.attributes import COMPUTED, IDENTITY, because, common
from driftq.resources.context import ScanContext
from driftq.resources.spec import Attrs, Detail, ListCall, ResourceSpec, Tags

_BY_ARN = {"Name": "TrailARN"}


def _selectors(items: Any) -> list[dict[str, Any]]:
    return [
        {
            "read_write_type": s.get("ReadWriteType") or "All",
            "include_management_events": bool(s.get("IncludeManagementEvents", True)),
            "exclude_management_event_sources": list(s.get("ExcludeManagementEventSources") or []),
            "data_resource": [
                {"type": d.get("Type"), "values": list(d.get("Values") or [])}
                for d in s.get("DataResources") or []
            ],
        }
        for s in items or []
    ]


_FIELD_OPERATORS = {
    "equals": "Equals",
    "not_equals": "NotEquals",
    "starts_with": "StartsWith",
    "not_starts_with": "NotStartsWith",
    "ends_with": "EndsWith",
    "not_ends_with": "NotEndsWith",
}


def _advanced(items: Any) -> list[dict[str, Any]]:
    return [
        {
            "name": s.get("Name") or "",
            "field_selector": [
                {
                    "field": f.get("Field"),
                    **{tf: list(f.get(api) or []) for tf, api in _FIELD_OPERATORS.items()},
                }
                for f in s.get("FieldSelectors") or []
            ],
        }
        for s in items or []
    ]


def _insights(answer: Any) -> list[dict[str, Any]]:
    # a trail without insights answers InsightNotEnabledException: None, no selector
    return [
        {
            "insight_type": i.get("InsightType"),
            "event_categories": list(i.get("EventCategories") or []),
        }
        for i in (answer or {}).get("InsightSelectors") or []
    ]


def _default_selector(value: Any) -> Any:
    # a trail never given selectors has AWS's one: all management events, read and write
    blocks = value if isinstance(value, list) else []
    default = {
        "read_write_type": "All",
        "include_management_events": True,
        "exclude_management_event_sources": [],
        "data_resource": [],
    }
    canonical = [
        {**default, **{k: v for k, v in b.items() if v not in (None, "")}}
        for b in blocks
        if isinstance(b, dict)
    ]
    return [] if canonical == [default] else canonical


def _trail(item: dict[str, Any], ctx: ScanContext) -> Attrs:
    selectors = item.get("Selectors") or {}
    return {
        "id": item["TrailARN"],
        "arn": item["TrailARN"],
        "name": item["Name"],
        "s3_bucket_name": item.get("S3BucketName"),
        "s3_key_prefix": item.get("S3KeyPrefix") or "",
        "sns_topic_name": item.get("SnsTopicName") or "",
        "include_global_service_events": bool(item.get("IncludeGlobalServiceEvents")),
        "is_multi_region_trail": bool(item.get("IsMultiRegionTrail")),
        "is_organization_trail": bool(item.get("IsOrganizationTrail")),
        "enable_log_file_validation": bool(item.get("LogFileValidationEnabled")),
        "kms_key_id": item.get("KmsKeyId") or "",
        "cloud_watch_logs_group_arn": item.get("CloudWatchLogsLogGroupArn") or "",
        "cloud_watch_logs_role_arn": item.get("CloudWatchLogsRoleArn") or "",
        "enable_logging": bool((item.get("Status") or {}).get("IsLogging")),
        "event_selector": _selectors(selectors.get("EventSelectors")),
        "advanced_event_selector": _advanced(selectors.get("AdvancedEventSelectors")),
        "insight_selector": _insights(item.get("Insights")),
        "_other_account": item.get("HomeRegion") is not None
        and str(item["TrailARN"]).split(":")[4] != ctx.account_id,
    }


def _name(attrs: Attrs) -> str:
    # provider 5+ ids are ARNs, older ones names: the name is in both
    return str(attrs.get("name") or str(attrs.get("id") or "").rsplit("/", 1)[-1])


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_cloudtrail",
        service="cloudtrail",
        list_call=ListCall(
            operation="DescribeTrails",
            items="trailList[]",
            params={"includeShadowTrails": False},
            paginated=False,
        ),
        calls=(
            Detail(operation="GetTrailStatus", key=_BY_ARN, into="Status"),
            Detail(operation="GetEventSelectors", key={"TrailName": "TrailARN"}, into="Selectors"),
            Detail(
                operation="GetInsightSelectors",
                key={"TrailName": "TrailARN"},
                into="Insights",
                absent=frozenset({"InsightNotEnabledException"}),
            ),
        ),
        tags=Tags(
            path="Tagged[0].TagsList",
            call=Detail(
                operation="ListTags",
                key={"ResourceIdList": lambda item: [item["TrailARN"]]},
                result="ResourceTagList",
                into="Tagged",
            ),
        ),
        normalize=_trail,
        compared=(
            "s3_bucket_name",
            "s3_key_prefix",
            "sns_topic_name",
            "include_global_service_events",
            "is_multi_region_trail",
            "is_organization_trail",
            "enable_log_file_validation",
            "kms_key_id",
            "cloud_watch_logs_group_arn",
            "cloud_watch_logs_role_arn",
            "enable_logging",
            "event_selector",
            "advanced_event_selector",
            "insight_selector",
            "tags",
        ),
        left_out=common("id", "region", "tags_all", "arn")
        | because(IDENTITY, "name")
        | because(COMPUTED, "home_region", "sns_topic_arn"),
        value_forms={"event_selector": _default_selector},
        identity=_name,
        import_id=lambda attrs: str(attrs.get("arn") or ""),
        is_aws_default=lambda attrs: bool(attrs.get("_other_account")),
        import_id_format="trail ARN, e.g. arn:aws:cloudtrail:us-east-1:123456789012:trail/main",
    ),
]
