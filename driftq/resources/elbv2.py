"""Elastic Load Balancing v2: load balancers (`aws_lb`) and target groups
(`aws_lb_target_group`), keyed and imported by ARN.

DescribeLoadBalancers and DescribeTargetGroups list them (pages of 400); each one's
attributes (timeouts, logs, stickiness, ...) take one Describe*Attributes call (AWS has no
batch form), and a load balancer in a state one DescribeCapacityReservation call; tags come from the Resource Groups Tagging API (one listing per region).
AWS answers only the attributes the load balancer's type has (an NLB has no HTTP/2 switch):
those it does not answer are not compared. Listeners: elbv2_listeners.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from driftq.resources.attributes import COMPUTED, NOT_EMULATED, because, common
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
    "minimum_load_balancer_capacity",
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
    if "_Capacity" in item:
        units = ((item["_Capacity"] or {}).get("MinimumLoadBalancerCapacity") or {}).get(
            "CapacityUnits"
        )
        attrs["minimum_load_balancer_capacity"] = (
            [{"capacity_units": units}] if units is not None else []
        )
    return attrs


def _lb_in_state(item: Item, ctx: ScanContext) -> bool:
    # DescribeCapacityReservation answers one load balancer: asked only for the load
    # balancers a state holds (an unmanaged one is reported whole, its settings uncompared)
    # and only of the types that reserve capacity (application and network)
    if item.get("Type") not in ("application", "network"):
        return False

    def compute() -> set[str]:
        return {
            str(a.get("arn") or a.get("id") or "")
            for a in ctx.state_attributes("aws_lb", ctx.region)
        }

    return str(item.get("LoadBalancerArn")) in ctx.remember("elbv2:lbs-in-state", compute)


def _capacity_form(value: Any) -> Any:
    # no reservation: the provider's empty block, or one of 0 units
    return [
        b
        for b in _blocks(value)
        if not isinstance(b, dict) or (b.get("capacity_units") or 0) not in (0, "0")
    ]


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
    return attrs | _tg_health_settings(item, answer)


_FAILOVER = "target_failover."
_GROUP_HEALTH = "target_group_health."
_HEALTH_STATE = "target_health_state.unhealthy."
# AWS's values when a setting was never changed (the provider's defaults too)
_FAILOVER_DEFAULT = "no_rebalance"
_THRESHOLD_DEFAULT = {
    "minimum_healthy_targets_count": "1",
    "minimum_healthy_targets_percentage": "off",
}


def _tg_health_settings(item: Item, answer: dict[str, str]) -> Attrs:
    """The target group's failover and health settings, in the provider's blocks. AWS answers
    each only for the target groups that have it (failover: a Gateway LB's; the health
    state: a Network LB's TCP/TLS groups; group health: ALB/NLB groups); a block AWS does
    not answer is empty."""
    attrs: Attrs = {"target_control_port": item.get("TargetControlPort") or 0}
    attrs["target_failover"] = (
        [
            {
                "on_deregistration": answer.get(f"{_FAILOVER}on_deregistration", ""),
                "on_unhealthy": answer.get(f"{_FAILOVER}on_unhealthy", ""),
            }
        ]
        if any(k.startswith(_FAILOVER) for k in answer)
        else []
    )
    health: Item = {}
    for block in ("dns_failover", "unhealthy_state_routing"):
        prefix = f"{_GROUP_HEALTH}{block}.minimum_healthy_targets."
        if any(k.startswith(prefix) for k in answer):
            health[block] = [
                {
                    "minimum_healthy_targets_count": answer.get(f"{prefix}count", "1"),
                    "minimum_healthy_targets_percentage": answer.get(f"{prefix}percentage", "off"),
                }
            ]
    attrs["target_group_health"] = [health] if health else []
    attrs["target_health_state"] = (
        [
            {
                "enable_unhealthy_connection_termination": _bool(
                    answer.get(f"{_HEALTH_STATE}connection_termination.enabled", "true")
                ),
                "unhealthy_draining_interval": _int(
                    answer.get(f"{_HEALTH_STATE}draining_interval_seconds", "0")
                ),
            }
        ]
        if any(k.startswith(_HEALTH_STATE) for k in answer)
        else []
    )
    return attrs


def _blocks(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _failover_form(value: Any) -> Any:
    # rebalancing off on both events is AWS's default: as no block
    return [
        b
        for b in _blocks(value)
        if not isinstance(b, dict)
        or {b.get("on_deregistration") or "", b.get("on_unhealthy") or ""} - {"", _FAILOVER_DEFAULT}
    ]


def _threshold_form(value: Any) -> Any:
    # each threshold as a string ("1" and 1 alike); one at its default ("1", "off") is none
    out = []
    for b in _blocks(value):
        if not isinstance(b, dict):
            out.append(b)
            continue
        members = {
            k: str(b.get(k) if b.get(k) not in (None, "") else default)
            for k, default in _THRESHOLD_DEFAULT.items()
        }
        if members != _THRESHOLD_DEFAULT:
            out.append(members)
    return out


def _group_health_form(value: Any) -> Any:
    out = []
    for b in _blocks(value):
        if not isinstance(b, dict):
            out.append(b)
            continue
        block = {k: _threshold_form(b.get(k)) for k in ("dns_failover", "unhealthy_state_routing")}
        if any(block.values()):
            out.append(block)
    return out


def _health_state_form(value: Any) -> Any:
    # termination on, no draining: AWS's default for a TCP/TLS group's unhealthy targets
    return [
        b
        for b in _blocks(value)
        if not isinstance(b, dict)
        or b.get("enable_unhealthy_connection_termination") not in (True, "true", None)
        or (b.get("unhealthy_draining_interval") or 0) not in (0, "0")
    ]


def _port_form(value: Any) -> Any:
    # no target control agent: 0 in the state, absent from AWS's answer
    return value or None


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
            Detail(
                operation="DescribeCapacityReservation",
                key=_by_arn("LoadBalancerArn"),
                into="_Capacity",
                gone=frozenset({"LoadBalancerNotFound"}),
                when=_lb_in_state,
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
        ),
        value_forms={
            "minimum_load_balancer_capacity": _capacity_form,
            "access_logs": _logs_on,
            "connection_logs": _logs_on,
            "health_check_logs": _logs_on,
            "subnet_mapping": _mapping_form,
        },
        not_emulated="capacity reservations (`minimum_load_balancer_capacity`)",
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
            "target_control_port",
            "target_failover",
            "target_group_health",
            "target_health_state",
            "tags",
        ),
        left_out=common("id", "region", "tags_all", "arn", "name_prefix")
        | because(COMPUTED, "arn_suffix", "load_balancer_arns"),
        value_forms={
            "stickiness": _stickiness,
            "target_control_port": _port_form,
            "target_failover": _failover_form,
            "target_group_health": _group_health_form,
            "target_health_state": _health_state_form,
        },
        not_emulated="`target_control_port`, Gateway LB failover, NLB unhealthy-target draining",
        import_id_format="target group ARN, e.g. arn:aws:elasticloadbalancing:...:targetgroup/web/73e2d6bc24d8a067",
    ),
]
