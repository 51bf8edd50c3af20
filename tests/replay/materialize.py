"""Live twins of real Terraform states: each creator makes, in a moto account, the AWS
resource one state instance describes (from the state's own attributes) and returns the
ids AWS assigned in its place (old id -> new id), which the replay writes back into the
state, as `terraform import` would have recorded them."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

# (client factory, the instance's attributes, ids assigned so far) -> ids assigned by it
Creator = Callable[[Any, dict[str, Any], dict[str, str]], dict[str, str]]
CREATORS: dict[str, Creator] = {}
# made first, in this order, before the other types of a state, which may refer to them: a
# subnet sizes the VPC it makes from its own block, which a gateway's VPC must then hold
CREATED_FIRST = (
    "aws_route53_zone",
    "aws_vpc",
    "aws_subnet",
    # a load balancer's groups, and the balancer and groups its listeners forward to
    "aws_security_group",
    "aws_lb",
    "aws_lb_target_group",
    # a user's or group's keys and policies: the user and group the state holds come first
    "aws_iam_user",
    "aws_iam_group",
    "aws_iam_policy",
)

# what a creator makes in place of a resource a state refers to but does not hold, where
# the replay scans that resource's type (a load balancer's second subnet): the replay's
# config excludes this tag, as a user excludes what another system manages
STAND_IN_TAG = {"Key": "driftq-replay", "Value": "stand-in"}


def moto_gap(rtype: str, attrs: dict[str, Any]) -> str | None:
    """Why moto cannot hold this instance as AWS would (then the replay leaves it out and
    does not count it), or None."""
    if rtype == "aws_route53_record" and not attrs.get("records") and not attrs.get("alias"):
        # no record set exists without values or an alias target: this state's NS record
        # (`allow_overwrite`) was written without reading the values back
        return "no record set without values or alias exists"
    return None


def moto_blind_spots(rtype: str, attrs: dict[str, Any]) -> dict[str, str]:
    """The attributes of this instance moto never answers as AWS does ({attribute: why}):
    the replay takes them out of the state it scans (as a provider version that does not
    record them would), so the instance is replayed over its other attributes."""
    if rtype == "aws_elasticache_cluster" and attrs.get("parameter_group_name"):
        # AWS answers every cluster's CacheParameterGroup (a default one when none was
        # asked for); moto keeps the name but answers no CacheParameterGroup
        return {"parameter_group_name": "moto answers no CacheParameterGroup"}
    if rtype == "aws_instance":
        spots: dict[str, str] = {}
        if attrs.get("credit_specification"):
            # moto launches every burstable instance with `standard` credits, ignoring
            # CreditSpecification (AWS launches T3 `unlimited`, as these states hold)
            spots["credit_specification"] = "moto ignores CreditSpecification"
        if attrs.get("associate_public_ip_address"):
            # AWS answers `amazon` as the IpOwnerId of a public address given at launch (an
            # Elastic IP's is the account's id); moto answers the account for both, so
            # whether the instance got its address at launch is not known there
            spots["associate_public_ip_address"] = "moto answers the account as IpOwnerId of a launch-given public address"  # fmt: skip
        return spots
    if rtype == "aws_ebs_volume" and attrs.get("type") == "gp2" and attrs.get("iops"):
        # AWS answers a gp2 volume's baseline IOPS (3 per GiB, at least 100); moto none
        return {"iops": "moto answers no IOPS for gp2 volumes"}
    if rtype == "aws_eip" and attrs.get("public_ipv4_pool"):
        # AWS answers the pool an address came from (`amazon`); moto answers none
        return {"public_ipv4_pool": "moto answers no PublicIpv4Pool"}
    if rtype == "aws_security_group_rule" and attrs.get("prefix_list_ids") and attrs.get("description"):  # fmt: skip
        # moto keeps a prefix-list rule without its description (AWS keeps it)
        return {"description": "moto drops the description of prefix-list rules"}
    return {}


def creates(rtype: str) -> Callable[[Creator], Creator]:
    def register(fn: Creator) -> Creator:
        CREATORS[rtype] = fn
        return fn

    return register


def _tags(attrs: dict[str, Any]) -> dict[str, str]:
    return dict(attrs.get("tags") or {})


def _tag_list(attrs: dict[str, Any]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in _tags(attrs).items()]


@creates("aws_sqs_queue")
def _sqs_queue(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    sqs = client("sqs")
    names = {
        "delay_seconds": "DelaySeconds",
        "max_message_size": "MaximumMessageSize",
        "message_retention_seconds": "MessageRetentionPeriod",
        "receive_wait_time_seconds": "ReceiveMessageWaitTimeSeconds",
        "visibility_timeout_seconds": "VisibilityTimeout",
        "kms_master_key_id": "KmsMasterKeyId",
        "kms_data_key_reuse_period_seconds": "KmsDataKeyReusePeriodSeconds",
        "policy": "Policy",
        "redrive_policy": "RedrivePolicy",
    }
    attributes = {aws: str(a[tf]) for tf, aws in names.items() if a.get(tf) not in (None, "")}
    if a.get("fifo_queue"):
        attributes["FifoQueue"] = "true"
        attributes["ContentBasedDeduplication"] = str(
            bool(a.get("content_based_deduplication"))
        ).lower()
    url = sqs.create_queue(QueueName=a["name"], Attributes=attributes, tags=_tags(a))["QueueUrl"]
    return {a["id"]: url}


@creates("aws_sqs_queue_policy")
def _sqs_queue_policy(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    sqs = client("sqs")
    name = a["queue_url"].rsplit("/", 1)[1]
    attributes = {"Policy": a["policy"]}
    if name.endswith(".fifo"):
        attributes["FifoQueue"] = "true"
    url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    return {a["queue_url"]: url}


@creates("aws_sns_topic")
def _sns_topic(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    names = {
        "display_name": "DisplayName",
        "policy": "Policy",
        "delivery_policy": "DeliveryPolicy",
        "kms_master_key_id": "KmsMasterKeyId",
    }
    attributes = {aws: str(a[tf]) for tf, aws in names.items() if a.get(tf) not in (None, "")}
    if a.get("fifo_topic"):
        attributes["FifoTopic"] = "true"
        attributes["ContentBasedDeduplication"] = str(
            bool(a.get("content_based_deduplication"))
        ).lower()
    kwargs: dict[str, Any] = {"Name": a["name"], "Attributes": attributes}
    if _tags(a):
        kwargs["Tags"] = _tag_list(a)
    arn = client("sns").create_topic(**kwargs)["TopicArn"]
    return {a["arn"]: arn}


@creates("aws_sns_topic_policy")
def _sns_topic_policy(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    name = a["arn"].rsplit(":", 1)[1]
    arn = client("sns").create_topic(Name=name, Attributes={"Policy": a["policy"]})["TopicArn"]
    return {a["arn"]: arn}


@creates("aws_iam_user")
def _iam_user(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    kwargs: dict[str, Any] = {"UserName": a["name"], "Path": a.get("path") or "/"}
    if _tags(a):
        kwargs["Tags"] = _tag_list(a)
    if a.get("permissions_boundary"):
        kwargs["PermissionsBoundary"] = a["permissions_boundary"]
    user = client("iam").create_user(**kwargs)["User"]
    return {a["unique_id"]: user["UserId"]} if a.get("unique_id") else {}


@creates("aws_iam_role")
def _iam_role(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    kwargs: dict[str, Any] = {
        "RoleName": a["name"],
        "Path": a.get("path") or "/",
        "AssumeRolePolicyDocument": a["assume_role_policy"],
        "MaxSessionDuration": int(a.get("max_session_duration") or 3600),
    }
    if a.get("description"):
        kwargs["Description"] = a["description"]
    if _tags(a):
        kwargs["Tags"] = _tag_list(a)
    if a.get("permissions_boundary"):
        kwargs["PermissionsBoundary"] = a["permissions_boundary"]
    role = client("iam").create_role(**kwargs)["Role"]
    return {a["unique_id"]: role["RoleId"]} if a.get("unique_id") else {}


@creates("aws_iam_policy")
def _iam_policy(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    kwargs: dict[str, Any] = {
        "PolicyName": a["name"],
        "Path": a.get("path") or "/",
        "PolicyDocument": a["policy"],
    }
    if a.get("description"):
        kwargs["Description"] = a["description"]
    if _tags(a):
        kwargs["Tags"] = _tag_list(a)
    client("iam").create_policy(**kwargs)
    return {}


@creates("aws_iam_role_policy_attachment")
def _iam_role_policy_attachment(
    client: Any, a: dict[str, Any], made: dict[str, str]
) -> dict[str, str]:
    iam = client("iam")
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "ec2.amazonaws.com"}}]}  # fmt: skip
    roles = {r["RoleName"] for r in iam.list_roles()["Roles"]}
    if a["role"] not in roles:
        iam.create_role(RoleName=a["role"], AssumeRolePolicyDocument=json.dumps(trust))
    arn = a["policy_arn"]
    if ":aws:policy/" not in arn:
        policies = {p["Arn"] for p in iam.list_policies(Scope="Local")["Policies"]}
        if arn not in policies:
            document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}  # fmt: skip
            name = arn.rsplit("/", 1)[1]
            iam.create_policy(PolicyName=name, PolicyDocument=json.dumps(document))
    iam.attach_role_policy(RoleName=a["role"], PolicyArn=arn)
    return {}


@creates("aws_kms_key")
def _kms_key(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    kms = client("kms")
    kwargs: dict[str, Any] = {
        "Description": a.get("description") or "",
        "KeyUsage": a.get("key_usage") or "ENCRYPT_DECRYPT",
        "KeySpec": a.get("customer_master_key_spec") or "SYMMETRIC_DEFAULT",
    }
    if a.get("policy"):
        kwargs["Policy"] = a["policy"]
    if _tags(a):
        kwargs["Tags"] = [{"TagKey": k, "TagValue": v} for k, v in _tags(a).items()]
    if a.get("multi_region"):
        kwargs["MultiRegion"] = True
    key = kms.create_key(**kwargs)["KeyMetadata"]
    if a.get("enable_key_rotation"):
        kms.enable_key_rotation(KeyId=key["KeyId"])
    if a.get("is_enabled") is False:
        kms.disable_key(KeyId=key["KeyId"])
    return {a["id"]: key["KeyId"]}


@creates("aws_vpc")
def _vpc(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock=a["cidr_block"], InstanceTenancy=a.get("instance_tenancy") or "default")["Vpc"]["VpcId"]  # fmt: skip
    for attr, key in (("enable_dns_support", "EnableDnsSupport"), ("enable_dns_hostnames", "EnableDnsHostnames")):  # fmt: skip
        if a.get(attr) is not None:
            ec2.modify_vpc_attribute(VpcId=vpc, **{key: {"Value": bool(a[attr])}})
    if _tags(a):
        ec2.create_tags(Resources=[vpc], Tags=_tag_list(a))
    return {a["id"]: vpc}


@creates("aws_dynamodb_table")
def _dynamodb_table(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    keys = [{"AttributeName": a["hash_key"], "KeyType": "HASH"}]
    if a.get("range_key"):
        keys.append({"AttributeName": a["range_key"], "KeyType": "RANGE"})
    provisioned = a.get("billing_mode", "PROVISIONED") == "PROVISIONED"
    kwargs: dict[str, Any] = {
        "TableName": a["name"],
        "KeySchema": keys,
        "AttributeDefinitions": [
            {"AttributeName": x["name"], "AttributeType": x["type"]} for x in a["attribute"]
        ],
        "BillingMode": "PROVISIONED" if provisioned else "PAY_PER_REQUEST",
    }
    if provisioned:
        kwargs["ProvisionedThroughput"] = {
            "ReadCapacityUnits": int(a["read_capacity"]),
            "WriteCapacityUnits": int(a["write_capacity"]),
        }
    indexes = []
    for gsi in a.get("global_secondary_index") or []:
        schema = [{"AttributeName": gsi["hash_key"], "KeyType": "HASH"}]
        if gsi.get("range_key"):
            schema.append({"AttributeName": gsi["range_key"], "KeyType": "RANGE"})
        index: dict[str, Any] = {
            "IndexName": gsi["name"],
            "KeySchema": schema,
            "Projection": {"ProjectionType": gsi["projection_type"]},
        }
        if gsi.get("non_key_attributes"):
            index["Projection"]["NonKeyAttributes"] = gsi["non_key_attributes"]
        if provisioned:
            index["ProvisionedThroughput"] = {
                "ReadCapacityUnits": int(gsi["read_capacity"]),
                "WriteCapacityUnits": int(gsi["write_capacity"]),
            }
        indexes.append(index)
    if indexes:
        kwargs["GlobalSecondaryIndexes"] = indexes
    if a.get("stream_enabled"):
        kwargs["StreamSpecification"] = {
            "StreamEnabled": True,
            "StreamViewType": a["stream_view_type"],
        }
    if _tags(a):
        kwargs["Tags"] = _tag_list(a)
    client("dynamodb").create_table(**kwargs)
    return {}


@creates("aws_subnet")
def _subnet(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    """The subnet's VPC is not in the state: one is made per VPC id, wide enough for its
    subnets (a /16 around the first subnet's block)."""
    ec2 = client("ec2")
    assigned: dict[str, str] = {}
    vpc = _vpc_for(ec2, a["vpc_id"], a["cidr_block"], made, assigned)
    created = ec2.create_subnet(
        VpcId=vpc, CidrBlock=a["cidr_block"], AvailabilityZone=a["availability_zone"]
    )["Subnet"]
    subnet = created["SubnetId"]
    # zone ids are per account in AWS; moto has its own for each zone name
    if a.get("availability_zone_id") and a["availability_zone_id"] != created["AvailabilityZoneId"]:
        assigned[a["availability_zone_id"]] = created["AvailabilityZoneId"]
    if a.get("map_public_ip_on_launch"):
        ec2.modify_subnet_attribute(SubnetId=subnet, MapPublicIpOnLaunch={"Value": True})
    if _tags(a):
        ec2.create_tags(Resources=[subnet], Tags=_tag_list(a))
    return {**assigned, a["id"]: subnet}


def _vpc_for(
    ec2: Any, old_id: str, cidr: str, made: dict[str, str], assigned: dict[str, str]
) -> str:
    """The live VPC standing for ``old_id`` (not in the state): made once, a /16 around
    ``cidr``."""
    vpc = made.get(old_id) or assigned.get(old_id)
    if vpc is None:
        first, second = cidr.split(".")[:2]
        vpc = ec2.create_vpc(CidrBlock=f"{first}.{second}.0.0/16")["Vpc"]["VpcId"]
        assigned[old_id] = vpc
    return str(vpc)


def _permission(rule: dict[str, Any], group_id: str, old_group: str, made: dict[str, str]) -> dict[str, Any]:  # fmt: skip
    """One IpPermission from a Terraform rule block (inline or aws_security_group_rule)."""
    permission: dict[str, Any] = {"IpProtocol": str(rule["protocol"])}
    if str(rule["protocol"]) != "-1":
        permission["FromPort"] = int(rule["from_port"])
        permission["ToPort"] = int(rule["to_port"])
    description = rule.get("description") or None
    extra = {"Description": description} if description else {}
    permission["IpRanges"] = [{"CidrIp": c, **extra} for c in rule.get("cidr_blocks") or []]
    permission["Ipv6Ranges"] = [
        {"CidrIpv6": c, **extra} for c in rule.get("ipv6_cidr_blocks") or []
    ]
    permission["PrefixListIds"] = [
        {"PrefixListId": made.get(p, p), **extra} for p in rule.get("prefix_list_ids") or []
    ]
    sources = list(rule.get("security_groups") or [])
    if rule.get("source_security_group_id"):
        sources.append(rule["source_security_group_id"])
    if rule.get("self"):
        sources.append(old_group)
    permission["UserIdGroupPairs"] = [
        {"GroupId": group_id if g == old_group else made.get(g, g), **extra}
        for g in dict.fromkeys(sources)
    ]
    return permission


def _group(ec2: Any, old_id: str, made: dict[str, str], assigned: dict[str, str], **spec: Any) -> str:  # fmt: skip
    """The live group standing for ``old_id``, made once without AWS's default egress rule
    (a Terraform-managed group has only the rules Terraform gives it)."""
    group = made.get(old_id) or assigned.get(old_id)
    if group is None:
        group = ec2.create_security_group(**spec)["GroupId"]
        ec2.revoke_security_group_egress(
            GroupId=group,
            IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
        )
        assigned[old_id] = group
    return str(group)


@creates("aws_security_group")
def _security_group(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    ec2 = client("ec2")
    assigned: dict[str, str] = {}
    cidrs = [c for r in a.get("ingress") or [] for c in r.get("cidr_blocks") or []]
    vpc = _vpc_for(ec2, a["vpc_id"], (cidrs or ["10.0.0.0/16"])[0], made, assigned)
    group = _group(
        ec2,
        a["id"],
        made,
        assigned,
        GroupName=a["name"],
        Description=a["description"],
        VpcId=vpc,
    )
    both = {**made, **assigned}
    for direction, call in (("ingress", "authorize_security_group_ingress"), ("egress", "authorize_security_group_egress")):  # fmt: skip
        rules = [_permission(r, group, a["id"], both) for r in a.get(direction) or []]
        if rules:
            getattr(ec2, call)(GroupId=group, IpPermissions=rules)
    if _tags(a):
        ec2.create_tags(Resources=[group], Tags=_tag_list(a))
    return assigned


@creates("aws_security_group_rule")
def _security_group_rule(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    """The rule's group is not in the state: one per group id, in a VPC of its own."""
    ec2 = client("ec2")
    assigned: dict[str, str] = {}
    old_group = a["security_group_id"]
    if old_group not in made:
        vpc = _vpc_for(ec2, f"vpc-of-{old_group}", "10.0.0.0/16", made, assigned)
        _group(ec2, old_group, made, assigned, GroupName=old_group, Description="replay", VpcId=vpc)  # fmt: skip
    for prefix_list in a.get("prefix_list_ids") or []:
        if prefix_list not in made and prefix_list not in assigned:
            created = ec2.create_managed_prefix_list(
                PrefixListName=prefix_list, MaxEntries=5, AddressFamily="IPv4"
            )
            assigned[prefix_list] = created["PrefixList"]["PrefixListId"]
    both = {**made, **assigned}
    group = both[old_group]
    permission = _permission(a, group, old_group, both)
    call = "authorize_security_group_ingress" if a["type"] == "ingress" else "authorize_security_group_egress"  # fmt: skip
    getattr(ec2, call)(GroupId=group, IpPermissions=[permission])
    return assigned


def _bucket(client: Any, name: str, region: str) -> None:
    s3 = client("s3")
    if name in {b["Name"] for b in s3.list_buckets()["Buckets"]}:
        return
    kwargs: dict[str, Any] = {"Bucket": name}
    if region != "us-east-1":
        kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
    s3.create_bucket(**kwargs)


@creates("aws_s3_bucket")
def _s3_bucket(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    """A provider-3 bucket: its inline settings too (versioning, encryption, policy)."""
    s3 = client("s3")
    _bucket(client, a["bucket"], s3.meta.region_name)
    if _tags(a):
        s3.put_bucket_tagging(Bucket=a["bucket"], Tagging={"TagSet": _tag_list(a)})
    for versioning in a.get("versioning") or []:
        if versioning.get("enabled"):
            s3.put_bucket_versioning(
                Bucket=a["bucket"], VersioningConfiguration={"Status": "Enabled"}
            )
    for sse in a.get("server_side_encryption_configuration") or []:
        rules = [
            {
                "ApplyServerSideEncryptionByDefault": {
                    "SSEAlgorithm": d["sse_algorithm"],
                    **(
                        {"KMSMasterKeyID": d["kms_master_key_id"]}
                        if d.get("kms_master_key_id")
                        else {}
                    ),
                }
            }
            for rule in sse.get("rule") or []
            for d in rule.get("apply_server_side_encryption_by_default") or []
        ]
        s3.put_bucket_encryption(
            Bucket=a["bucket"], ServerSideEncryptionConfiguration={"Rules": rules}
        )
    if a.get("policy"):
        s3.put_bucket_policy(Bucket=a["bucket"], Policy=a["policy"])
    return {}


@creates("aws_s3_bucket_policy")
def _s3_bucket_policy(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    s3 = client("s3")
    _bucket(client, a["bucket"], s3.meta.region_name)
    s3.put_bucket_policy(Bucket=a["bucket"], Policy=a["policy"])
    return {}


@creates("aws_s3_bucket_public_access_block")
def _s3_public_access_block(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:  # fmt: skip
    s3 = client("s3")
    _bucket(client, a["bucket"], s3.meta.region_name)
    names = ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")  # fmt: skip
    s3.put_public_access_block(
        Bucket=a["bucket"],
        PublicAccessBlockConfiguration={
            "".join(w.capitalize() for w in n.split("_")): bool(a.get(n)) for n in names
        },
    )
    return {}


def _default_subnet(ec2: Any, zone: str) -> tuple[str, str]:
    """The default VPC and its default subnet in ``zone``."""
    subnet = ec2.describe_subnets(
        Filters=[
            {"Name": "default-for-az", "Values": ["true"]},
            {"Name": "availability-zone", "Values": [zone]},
        ]
    )["Subnets"][0]
    return str(subnet["VpcId"]), str(subnet["SubnetId"])


def _named_group(ec2: Any, old_id: str, name: str, vpc: str, made: dict[str, str], assigned: dict[str, str]) -> str:  # fmt: skip
    """The group standing for ``old_id``: the VPC's own for `default` (AWS makes it with
    the VPC), else one made with that name."""
    if name == "default" and old_id not in made and old_id not in assigned:
        assigned[old_id] = ec2.describe_security_groups(
            Filters=[
                {"Name": "vpc-id", "Values": [vpc]},
                {"Name": "group-name", "Values": ["default"]},
            ]
        )["SecurityGroups"][0]["GroupId"]
    return _group(ec2, old_id, made, assigned, GroupName=name, Description="replay", VpcId=vpc)


@creates("aws_instance")
def _instance(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    """Its subnet and groups (not in the state) are made per id. moto launches from any AMI
    id, so the state's own is kept (looking up moto's AMIs costs seconds per account)."""
    ec2 = client("ec2")
    assigned: dict[str, str] = {}
    if a.get("security_groups"):
        # the provider records group names only for an instance in a default VPC (or
        # EC2-Classic): its twin is in the default VPC's subnet of its zone
        vpc, subnet = _default_subnet(ec2, a["availability_zone"])
        assigned[a["subnet_id"]] = subnet
    else:
        vpc = _vpc_for(ec2, f"vpc-of-{a['subnet_id']}", "10.0.0.0/16", made, assigned)
        subnet = made.get(a["subnet_id"]) or assigned.get(a["subnet_id"])
    if subnet is None:
        count = len(ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"])
        subnet = ec2.create_subnet(
            VpcId=vpc, CidrBlock=f"10.0.{count}.0/24", AvailabilityZone=a["availability_zone"]
        )["Subnet"]["SubnetId"]
        assigned[a["subnet_id"]] = subnet
    ids = list(a.get("vpc_security_group_ids") or [])
    names = list(a.get("security_groups") or [])
    # one group of each: its id and its name (both read back from the same group)
    named = dict(zip(ids, names, strict=True)) if len(ids) == len(names) == 1 else {}
    groups = [_named_group(ec2, g, named.get(g, g), vpc, made, assigned) for g in ids]
    kwargs: dict[str, Any] = {
        "ImageId": a["ami"],
        "InstanceType": a["instance_type"],
        "SubnetId": subnet,
        "SecurityGroupIds": groups,
        "MinCount": 1,
        "MaxCount": 1,
        "Monitoring": {"Enabled": bool(a.get("monitoring"))},
        "EbsOptimized": bool(a.get("ebs_optimized")),
    }
    if a.get("key_name"):
        kwargs["KeyName"] = a["key_name"]
    for credits in a.get("credit_specification") or []:
        kwargs["CreditSpecification"] = {"CpuCredits": credits["cpu_credits"]}
    for options in a.get("metadata_options") or []:
        kwargs["MetadataOptions"] = {
            "HttpEndpoint": options["http_endpoint"],
            "HttpTokens": options["http_tokens"],
            "HttpPutResponseHopLimit": int(options["http_put_response_hop_limit"]),
        }
    if _tags(a):
        kwargs["TagSpecifications"] = [{"ResourceType": "instance", "Tags": _tag_list(a)}]
    launched = ec2.run_instances(**kwargs)["Instances"][0]
    instance = launched["InstanceId"]
    # the private address moto gave it stands for the state's (assigned from the subnet)
    if a.get("private_ip") and launched.get("PrivateIpAddress"):
        assigned[a["private_ip"]] = launched["PrivateIpAddress"]
    if a.get("source_dest_check") is False:
        ec2.modify_instance_attribute(InstanceId=instance, SourceDestCheck={"Value": False})
    return {**assigned, a["id"]: instance}


@creates("aws_lambda_function")
def _lambda_function(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    """Its role (not in the state) is made per ARN; the code is a stub: not compared."""
    import io
    import zipfile

    iam = client("iam")
    role_name = a["role"].rsplit("/", 1)[1]
    if role_name not in {r["RoleName"] for r in iam.list_roles()["Roles"]}:
        trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "lambda.amazonaws.com"}}]}  # fmt: skip
        iam.create_role(RoleName=role_name, AssumeRolePolicyDocument=json.dumps(trust))
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("lambda.js", "exports.handler = async () => 1;\n")
    kwargs: dict[str, Any] = {
        "FunctionName": a["function_name"],
        "Runtime": a["runtime"],
        "Role": a["role"],
        "Handler": a["handler"],
        "Code": {"ZipFile": code.getvalue()},
        "Description": a.get("description") or "",
        "Timeout": int(a.get("timeout") or 3),
        "MemorySize": int(a.get("memory_size") or 128),
    }
    for environment in a.get("environment") or []:
        kwargs["Environment"] = {"Variables": dict(environment.get("variables") or {})}
    if _tags(a):
        kwargs["Tags"] = _tags(a)
    client("lambda").create_function(**kwargs)
    return {}


# the types driftq scans whose fixture instances get no live twin, and why (the replay
# prints them with their counts; every other scanned type must have a creator)
NOT_MATERIALIZED: dict[str, str] = {
    "aws_default_vpc": "AWS makes the default VPC: moto's own stands in the account, not the state's",
    "aws_default_security_group": "AWS makes it with its VPC: the state's is in another region's default VPC",
}

# the creators of the later types register themselves on import
from tests.replay import (  # noqa: E402, F401
    materialize_defaults,
    materialize_more,
    materialize_network,
    materialize_services,
)
