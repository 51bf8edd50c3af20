"""Elastic Load Balancing v2: load balancers (`aws_lb`) and target groups
(`aws_lb_target_group`), keyed and imported by ARN.

DescribeLoadBalancers and DescribeTargetGroups list them (pages of 400); each one's
attributes (timeouts, logs, stickiness, ...) take one Describe*Attributes call (AWS has no
batch form); tags come from the Resource Groups Tagging API (one listing per region).
AWS answers only the attributes the load balancer's type has (an NLB has no HTTP/2 switch):
those it does not answer are not compared. Listeners: elbv2_listeners.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from driftq.resources.attributes import COMPUTED, NOT_EMULATED, NOT_YET, because, common
from driftq.resources.context import ScanContext
from driftq.resources.spec import Attrs, Detail, ListCall, ResourceSpec, tagging_api

Item = dict[str, Any]


def _bool(value: str) -> bool:
    return value.lower() == "true"


def _int(value: str) -> int:
    return int(value) if value.lstrip("-").isdigit() else 0


Convert = Callable[[str], Any]
# AWS attribute key -> (Terraform attribute, conversion)
_LB_ATTRIBUTES: dict[str, tuple[str, Convert]] = {
    "deletion_protection.enabled": ("enable_deletion_protection", _bool),
    "idle_timeout.timeout_seconds": ("idle_timeout", _int),
    "routing.http2.enabled": ("enable_http2", _bool),
    "routing.http.drop_invalid_header_fields.enabled": ("drop_invalid_header_fields", _bool),
    "load_balancing.cross_zone.enabled": ("enable_cross_zone_load_balancing", _bool),
    "routing.http.desync_mitigation_mode": ("desync_mitigation_mode", str),
    "routing.http.preserve_host_header.enabled": ("preserve_host_header", _bool),
    "routing.http.xff_header_processing.mode": ("xff_header_processing_mode", str),
    "routing.http.xff_client_port.enabled": ("enable_xff_client_port", _bool),
    "routing.http.x_amzn_tls_version_and_cipher_suite.enabled": (
        "enable_tls_version_and_cipher_suite_headers",
        _bool,
    ),
    "waf.fail_open.enabled": ("enable_waf_fail_open", _bool),
    "client_keep_alive.seconds": ("client_keep_alive", _int),
    "zonal_shift.config.enabled": ("enable_zonal_shift", _bool),
    "dns_record.client_routing_policy": ("dns_record_client_routing_policy", str),
    "secondary_ips.auto_assigned.per_subnet": ("secondary_ips_auto_assigned_per_subnet", _int),
}
_LB_COMPARED = (
    "name",
    "internal",
    "load_balancer_type",
    "ip_address_type",
    "security_groups",
    "subnets",
    "subnet_mapping",
    "access_logs",
    "connection_logs",
    "health_check_logs",
    *(tf for tf, _ in _LB_ATTRIBUTES.values()),
    "tags",
)


def _attributes(item: Item) -> dict[str, str]:
    return {a["Key"]: a.get("Value", "") for a in item.get("Attributes") or []}


def _logs(answer: dict[str, str], prefix: str) -> list[Item]:
    if not any(k.startswith(prefix) for k in answer):
        return []
    return [
        {
            "bucket": answer.get(f"{prefix}bucket", ""),
            "prefix": answer.get(f"{prefix}prefix", ""),
            "enabled": _bool(answer.get(f"{prefix}enabled", "false")),
        }
    ]


def _load_balancer(item: Item, ctx: ScanContext) -> Attrs:
    answer = _attributes(item)
    attrs: Attrs = {
        "id": item["LoadBalancerArn"],
        "arn": item["LoadBalancerArn"],
        "name": item["LoadBalancerName"],
        "internal": item.get("Scheme") == "internal",
        "load_balancer_type": item.get("Type"),
        "ip_address_type": item.get("IpAddressType"),
        "security_groups": list(item.get("SecurityGroups") or []),
        "subnets": [
            z["SubnetId"] for z in item.get("AvailabilityZones") or [] if z.get("SubnetId")
        ],
        "access_logs": _logs(answer, "access_logs.s3."),
        "connection_logs": _logs(answer, "connection_logs.s3."),
        "health_check_logs": _logs(answer, "health_check_logs.s3."),
        "subnet_mapping": _subnet_mappings(item),
    }
    for key, (name, convert) in _LB_ATTRIBUTES.items():
        if key in answer:
            attrs[name] = convert(answer[key])
    return attrs


_MAPPING = ("subnet_id", "allocation_id", "private_ipv4_address", "ipv6_address", "outpost_id")


def _subnet_mappings(item: Item) -> list[Item]:
    out = []
    for zone in item.get("AvailabilityZones") or []:
        # a network load balancer's fixed addresses: at most one per zone
        address = (zone.get("LoadBalancerAddresses") or [{}])[0]
        out.append(
            {
                "subnet_id": zone.get("SubnetId") or "",
                "allocation_id": address.get("AllocationId") or "",
                "private_ipv4_address": address.get("PrivateIPv4Address") or "",
                "ipv6_address": address.get("IPv6Address") or "",
                "outpost_id": zone.get("OutpostId") or "",
            }
        )
    return out


def _mapping_form(value: Any) -> Any:
    # the provider writes every member; a set, compared by its members
    blocks = value if isinstance(value, list) else []
    return [{k: b.get(k) or "" for k in _MAPPING} for b in blocks if isinstance(b, dict)]


def _logs_on(value: Any) -> Any:
    # a disabled log block is no logging: the state holds one or none
    blocks = [b for b in value or [] if isinstance(b, dict)]
    return [b for b in blocks if b.get("enabled") in (True, "true")]


_TG_ATTRIBUTES: dict[str, tuple[str, Convert]] = {
    "deregistration_delay.timeout_seconds": ("deregistration_delay", _int),
    "slow_start.duration_seconds": ("slow_start", _int),
    "load_balancing.algorithm.type": ("load_balancing_algorithm_type", str),
    "proxy_protocol_v2.enabled": ("proxy_protocol_v2", _bool),
    "lambda.multi_value_headers.enabled": ("lambda_multi_value_headers_enabled", _bool),
    "preserve_client_ip.enabled": ("preserve_client_ip", _bool),
    "deregistration_delay.connection_termination.enabled": ("connection_termination", _bool),
    "load_balancing.cross_zone.enabled": ("load_balancing_cross_zone_enabled", str),
    "load_balancing.algorithm.anomaly_mitigation": ("load_balancing_anomaly_mitigation", str),
}


def _health_check(item: Item) -> list[Item]:
    return [
        {
            "enabled": bool(item.get("HealthCheckEnabled", True)),
            "healthy_threshold": item.get("HealthyThresholdCount"),
            "unhealthy_threshold": item.get("UnhealthyThresholdCount"),
            "interval": item.get("HealthCheckIntervalSeconds"),
            "timeout": item.get("HealthCheckTimeoutSeconds"),
            "path": item.get("HealthCheckPath") or "",
            "port": item.get("HealthCheckPort") or "",
            "protocol": item.get("HealthCheckProtocol") or "",
            "matcher": (item.get("Matcher") or {}).get("HttpCode")
            or (item.get("Matcher") or {}).get("GrpcCode")
            or "",
        }
    ]


def _target_group(item: Item, ctx: ScanContext) -> Attrs:
    answer = _attributes(item)
    attrs: Attrs = {
        "id": item["TargetGroupArn"],
        "arn": item["TargetGroupArn"],
        "name": item["TargetGroupName"],
        "port": item.get("Port") or 0,
        "protocol": item.get("Protocol") or "",
        "protocol_version": item.get("ProtocolVersion") or "",
        "target_type": item.get("TargetType"),
        "ip_address_type": item.get("IpAddressType") or "ipv4",
        "vpc_id": item.get("VpcId") or "",
        "health_check": _health_check(item),
    }
    if "stickiness.enabled" in answer:
        attrs["stickiness"] = [
            {
                "enabled": _bool(answer["stickiness.enabled"]),
                "type": answer.get("stickiness.type", ""),
                "cookie_duration": _int(answer.get("stickiness.lb_cookie.duration_seconds", "0")),
                "cookie_name": answer.get("stickiness.app_cookie.cookie_name", ""),
            }
        ]
    for key, (name, convert) in _TG_ATTRIBUTES.items():
        if key in answer:
            attrs[name] = convert(answer[key])
    return attrs


def _stickiness(value: Any) -> Any:
    # only an enabled stickiness says anything; cookie settings of a disabled one are leftovers
    blocks = [b for b in value or [] if isinstance(b, dict)]
    return [b for b in blocks if b.get("enabled") in (True, "true")]


def _by_arn(key: str) -> dict[str, str]:
    return {key: key}


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_lb",
        service="elbv2",
        list_call=ListCall(operation="DescribeLoadBalancers", items="LoadBalancers[]"),
        calls=(
            Detail(
                operation="DescribeLoadBalancerAttributes",
                key=_by_arn("LoadBalancerArn"),
                result="Attributes",
                into="Attributes",
                gone=frozenset({"LoadBalancerNotFound"}),
            ),
        ),
        tags=tagging_api("elasticloadbalancing:loadbalancer", key="LoadBalancerArn"),
        normalize=_load_balancer,
        compared=_LB_COMPARED,
        left_out=common("id", "region", "tags_all", "timeouts", "arn", "name_prefix")
        | because(COMPUTED, "arn_suffix", "dns_name", "vpc_id", "zone_id")
        | because(
            # the emulator answers no CustomerOwnedIpv4Pool, IpamPools or PrivateLink
            # inbound-rule setting
            NOT_EMULATED,
            "customer_owned_ipv4_pool",
            "enforce_security_group_inbound_rules_on_private_link_traffic",
            "ipam_pools",
        )
        # DescribeCapacityReservation answers one load balancer: not read yet
        | because(NOT_YET, "minimum_load_balancer_capacity"),
        value_forms={
            "access_logs": _logs_on,
            "connection_logs": _logs_on,
            "health_check_logs": _logs_on,
            "subnet_mapping": _mapping_form,
        },
        # provider 3.x/4.x neither set nor read cross-zone balancing of an application load
        # balancer (always on there; AWS answers it): its states hold null for it
        compared_when_set=frozenset({"enable_cross_zone_load_balancing"}),
        import_id_format="load balancer ARN, e.g. arn:aws:elasticloadbalancing:...:loadbalancer/app/web/50dc6c495c0c9188",
    ),
    ResourceSpec(
        type="aws_lb_target_group",
        service="elbv2",
        list_call=ListCall(operation="DescribeTargetGroups", items="TargetGroups[]"),
        calls=(
            Detail(
                operation="DescribeTargetGroupAttributes",
                key=_by_arn("TargetGroupArn"),
                result="Attributes",
                into="Attributes",
                gone=frozenset({"TargetGroupNotFound"}),
            ),
        ),
        tags=tagging_api("elasticloadbalancing:targetgroup", key="TargetGroupArn"),
        normalize=_target_group,
        compared=(
            "name",
            "port",
            "protocol",
            "protocol_version",
            "target_type",
            "ip_address_type",
            "vpc_id",
            "health_check",
            "stickiness",
            *(tf for tf, _ in _TG_ATTRIBUTES.values()),
            "tags",
        ),
        left_out=common("id", "region", "tags_all", "arn", "name_prefix")
        | because(COMPUTED, "arn_suffix", "load_balancer_arns")
        | because(
            NOT_YET,
            "target_control_port",
            "target_failover",
            "target_group_health",
            "target_health_state",
        ),
        value_forms={"stickiness": _stickiness},
        import_id_format="target group ARN, e.g. arn:aws:elasticloadbalancing:...:targetgroup/web/73e2d6bc24d8a067",
    ),
]
