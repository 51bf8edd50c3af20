"""CloudWatch metric alarms (`aws_cloudwatch_metric_alarm`), keyed and imported by name.

One paginated DescribeAlarms (metric alarms only) answers every setting; tags come from
the Resource Groups Tagging API (one listing per region) instead of a call per alarm.
Composite alarms are another type (`aws_cloudwatch_composite_alarm`), not listed.
"""

from __future__ import annotations

from typing import Any

from driftq.resources.attributes import IDENTITY, because, common
from driftq.resources.context import ScanContext
from driftq.resources.spec import Attrs, ListCall, ResourceSpec, tagging_api


def _dimensions(items: Any) -> dict[str, str]:
    return {d["Name"]: d.get("Value", "") for d in items or []}


def _query(api: dict[str, Any]) -> dict[str, Any]:
    stat = api.get("MetricStat") or {}
    metric = stat.get("Metric") or {}
    return {
        "id": api.get("Id"),
        "expression": api.get("Expression") or "",
        "label": api.get("Label") or "",
        "return_data": bool(api.get("ReturnData")),
        "period": api.get("Period") or 0,
        "account_id": api.get("AccountId") or "",
        "metric": [
            {
                "metric_name": metric.get("MetricName"),
                "namespace": metric.get("Namespace"),
                "dimensions": _dimensions(metric.get("Dimensions")),
                "period": stat.get("Period"),
                "stat": stat.get("Stat"),
                "unit": stat.get("Unit") or "",
            }
        ]
        if stat
        else [],
    }


def _alarm(item: dict[str, Any], ctx: ScanContext) -> Attrs:
    return {
        "id": item["AlarmName"],
        "alarm_name": item["AlarmName"],
        "arn": item.get("AlarmArn"),
        "alarm_description": item.get("AlarmDescription") or "",
        "actions_enabled": bool(item.get("ActionsEnabled", True)),
        "alarm_actions": list(item.get("AlarmActions") or []),
        "ok_actions": list(item.get("OKActions") or []),
        "insufficient_data_actions": list(item.get("InsufficientDataActions") or []),
        "metric_name": item.get("MetricName") or "",
        "namespace": item.get("Namespace") or "",
        "statistic": item.get("Statistic") or "",
        "extended_statistic": item.get("ExtendedStatistic") or "",
        "dimensions": _dimensions(item.get("Dimensions")),
        "period": item.get("Period") or 0,
        "unit": item.get("Unit") or "",
        "evaluation_periods": item.get("EvaluationPeriods"),
        "datapoints_to_alarm": item.get("DatapointsToAlarm") or 0,
        "threshold": item.get("Threshold") or 0,
        "threshold_metric_id": item.get("ThresholdMetricId") or "",
        "comparison_operator": item.get("ComparisonOperator"),
        "treat_missing_data": item.get("TreatMissingData") or "missing",
        "evaluate_low_sample_count_percentiles": item.get("EvaluateLowSampleCountPercentile") or "",
        "metric_query": [_query(q) for q in item.get("Metrics") or []],
    }


_COMPARED = (
    "alarm_description",
    "actions_enabled",
    "alarm_actions",
    "ok_actions",
    "insufficient_data_actions",
    "metric_name",
    "namespace",
    "statistic",
    "extended_statistic",
    "dimensions",
    "period",
    "unit",
    "evaluation_periods",
    "datapoints_to_alarm",
    "threshold",
    "threshold_metric_id",
    "comparison_operator",
    "treat_missing_data",
    "evaluate_low_sample_count_percentiles",
    "metric_query",
    "tags",
)

SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_cloudwatch_metric_alarm",
        service="cloudwatch",
        list_call=ListCall(
            operation="DescribeAlarms",
            items="MetricAlarms[]",
            params={"AlarmTypes": ["MetricAlarm"]},
        ),
        tags=tagging_api("cloudwatch:alarm", key="AlarmArn"),
        normalize=_alarm,
        compared=_COMPARED,
        left_out=common("id", "region", "tags_all", "arn") | because(IDENTITY, "alarm_name"),
        value_forms={"treat_missing_data": lambda v: v or "missing"},
        import_id_format="alarm name, e.g. high-cpu",
    ),
]
