"""Route 53 cases: a public zone (its apex NS and SOA are AWS's), a TXT record in it."""

from __future__ import annotations

from typing import Any

from tests.resources.harness import DEFAULT_TAGS, Built, Res, TypeCase, tags_state
from tests.support.estate import unique


def _make_zone(account: Any) -> tuple[str, str]:
    name = f"{unique('zone')}.example.com"
    route53 = account.client("route53")
    zone = route53.create_hosted_zone(
        Name=name,
        CallerReference=unique("ref"),
        HostedZoneConfig={"Comment": "Managed by Terraform"},
    )["HostedZone"]
    zone_id = zone["Id"].rsplit("/", 1)[-1]
    route53.change_tags_for_resource(
        ResourceType="hostedzone",
        ResourceId=zone_id,
        AddTags=[{"Key": k, "Value": v} for k, v in {"Name": name, **DEFAULT_TAGS}.items()],
    )
    return zone_id, name


def _zone_state(zone_id: str, name: str) -> dict[str, Any]:
    return {
        "id": zone_id,
        "zone_id": zone_id,
        "arn": f"arn:aws:route53:::hostedzone/{zone_id}",
        "name": name,
        "comment": "Managed by Terraform",
        "delegation_set_id": "",
        "force_destroy": False,
        "name_servers": ["ns-1.awsdns-01.org"],
        "primary_name_server": "ns-1.awsdns-01.org",
        "vpc": [],
        "timeouts": None,
        **tags_state({"Name": name}),
    }


def _zone(account: Any) -> Built:
    zone_id, name = _make_zone(account)
    return Built([Res("aws_route53_zone", "z", _zone_state(zone_id, name))], import_id=zone_id)


def _record(account: Any) -> Built:
    zone_id, zone = _make_zone(account)
    account.client("route53").change_resource_record_sets(
        HostedZoneId=zone_id,
        ChangeBatch={
            "Changes": [
                {
                    "Action": "CREATE",
                    "ResourceRecordSet": {
                        "Name": f"_verify.{zone}",
                        "Type": "TXT",
                        "TTL": 300,
                        "ResourceRecords": [{"Value": '"v=spf1 -all"'}],
                        # routed by location: the emulator answers GeoLocation
                        "SetIdentifier": "us",
                        "GeoLocation": {"CountryCode": "US"},
                    },
                }
            ]
        },
    )
    record_id = f"{zone_id}__verify.{zone}_TXT_us"
    state = {
        "id": record_id,
        "zone_id": zone_id,
        "name": "_verify",  # relative, as often configured; `fqdn` is the full name
        "fqdn": f"_verify.{zone}",
        "type": "TXT",
        "ttl": 300,
        "records": ["v=spf1 -all"],
        "set_identifier": "us",
        "alias": [],
        "allow_overwrite": None,
        "health_check_id": "",
        "multivalue_answer_routing_policy": False,
        "weighted_routing_policy": [],
        "failover_routing_policy": [],
        "latency_routing_policy": [],
        "geolocation_routing_policy": [{"continent": "", "country": "US", "subdivision": ""}],
        "cidr_routing_policy": [],
        "geoproximity_routing_policy": [],
        "timeouts": None,
    }
    return Built(
        [
            Res("aws_route53_record", "r", state),
            Res("aws_route53_zone", "z", _zone_state(zone_id, zone)),
        ],
        import_id=record_id,
    )


CASES = [
    TypeCase(type="aws_route53_zone", build=_zone),
    TypeCase(
        type="aws_route53_record",
        build=_record,
        mutations={
            "alias": [{"name": "lb.example.com", "zone_id": "Z35", "evaluate_target_health": True}]
        },
    ),
]
