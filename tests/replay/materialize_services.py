"""Live twins of the service types (see materialize.py): launch templates, NAT gateways,
load balancers with their target groups and listeners, ElastiCache clusters, RDS
instances and clusters, Lambda event source mappings and CloudFront distributions. What an
instance refers to but its state does not hold (a subnet, an address, a queue, a function)
is made once per old id, as the other creators do."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from tests.replay.materialize import STAND_IN_TAG, _group, _tag_list, _tags, _vpc_for, creates
from tests.replay.materialize_more import _once

Item = dict[str, Any]


def _unset(value: Any) -> bool:
    # the provider writes every member of a block: "", 0, null and [] for what was not set
    return value is None or value == "" or value == [] or value == {}


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _truth(value: Any) -> Any:
    # the provider keeps some of a template's booleans as strings ("true", "" when unset)
    return {"true": True, "false": False}.get(value, value) if isinstance(value, str) else value


def _block(block: Item, rename: dict[str, str] | None = None, *, lists: tuple[str, ...] = ()) -> Item:  # fmt: skip
    """A Terraform block as its AWS structure: snake_case members in CamelCase (unless
    renamed), unset members left out, a one-element nested block as a structure (a list
    for the members named in ``lists``)."""
    rename = rename or {}
    out: Item = {}
    for name, value in block.items():
        if _unset(value):
            continue
        key = rename.get(name, _camel(name))
        if isinstance(value, list) and value and isinstance(value[0], dict):
            nested = [_block(v, rename) for v in value]
            nested = [n for n in nested if n]
            if nested:
                out[key] = nested if name in lists else nested[0]
            continue
        out[key] = _truth(value)
    return out


# --- EC2: launch templates, NAT gateways ----------------------------------------------------


@creates("aws_launch_template")
def _launch_template(client: Any, a: Item, made: dict[str, str]) -> dict[str, str]:
    """The template's data from the state's arguments, as the provider sends them: only the
    members set (a device's volume size without its unset type or encryption)."""
    data: Item = {}
    scalars = {
        "image_id": "ImageId",
        "instance_type": "InstanceType",
        "key_name": "KeyName",
        "user_data": "UserData",
        "kernel_id": "KernelId",
        "ram_disk_id": "RamDiskId",
        "instance_initiated_shutdown_behavior": "InstanceInitiatedShutdownBehavior",
        "vpc_security_group_ids": "SecurityGroupIds",
        "security_group_names": "SecurityGroups",
    }
    for tf, aws in scalars.items():
        if not _unset(a.get(tf)):
            data[aws] = a[tf]
    for tf, aws in (("ebs_optimized", "EbsOptimized"), ("disable_api_termination", "DisableApiTermination"), ("disable_api_stop", "DisableApiStop")):  # fmt: skip
        if not _unset(a.get(tf)):
            data[aws] = bool(_truth(a[tf]))
    renames = {"ipv4_address_count": "SecondaryPrivateIpAddressCount", "security_groups": "Groups"}
    lists = {
        "block_device_mappings": "BlockDeviceMappings",
        "network_interfaces": "NetworkInterfaces",
        "license_specification": "LicenseSpecifications",
    }
    for tf, aws in lists.items():
        blocks = [_block(b, renames) for b in a.get(tf) or []]
        if any(blocks):
            data[aws] = [b for b in blocks if b]
    singles = {
        "cpu_options": "CpuOptions",
        "credit_specification": "CreditSpecification",
        "metadata_options": "MetadataOptions",
        "monitoring": "Monitoring",
        "placement": "Placement",
        "capacity_reservation_specification": "CapacityReservationSpecification",
        "instance_market_options": "InstanceMarketOptions",
        "enclave_options": "EnclaveOptions",
        "hibernation_options": "HibernationOptions",
        "maintenance_options": "MaintenanceOptions",
        "private_dns_name_options": "PrivateDnsNameOptions",
    }
    for tf, aws in singles.items():
        for block in a.get(tf) or []:
            converted = _block(block)
            if converted:
                data[aws] = converted
    for profile in a.get("iam_instance_profile") or []:
        data["IamInstanceProfile"] = _block(profile)
    specifications = [
        {
            "ResourceType": s["resource_type"],
            "Tags": [{"Key": k, "Value": v} for k, v in (s.get("tags") or {}).items()],
        }
        for s in a.get("tag_specifications") or []
    ]
    if specifications:
        data["TagSpecifications"] = specifications
    kwargs: Item = {"LaunchTemplateName": a["name"], "LaunchTemplateData": data}
    if a.get("description"):
        kwargs["VersionDescription"] = a["description"]
    if _tags(a):
        kwargs["TagSpecifications"] = [{"ResourceType": "launch-template", "Tags": _tag_list(a)}]
    template = client("ec2").create_launch_template(**kwargs)["LaunchTemplate"]
    return {a["id"]: template["LaunchTemplateId"]}


def _subnet_in(ec2: Any, old: str, vpc: str, made: dict[str, str], assigned: dict[str, str], zone: str | None = None) -> str:  # fmt: skip
    """The live subnet standing for ``old`` (not in the state): the VPC's next /24, tagged
    as a stand-in (the replay excludes it: it is unmanaged, rightly, where the state's
    subnets are scanned)."""

    def make() -> str:
        cidr = ec2.describe_vpcs(VpcIds=[vpc])["Vpcs"][0]["CidrBlock"]
        first, second = cidr.split(".")[:2]
        taken = {s["CidrBlock"] for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]}  # fmt: skip
        block = next(f"{first}.{second}.{n}.0/24" for n in range(255, 0, -1) if f"{first}.{second}.{n}.0/24" not in taken)  # fmt: skip
        kwargs: Item = {"VpcId": vpc, "CidrBlock": block, "TagSpecifications": [{"ResourceType": "subnet", "Tags": [STAND_IN_TAG]}]}  # fmt: skip
        if zone:
            kwargs["AvailabilityZone"] = zone
        return str(ec2.create_subnet(**kwargs)["Subnet"]["SubnetId"])

    return _once(made, assigned, old, make)


@creates("aws_nat_gateway")
def _nat_gateway(client: Any, a: Item, made: dict[str, str]) -> dict[str, str]:
    """Its subnet and address (not in the state) are made per old id; the private address
    moto gives it stands for the state's."""
    ec2 = client("ec2")
    assigned: dict[str, str] = {}
    vpc = _vpc_for(ec2, f"vpc-of-{a['subnet_id']}", a.get("private_ip") or "10.0.0.0", made, assigned)  # fmt: skip
    subnet = _subnet_in(ec2, a["subnet_id"], vpc, made, assigned)
    kwargs: Item = {"SubnetId": subnet}
    if a.get("connectivity_type") == "private":
        kwargs["ConnectivityType"] = "private"
    else:
        address = _once(made, assigned, a["allocation_id"], lambda: ec2.allocate_address(Domain="vpc")["AllocationId"])  # fmt: skip
        kwargs["AllocationId"] = address
    if a.get("private_ip") and a.get("connectivity_type") == "private":
        kwargs["PrivateIpAddress"] = a["private_ip"]
    if _tags(a):
        kwargs["TagSpecifications"] = [{"ResourceType": "natgateway", "Tags": _tag_list(a)}]
    gateway = ec2.create_nat_gateway(**kwargs)["NatGateway"]
    out = {**assigned, a["id"]: gateway["NatGatewayId"]}
    live = (gateway.get("NatGatewayAddresses") or [{}])[0]
    for tf, aws in (("private_ip", "PrivateIp"), ("public_ip", "PublicIp"), ("network_interface_id", "NetworkInterfaceId")):  # fmt: skip
        if a.get(tf) and live.get(aws):
            out[a[tf]] = live[aws]
    return out


# --- Elastic Load Balancing v2 --------------------------------------------------------------


@creates("aws_lb")
def _lb(client: Any, a: Item, made: dict[str, str]) -> dict[str, str]:
    """Its subnets and groups, when the state does not hold them, are made per old id in
    the load balancer's VPC, one zone each (a load balancer spans at least two)."""
    ec2 = client("ec2")
    assigned: dict[str, str] = {}
    vpc = _vpc_for(ec2, a.get("vpc_id") or f"vpc-of-{a['name']}", "10.0.0.0/16", made, assigned)
    zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]
    subnets = []
    for old in a.get("subnets") or []:
        if old not in made and old not in assigned:
            used = {
                s["AvailabilityZone"]
                for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])[
                    "Subnets"
                ]
            }
            zone = next((z for z in zones if z not in used), zones[0])
            _subnet_in(ec2, old, vpc, made, assigned, zone)
        subnets.append({**made, **assigned}[old])
    groups = [
        _group(ec2, g, made, assigned, GroupName=g, Description="replay", VpcId=vpc)
        for g in a.get("security_groups") or []
    ]
    kwargs: Item = {
        "Name": a["name"],
        "Subnets": subnets,
        "Scheme": "internal" if a.get("internal") else "internet-facing",
        "Type": a.get("load_balancer_type") or "application",
        "IpAddressType": a.get("ip_address_type") or "ipv4",
    }
    if groups:
        kwargs["SecurityGroups"] = groups
    if _tags(a):
        kwargs["Tags"] = _tag_list(a)
    elbv2 = client("elbv2")
    balancer = elbv2.create_load_balancer(**kwargs)["LoadBalancers"][0]
    arn = balancer["LoadBalancerArn"]
    attributes = {
        "deletion_protection.enabled": a.get("enable_deletion_protection"),
        "idle_timeout.timeout_seconds": a.get("idle_timeout"),
        "routing.http2.enabled": a.get("enable_http2"),
        "routing.http.drop_invalid_header_fields.enabled": a.get("drop_invalid_header_fields"),
        "routing.http.desync_mitigation_mode": a.get("desync_mitigation_mode"),
        "waf.fail_open.enabled": a.get("enable_waf_fail_open"),
        "load_balancing.cross_zone.enabled": a.get("enable_cross_zone_load_balancing"),
    }
    for logs in a.get("access_logs") or []:
        if logs.get("enabled"):
            attributes |= {
                "access_logs.s3.enabled": True,
                "access_logs.s3.bucket": logs.get("bucket"),
                "access_logs.s3.prefix": logs.get("prefix"),
            }
    given = [
        {"Key": k, "Value": str(v).lower() if isinstance(v, bool) else str(v)}
        for k, v in attributes.items()
        if v is not None
    ]
    elbv2.modify_load_balancer_attributes(LoadBalancerArn=arn, Attributes=given)
    # the ARN's last part and the DNS name are AWS's
    old_suffix, new_suffix = a["arn"].rsplit("/", 1)[1], arn.rsplit("/", 1)[1]
    out = {**assigned, a["arn"]: arn, f"/{old_suffix}": f"/{new_suffix}"}
    if a.get("dns_name"):
        out[a["dns_name"]] = balancer["DNSName"]
    if a.get("zone_id") and balancer.get("CanonicalHostedZoneId"):
        out[a["zone_id"]] = balancer["CanonicalHostedZoneId"]
    return out


@creates("aws_lb_target_group")
def _lb_target_group(client: Any, a: Item, made: dict[str, str]) -> dict[str, str]:
    ec2 = client("ec2")
    assigned: dict[str, str] = {}
    kwargs: Item = {"Name": a["name"], "TargetType": a.get("target_type") or "instance"}
    if kwargs["TargetType"] != "lambda":
        kwargs["VpcId"] = _vpc_for(ec2, a["vpc_id"], "10.0.0.0/16", made, assigned)
        kwargs["Port"] = int(a["port"])
        kwargs["Protocol"] = a["protocol"]
        if a.get("protocol_version"):
            kwargs["ProtocolVersion"] = a["protocol_version"]
    for check in a.get("health_check") or []:
        kwargs |= {
            "HealthCheckEnabled": bool(check.get("enabled")),
            "HealthCheckPath": check.get("path") or None,
            "HealthCheckPort": check.get("port") or None,
            "HealthCheckProtocol": check.get("protocol") or None,
            "HealthCheckIntervalSeconds": check.get("interval") or None,
            "HealthCheckTimeoutSeconds": check.get("timeout") or None,
            "HealthyThresholdCount": check.get("healthy_threshold") or None,
            "UnhealthyThresholdCount": check.get("unhealthy_threshold") or None,
            "Matcher": {"HttpCode": check["matcher"]} if check.get("matcher") else None,
        }
    if _tags(a):
        kwargs["Tags"] = _tag_list(a)
    elbv2 = client("elbv2")
    group = elbv2.create_target_group(**{k: v for k, v in kwargs.items() if v is not None})
    arn = group["TargetGroups"][0]["TargetGroupArn"]
    attributes: dict[str, Any] = {
        "deregistration_delay.timeout_seconds": a.get("deregistration_delay"),
        "slow_start.duration_seconds": a.get("slow_start"),
        "load_balancing.algorithm.type": a.get("load_balancing_algorithm_type"),
    }
    for stickiness in a.get("stickiness") or []:
        if stickiness.get("enabled"):
            attributes |= {
                "stickiness.enabled": True,
                "stickiness.type": stickiness.get("type"),
                "stickiness.lb_cookie.duration_seconds": stickiness.get("cookie_duration"),
            }
    given = [
        {"Key": k, "Value": str(v).lower() if isinstance(v, bool) else str(v)}
        for k, v in attributes.items()
        if v is not None
    ]
    elbv2.modify_target_group_attributes(TargetGroupArn=arn, Attributes=given)
    old_suffix, new_suffix = a["arn"].rsplit("/", 1)[1], arn.rsplit("/", 1)[1]
    return {**assigned, a["arn"]: arn, f"/{old_suffix}": f"/{new_suffix}"}


@creates("aws_lb_listener")
def _lb_listener(client: Any, a: Item, made: dict[str, str]) -> dict[str, str]:
    """Its load balancer and target groups must be in the state (made before it)."""
    actions = []
    for action in a.get("default_action") or []:
        given: Item = {"Type": action["type"]}
        if action.get("order"):
            given["Order"] = int(action["order"])
        if action.get("target_group_arn"):
            given["TargetGroupArn"] = made[action["target_group_arn"]]
        for redirect in action.get("redirect") or []:
            given["RedirectConfig"] = _block(redirect)
        for fixed in action.get("fixed_response") or []:
            given["FixedResponseConfig"] = _block(fixed)
        actions.append(given)
    kwargs: Item = {
        "LoadBalancerArn": made[a["load_balancer_arn"]],
        "Port": int(a["port"]),
        "Protocol": a["protocol"],
        "DefaultActions": actions,
    }
    if a.get("ssl_policy"):
        kwargs["SslPolicy"] = a["ssl_policy"]
    if a.get("certificate_arn"):
        kwargs["Certificates"] = [{"CertificateArn": a["certificate_arn"]}]
    if _tags(a):
        kwargs["Tags"] = _tag_list(a)
    listener = client("elbv2").create_listener(**kwargs)["Listeners"][0]
    old_suffix, new_suffix = a["arn"].rsplit("/", 1)[1], listener["ListenerArn"].rsplit("/", 1)[1]
    return {a["arn"]: listener["ListenerArn"], f"/{old_suffix}": f"/{new_suffix}"}


# --- ElastiCache, RDS -----------------------------------------------------------------------


@creates("aws_elasticache_cluster")
def _elasticache_cluster(client: Any, a: Item, made: dict[str, str]) -> dict[str, str]:
    kwargs: Item = {
        "CacheClusterId": a["cluster_id"],
        "Engine": a["engine"],
        "CacheNodeType": a["node_type"],
        "NumCacheNodes": int(a["num_cache_nodes"]),
    }
    optional = {
        "engine_version": "EngineVersion",
        "parameter_group_name": "CacheParameterGroupName",
        "subnet_group_name": "CacheSubnetGroupName",
        "maintenance_window": "PreferredMaintenanceWindow",
        "snapshot_window": "SnapshotWindow",
        "snapshot_retention_limit": "SnapshotRetentionLimit",
        "notification_topic_arn": "NotificationTopicArn",
        "availability_zone": "PreferredAvailabilityZone",
        "az_mode": "AZMode",
        "port": "Port",
        "security_group_ids": "SecurityGroupIds",
    }
    for tf, aws in optional.items():
        if not _unset(a.get(tf)):
            kwargs[aws] = a[tf]
    if _tags(a):
        kwargs["Tags"] = _tag_list(a)
    client("elasticache").create_cache_cluster(**kwargs)
    return {}


def _default_vpc(client: Any) -> str:
    """The default VPC, with the `default` DB subnet group AWS keeps over its subnets (moto
    has none)."""
    ec2, rds = client("ec2"), client("rds")
    vpc = next(v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if v.get("IsDefault"))
    try:
        rds.describe_db_subnet_groups(DBSubnetGroupName="default")
    except rds.exceptions.DBSubnetGroupNotFoundFault:
        subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]
        rds.create_db_subnet_group(
            DBSubnetGroupName="default",
            DBSubnetGroupDescription="default",
            SubnetIds=[s["SubnetId"] for s in subnets],
        )
    return str(vpc)


def _groups_in_default_vpc(client: Any, olds: list[str], made: dict[str, str], assigned: dict[str, str]) -> list[str]:  # fmt: skip
    """Groups a database refers to (not in its state), made per old id in the default VPC
    (its `default` subnet group's)."""
    ec2 = client("ec2")
    vpc = _default_vpc(client)
    return [
        _group(ec2, g, made, assigned, GroupName=g, Description="replay", VpcId=vpc) for g in olds
    ]


@creates("aws_db_instance")
def _db_instance(client: Any, a: Item, made: dict[str, str]) -> dict[str, str]:
    assigned: dict[str, str] = {}
    groups = _groups_in_default_vpc(client, a.get("vpc_security_group_ids") or [], made, assigned)  # fmt: skip
    kwargs: Item = {
        "DBInstanceIdentifier": a["identifier"],
        "DBInstanceClass": a["instance_class"],
        "Engine": a["engine"],
        "MasterUsername": a["username"],
        "MasterUserPassword": a.get("password") or "replay-password",
        "AllocatedStorage": int(a["allocated_storage"]),
        "MultiAZ": bool(a.get("multi_az")),
        "PubliclyAccessible": bool(a.get("publicly_accessible")),
        "StorageEncrypted": bool(a.get("storage_encrypted")),
        "AutoMinorVersionUpgrade": bool(a.get("auto_minor_version_upgrade")),
        "CopyTagsToSnapshot": bool(a.get("copy_tags_to_snapshot")),
        "DeletionProtection": bool(a.get("deletion_protection")),
        "EnableIAMDatabaseAuthentication": bool(a.get("iam_database_authentication_enabled")),
        "BackupRetentionPeriod": int(a.get("backup_retention_period") or 0),
    }
    if groups:
        kwargs["VpcSecurityGroupIds"] = groups
    optional = {
        "engine_version": "EngineVersion",
        "db_name": "DBName",
        "name": "DBName",  # provider < 4
        "port": "Port",
        "db_subnet_group_name": "DBSubnetGroupName",
        "parameter_group_name": "DBParameterGroupName",
        "option_group_name": "OptionGroupName",
        "availability_zone": "AvailabilityZone",
        "backup_window": "PreferredBackupWindow",
        "maintenance_window": "PreferredMaintenanceWindow",
        "storage_type": "StorageType",
        "iops": "Iops",
        "kms_key_id": "KmsKeyId",
        "license_model": "LicenseModel",
        "ca_cert_identifier": "CACertificateIdentifier",
        "max_allocated_storage": "MaxAllocatedStorage",
        "monitoring_interval": "MonitoringInterval",
        "monitoring_role_arn": "MonitoringRoleArn",
        "character_set_name": "CharacterSetName",
        "timezone": "Timezone",
        "enabled_cloudwatch_logs_exports": "EnableCloudwatchLogsExports",
    }
    for tf, aws in optional.items():
        if not _unset(a.get(tf)) and a.get(tf) != 0:
            kwargs[aws] = a[tf]
    # AWS gives an instance its engine's default option group when none is asked for
    if str(kwargs.get("OptionGroupName", "")).startswith("default:"):
        del kwargs["OptionGroupName"]
    if a.get("performance_insights_enabled"):
        kwargs["EnablePerformanceInsights"] = True
    if _tags(a):
        kwargs["Tags"] = _tag_list(a)
    instance = client("rds").create_db_instance(**kwargs)["DBInstance"]
    out = {**assigned}
    if a.get("resource_id") and instance.get("DbiResourceId"):
        out[a["resource_id"]] = instance["DbiResourceId"]
    endpoint = (instance.get("Endpoint") or {}).get("Address")
    if a.get("address") and endpoint:
        out[a["address"]] = endpoint
    return out


@creates("aws_rds_cluster")
def _rds_cluster(client: Any, a: Item, made: dict[str, str]) -> dict[str, str]:
    assigned: dict[str, str] = {}
    groups = _groups_in_default_vpc(client, a.get("vpc_security_group_ids") or [], made, assigned)  # fmt: skip
    kwargs: Item = {
        "DBClusterIdentifier": a["cluster_identifier"],
        "Engine": a["engine"],
        "MasterUsername": a["master_username"],
        "MasterUserPassword": a.get("master_password") or "replay-password",
        "StorageEncrypted": bool(a.get("storage_encrypted")),
        "CopyTagsToSnapshot": bool(a.get("copy_tags_to_snapshot")),
        "DeletionProtection": bool(a.get("deletion_protection")),
        "EnableIAMDatabaseAuthentication": bool(a.get("iam_database_authentication_enabled")),
        "BackupRetentionPeriod": int(a.get("backup_retention_period") or 1),
    }
    if groups:
        kwargs["VpcSecurityGroupIds"] = groups
    optional = {
        "engine_version": "EngineVersion",
        "engine_mode": "EngineMode",
        "database_name": "DatabaseName",
        "port": "Port",
        "db_subnet_group_name": "DBSubnetGroupName",
        "db_cluster_parameter_group_name": "DBClusterParameterGroupName",
        "availability_zones": "AvailabilityZones",
        "preferred_backup_window": "PreferredBackupWindow",
        "preferred_maintenance_window": "PreferredMaintenanceWindow",
        "kms_key_id": "KmsKeyId",
        "backtrack_window": "BacktrackWindow",
        "enabled_cloudwatch_logs_exports": "EnableCloudwatchLogsExports",
        "global_cluster_identifier": "GlobalClusterIdentifier",
        "replication_source_identifier": "ReplicationSourceIdentifier",
    }
    for tf, aws in optional.items():
        if not _unset(a.get(tf)) and a.get(tf) != 0:
            kwargs[aws] = a[tf]
    if a.get("enable_http_endpoint"):
        kwargs["EnableHttpEndpoint"] = True
    if _tags(a):
        kwargs["Tags"] = _tag_list(a)
    cluster = client("rds").create_db_cluster(**kwargs)["DBCluster"]
    out = {**assigned}
    if a.get("cluster_resource_id") and cluster.get("DbClusterResourceId"):
        out[a["cluster_resource_id"]] = cluster["DbClusterResourceId"]
    return out


# --- Lambda, CloudFront ---------------------------------------------------------------------

_LAMBDA_TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "lambda.amazonaws.com"}}]})  # fmt: skip


def _function(client: Any, arn: str) -> str:
    """The function a mapping invokes (not in its state): a stub, made once per name."""
    lam = client("lambda")
    name = arn.rsplit(":", 1)[1]
    try:
        return str(lam.get_function(FunctionName=name)["Configuration"]["FunctionArn"])
    except lam.exceptions.ResourceNotFoundException:
        pass
    iam = client("iam")
    role = f"replay-{name}"[:64]
    try:
        role_arn = iam.get_role(RoleName=role)["Role"]["Arn"]
    except iam.exceptions.NoSuchEntityException:
        role_arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=_LAMBDA_TRUST)["Role"]["Arn"]  # fmt: skip
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("lambda.js", "exports.handler = async () => 1;\n")
    created = lam.create_function(
        FunctionName=name,
        Runtime="nodejs18.x",
        Role=role_arn,
        Handler="lambda.handler",
        Code={"ZipFile": code.getvalue()},
    )
    return str(created["FunctionArn"])


@creates("aws_lambda_event_source_mapping")
def _lambda_event_source_mapping(client: Any, a: Item, made: dict[str, str]) -> dict[str, str]:
    """Its function and its source (an SQS queue; not in the state) are made per ARN."""
    source = a["event_source_arn"]
    if ":sqs:" in source:
        client("sqs").create_queue(QueueName=source.rsplit(":", 1)[1])
    function = _function(client, a.get("function_arn") or a["function_name"])
    kwargs: Item = {
        "EventSourceArn": source,
        "FunctionName": function,
        "Enabled": bool(a.get("enabled", True)),
    }
    optional = {
        "batch_size": "BatchSize",
        "maximum_batching_window_in_seconds": "MaximumBatchingWindowInSeconds",
        "starting_position": "StartingPosition",
        "parallelization_factor": "ParallelizationFactor",
        "maximum_record_age_in_seconds": "MaximumRecordAgeInSeconds",
        "maximum_retry_attempts": "MaximumRetryAttempts",
        "function_response_types": "FunctionResponseTypes",
    }
    for tf, aws in optional.items():
        if not _unset(a.get(tf)) and a.get(tf) != 0:
            kwargs[aws] = a[tf]
    mapping = client("lambda").create_event_source_mapping(**kwargs)
    return {a["uuid"]: mapping["UUID"]}


def _items(values: Any) -> Item:
    items = list(values or [])
    return {"Quantity": len(items), "Items": items} if items else {"Quantity": 0}


def _behavior(b: Item) -> Item:
    """One cache behaviour in CloudFront's shape, from a Terraform block (legacy
    `forwarded_values` settings)."""
    out: Item = {
        "TargetOriginId": b["target_origin_id"],
        "ViewerProtocolPolicy": b["viewer_protocol_policy"],
        "AllowedMethods": {
            **_items(b.get("allowed_methods")),
            "CachedMethods": _items(b.get("cached_methods")),
        },
        "SmoothStreaming": bool(b.get("smooth_streaming")),
        "Compress": bool(b.get("compress")),
        "FieldLevelEncryptionId": b.get("field_level_encryption_id") or "",
        "TrustedSigners": {
            "Enabled": bool(b.get("trusted_signers")),
            **_items(b.get("trusted_signers")),
        },
        "LambdaFunctionAssociations": {
            **_items(
                [
                    {
                        "LambdaFunctionARN": f["lambda_arn"],
                        "EventType": f["event_type"],
                        "IncludeBody": bool(f.get("include_body")),
                    }
                    for f in b.get("lambda_function_association") or []
                ]
            )
        },
    }
    if b.get("path_pattern"):
        out["PathPattern"] = b["path_pattern"]
    if b.get("cache_policy_id"):
        out["CachePolicyId"] = b["cache_policy_id"]
        return out
    for forwarded in b.get("forwarded_values") or []:
        cookies = (forwarded.get("cookies") or [{}])[0]
        out["ForwardedValues"] = {
            "QueryString": bool(forwarded.get("query_string")),
            "Cookies": {
                "Forward": cookies.get("forward") or "none",
                **(
                    {"WhitelistedNames": _items(cookies["whitelisted_names"])}
                    if cookies.get("whitelisted_names")
                    else {}
                ),
            },
            "Headers": _items(forwarded.get("headers")),
            "QueryStringCacheKeys": _items(forwarded.get("query_string_cache_keys")),
        }
    out |= {
        "MinTTL": int(b.get("min_ttl") or 0),
        "DefaultTTL": int(b.get("default_ttl") or 0),
        "MaxTTL": int(b.get("max_ttl") or 0),
    }
    return out


def _origin(o: Item) -> Item:
    out: Item = {
        "Id": o["origin_id"],
        "DomainName": o["domain_name"],
        "OriginPath": o.get("origin_path") or "",
        "CustomHeaders": _items(
            [
                {"HeaderName": h["name"], "HeaderValue": h["value"]}
                for h in o.get("custom_header") or []
            ]
        ),
    }
    for s3 in o.get("s3_origin_config") or []:
        out["S3OriginConfig"] = {"OriginAccessIdentity": s3.get("origin_access_identity") or ""}
    for custom in o.get("custom_origin_config") or []:
        out["CustomOriginConfig"] = {
            "HTTPPort": int(custom["http_port"]),
            "HTTPSPort": int(custom["https_port"]),
            "OriginProtocolPolicy": custom["origin_protocol_policy"],
            "OriginSslProtocols": _items(custom.get("origin_ssl_protocols")),
        }
    if "S3OriginConfig" not in out and "CustomOriginConfig" not in out:
        # a bucket's website or REST name with neither block: AWS takes it as S3
        out["S3OriginConfig"] = {"OriginAccessIdentity": ""}
    return out


@creates("aws_cloudfront_distribution")
def _cloudfront_distribution(client: Any, a: Item, made: dict[str, str]) -> dict[str, str]:
    certificate = (a.get("viewer_certificate") or [{}])[0]
    viewer: Item = {
        "CloudFrontDefaultCertificate": bool(certificate.get("cloudfront_default_certificate")),
        "MinimumProtocolVersion": certificate.get("minimum_protocol_version") or "TLSv1",
    }
    if certificate.get("acm_certificate_arn"):
        viewer["ACMCertificateArn"] = certificate["acm_certificate_arn"]
    if certificate.get("ssl_support_method"):
        viewer["SSLSupportMethod"] = certificate["ssl_support_method"]
    geo = ((a.get("restrictions") or [{}])[0].get("geo_restriction") or [{}])[0]
    config: Item = {
        "CallerReference": a.get("caller_reference") or a["id"],
        "Aliases": _items(a.get("aliases")),
        "DefaultRootObject": a.get("default_root_object") or "",
        "Origins": _items([_origin(o) for o in a.get("origin") or []]),
        "DefaultCacheBehavior": _behavior(a["default_cache_behavior"][0]),
        "CacheBehaviors": _items([_behavior(b) for b in a.get("ordered_cache_behavior") or []]),
        "CustomErrorResponses": _items(
            [
                {
                    "ErrorCode": int(r["error_code"]),
                    "ResponsePagePath": r.get("response_page_path") or "",
                    "ResponseCode": str(r.get("response_code") or ""),
                    "ErrorCachingMinTTL": int(r.get("error_caching_min_ttl") or 0),
                }
                for r in a.get("custom_error_response") or []
            ]
        ),
        "Comment": a.get("comment") or "",
        "PriceClass": a.get("price_class") or "PriceClass_All",
        "Enabled": bool(a.get("enabled")),
        "ViewerCertificate": viewer,
        "Restrictions": {
            "GeoRestriction": {
                "RestrictionType": geo.get("restriction_type") or "none",
                **_items(geo.get("locations")),
            }
        },
        "WebACLId": a.get("web_acl_id") or "",
        "HttpVersion": a.get("http_version") or "http2",
        "IsIPV6Enabled": bool(a.get("is_ipv6_enabled")),
    }
    for logging in a.get("logging_config") or []:
        config["Logging"] = {
            "Enabled": True,
            "IncludeCookies": bool(logging.get("include_cookies")),
            "Bucket": logging["bucket"],
            "Prefix": logging.get("prefix") or "",
        }
    cloudfront = client("cloudfront")
    if _tags(a):
        answer = cloudfront.create_distribution_with_tags(
            DistributionConfigWithTags={
                "DistributionConfig": config,
                "Tags": {"Items": _tag_list(a)},
            }
        )
    else:
        answer = cloudfront.create_distribution(DistributionConfig=config)
    distribution = answer["Distribution"]
    out = {a["id"]: distribution["Id"]}
    if a.get("domain_name") and distribution.get("DomainName"):
        out[a["domain_name"]] = distribution["DomainName"]
    return out
