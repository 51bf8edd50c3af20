"""ELBv2 cases: an application load balancer over two subnets, and a target group, each
with its attributes set."""

from __future__ import annotations

from typing import Any

from tests.resources.harness import DEFAULT_TAGS, Built, Res, TypeCase, tags_state
from tests.support.estate import unique

# set on the load balancer (AWS key -> value) and as the state holds them
LB_ATTRIBUTES = {
    "deletion_protection.enabled": ("enable_deletion_protection", "false", False),
    "idle_timeout.timeout_seconds": ("idle_timeout", "120", 120),
    "routing.http2.enabled": ("enable_http2", "true", True),
    "routing.http.drop_invalid_header_fields.enabled": ("drop_invalid_header_fields", "true", True),
    "load_balancing.cross_zone.enabled": ("enable_cross_zone_load_balancing", "true", True),
    "routing.http.desync_mitigation_mode": ("desync_mitigation_mode", "defensive", "defensive"),
    "routing.http.preserve_host_header.enabled": ("preserve_host_header", "false", False),
    "routing.http.xff_header_processing.mode": ("xff_header_processing_mode", "append", "append"),
    "routing.http.xff_client_port.enabled": ("enable_xff_client_port", "false", False),
    "routing.http.x_amzn_tls_version_and_cipher_suite.enabled": (
        "enable_tls_version_and_cipher_suite_headers",
        "false",
        False,
    ),
    "waf.fail_open.enabled": ("enable_waf_fail_open", "false", False),
    "client_keep_alive.seconds": ("client_keep_alive", "3600", 3600),
    "zonal_shift.config.enabled": ("enable_zonal_shift", "false", False),
    "dns_record.client_routing_policy": (
        "dns_record_client_routing_policy",
        "any_availability_zone",
        "any_availability_zone",
    ),
    "secondary_ips.auto_assigned.per_subnet": ("secondary_ips_auto_assigned_per_subnet", "0", 0),
}
TG_ATTRIBUTES = {
    "deregistration_delay.timeout_seconds": ("deregistration_delay", "30", "30"),
    "slow_start.duration_seconds": ("slow_start", "0", 0),
    "load_balancing.algorithm.type": (
        "load_balancing_algorithm_type",
        "round_robin",
        "round_robin",
    ),
    "proxy_protocol_v2.enabled": ("proxy_protocol_v2", "false", False),
    "lambda.multi_value_headers.enabled": ("lambda_multi_value_headers_enabled", "false", False),
    "preserve_client_ip.enabled": ("preserve_client_ip", "false", "false"),
    "deregistration_delay.connection_termination.enabled": (
        "connection_termination",
        "false",
        False,
    ),
    "load_balancing.cross_zone.enabled": (
        "load_balancing_cross_zone_enabled",
        "use_load_balancer_configuration",
        "use_load_balancer_configuration",
    ),
    "load_balancing.algorithm.anomaly_mitigation": (
        "load_balancing_anomaly_mitigation",
        "off",
        "off",
    ),
    # set off their defaults: the group health thresholds
    "target_group_health.dns_failover.minimum_healthy_targets.count": ("", "2", None),
    "target_group_health.dns_failover.minimum_healthy_targets.percentage": ("", "off", None),
    "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count": ("", "1", None),
    "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage": (
        "",
        "50",
        None,
    ),
    "stickiness.enabled": ("", "true", None),
    "stickiness.type": ("", "lb_cookie", None),
    "stickiness.lb_cookie.duration_seconds": ("", "3600", None),
}


def _tags(name: str) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in {"Name": name, **DEFAULT_TAGS}.items()]


def _network(account: Any) -> tuple[str, list[str], str]:
    ec2 = account.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.9.{i}.0/24", AvailabilityZone=f"us-east-1{z}")[
            "Subnet"
        ]["SubnetId"]
        for i, z in ((1, "a"), (2, "b"))
    ]
    group = ec2.create_security_group(GroupName=unique("lb"), Description="lb", VpcId=vpc)[
        "GroupId"
    ]
    return vpc, subnets, group


def _load_balancer(account: Any) -> Built:
    _, subnets, group = _network(account)
    name = unique("web")[:32]
    elbv2 = account.client("elbv2")
    arn = elbv2.create_load_balancer(
        Name=name, Subnets=subnets, SecurityGroups=[group], Scheme="internal", Tags=_tags(name)
    )["LoadBalancers"][0]["LoadBalancerArn"]
    elbv2.modify_load_balancer_attributes(
        LoadBalancerArn=arn,
        Attributes=[{"Key": k, "Value": v} for k, (_, v, _) in LB_ATTRIBUTES.items()],
    )
    state = {
        "id": arn,
        "arn": arn,
        "name": name,
        "name_prefix": "",
        "internal": True,
        "load_balancer_type": "application",
        "ip_address_type": "ipv4",
        "security_groups": [group],
        "subnets": subnets,
        "access_logs": [{"bucket": "", "enabled": False, "prefix": ""}],
        "connection_logs": [],
        "health_check_logs": [],
        "subnet_mapping": [
            {
                "subnet_id": subnet,
                "allocation_id": "",
                "private_ipv4_address": "",
                "ipv6_address": "",
                "outpost_id": "",
            }
            for subnet in subnets
        ],
        **{tf: value for tf, _, value in LB_ATTRIBUTES.values()},
        "minimum_load_balancer_capacity": [],
        **tags_state({"Name": name}),
    }
    return Built([Res("aws_lb", "lb", state)], import_id=arn)


def _target_group(account: Any) -> Built:
    vpc, _, _ = _network(account)
    name = unique("web")[:32]
    elbv2 = account.client("elbv2")
    arn = elbv2.create_target_group(
        Name=name,
        Protocol="HTTP",
        Port=8080,
        VpcId=vpc,
        TargetType="instance",
        HealthCheckPath="/health",
        HealthCheckProtocol="HTTP",
        HealthCheckPort="traffic-port",
        HealthCheckIntervalSeconds=15,
        HealthCheckTimeoutSeconds=5,
        HealthyThresholdCount=3,
        UnhealthyThresholdCount=2,
        Matcher={"HttpCode": "200"},
        Tags=_tags(name),
    )["TargetGroups"][0]["TargetGroupArn"]
    elbv2.modify_target_group_attributes(
        TargetGroupArn=arn,
        Attributes=[{"Key": k, "Value": v} for k, (_, v, _) in TG_ATTRIBUTES.items()],
    )
    state = {
        "id": arn,
        "arn": arn,
        "name": name,
        "name_prefix": "",
        "port": 8080,
        "protocol": "HTTP",
        "protocol_version": "HTTP1",
        "target_type": "instance",
        "ip_address_type": "ipv4",
        "vpc_id": vpc,
        "health_check": [
            {
                "enabled": True,
                "healthy_threshold": 3,
                "unhealthy_threshold": 2,
                "interval": 15,
                "timeout": 5,
                "path": "/health",
                "port": "traffic-port",
                "protocol": "HTTP",
                "matcher": "200",
            }
        ],
        "stickiness": [
            {"enabled": True, "type": "lb_cookie", "cookie_duration": 3600, "cookie_name": ""}
        ],
        # as provider 6.x writes them: the thresholds set, the blocks an HTTP group lacks
        "target_control_port": 0,
        "target_failover": [],
        "target_group_health": [
            {
                "dns_failover": [
                    {
                        "minimum_healthy_targets_count": "2",
                        "minimum_healthy_targets_percentage": "off",
                    }
                ],
                "unhealthy_state_routing": [
                    {"minimum_healthy_targets_count": 1, "minimum_healthy_targets_percentage": "50"}
                ],
            }
        ],
        "target_health_state": [],
        **{tf: value for tf, _, value in TG_ATTRIBUTES.values() if tf},
        **tags_state({"Name": name}),
    }
    return Built([Res("aws_lb_target_group", "tg", state)], import_id=arn)


def _listener(account: Any) -> Built:
    balancer = _load_balancer(account)
    group = _target_group(account)
    lb_arn = balancer.resources[0].attributes["arn"]
    tg_arn = group.resources[0].attributes["arn"]
    elbv2 = account.client("elbv2")
    arn = elbv2.create_listener(
        LoadBalancerArn=lb_arn,
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": tg_arn}],
        Tags=_tags("http"),
    )["Listeners"][0]["ListenerArn"]
    # as provider 5.x writes a listener configured with `target_group_arn`
    state = {
        "id": arn,
        "arn": arn,
        "load_balancer_arn": lb_arn,
        "port": 80,
        "protocol": "HTTP",
        "ssl_policy": "",
        "certificate_arn": None,
        "alpn_policy": None,
        "default_action": [
            {
                "type": "forward",
                "order": 1,
                "target_group_arn": tg_arn,
                "forward": [],
                "redirect": [],
                "fixed_response": [],
                "authenticate_cognito": [],
                "authenticate_oidc": [],
            }
        ],
        "mutual_authentication": [],
        "tcp_idle_timeout_seconds": None,
        "timeouts": None,
        **tags_state({"Name": "http"}),
    }
    return Built(
        [Res("aws_lb_listener", "http", state), *balancer.resources, *group.resources],
        import_id=arn,
    )


CASES = [
    TypeCase(
        type="aws_lb",
        build=_load_balancer,
        mutations={
            "access_logs": [{"bucket": "logs", "enabled": True, "prefix": "lb"}],
            "connection_logs": [{"bucket": "logs", "enabled": True, "prefix": "conn"}],
            "health_check_logs": [{"bucket": "logs", "enabled": True, "prefix": "health"}],
        },
    ),
    TypeCase(type="aws_lb_target_group", build=_target_group),
    TypeCase(
        type="aws_lb_listener",
        build=_listener,
        mutations={
            "default_action": [{"type": "redirect", "redirect": [{"status_code": "HTTP_301"}]}],
            "mutual_authentication": [{"mode": "verify", "trust_store_arn": "arn:aws:x"}],
        },
    ),
]
