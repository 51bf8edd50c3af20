"""Route 53 (global, one unit per account): hosted zones and their records.

Zones: one paginated ListHostedZones; tags in batches of ten zones (ListTagsForResources);
a private zone's VPCs need its GetHostedZone (public zones have none). Records: one
paginated ListResourceRecordSets per zone, which no batch replaces.

AWS writes a zone's apex NS and SOA records itself: silent unless a state holds them.
Zone ids are answered as `/hostedzone/Z123`, names with a trailing dot; Terraform holds
`Z123` and names without the dot (record names possibly relative to the zone: `fqdn` is
the full one). Zones are keyed by id; records by zone, name, type and set identifier, as
Terraform's `<zone>_<name>_<type>[_<set>]` id.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from botocore.exceptions import ClientError

from driftq.aws.errors import error_code
from driftq.resources.attributes import (
    COMPUTED,
    IDENTITY,
    NOT_EMULATED,
    TERRAFORM_ONLY,
    because,
    common,
)
from driftq.resources.batches import batches
from driftq.resources.context import ScanContext
from driftq.resources.spec import Attrs, ResourceSpec, Tags

Item = dict[str, Any]
_CLIENT = "route53"


def _zone_id(value: Any) -> str:
    return str(value or "").rsplit("/", 1)[-1]


def _name(value: Any) -> str:
    # a trailing dot, upper case and `\052` (AWS's escape for a wildcard) carry no meaning
    return str(value or "").rstrip(".").lower().replace("\\052", "*")


def _zones(ctx: ScanContext) -> list[Item]:
    def fetch() -> list[Item]:
        zones = [
            dict(z)
            for page in ctx.pages(_CLIENT, "ListHostedZones", {})
            for z in page.get("HostedZones") or []
        ]
        ids = [_zone_id(z["Id"]) for z in zones]
        tags: dict[str, list[Item]] = {}
        for batch in batches(ids, 10):  # the call's limit
            params = {"ResourceType": "hostedzone", "ResourceIds": batch}
            for page in ctx.pages(_CLIENT, "ListTagsForResources", params, paginated=False):
                for entry in page.get("ResourceTagSets") or []:
                    tags[entry.get("ResourceId")] = entry.get("Tags") or []
        for zone in zones:
            zone["Tags"] = tags.get(_zone_id(zone["Id"]), [])
        return zones

    return ctx.remember("route53:zones", fetch)


def zones_named(ctx: ScanContext, ids: Iterable[str]) -> list[Item]:
    """The zones of these ids (`Z123` or `/hostedzone/Z123`) as the listing and its tag
    batch give them, by GetHostedZone each (its answer has the VPCs too): a targeted scan's
    read. A zone that is gone (NoSuchHostedZone) is left out, so reported missing; so is an
    id that is no zone's (InvalidInput: a health check's, from ChangeTagsForResource)."""
    zones: list[Item] = []
    for zone_id in sorted({_zone_id(i) for i in ids}):
        try:
            answer = ctx.pages(_CLIENT, "GetHostedZone", {"Id": zone_id}, paginated=False)[0]
        except ClientError as exc:
            if error_code(exc) not in ("NoSuchHostedZone", "InvalidInput"):
                raise
            continue
        zones.append({**answer["HostedZone"], "VPCs": answer.get("VPCs") or []})
    if zones:
        params = {"ResourceType": "hostedzone", "ResourceIds": [_zone_id(z["Id"]) for z in zones]}
        tags = {
            entry.get("ResourceId"): entry.get("Tags") or []
            for page in ctx.pages(_CLIENT, "ListTagsForResources", params, paginated=False)
            for entry in page.get("ResourceTagSets") or []
        }
        for zone in zones:
            zone["Tags"] = tags.get(_zone_id(zone["Id"]), [])
    return zones


def records_of_zones(ctx: ScanContext, ids: Iterable[str]) -> list[Item]:
    """The records of these zones only (a targeted scan of a ChangeResourceRecordSets)."""
    return list(_records(ctx, zones_named(ctx, ids)))


def _enumerate_zones(ctx: ScanContext) -> Iterator[Item]:
    for zone in _zones(ctx):
        if (zone.get("Config") or {}).get("PrivateZone"):
            answer = ctx.pages(_CLIENT, "GetHostedZone", {"Id": zone["Id"]}, paginated=False)
            zone = {**zone, "VPCs": answer[0].get("VPCs") or []}
        yield zone


def _zone(item: Item, ctx: ScanContext) -> Attrs:
    zone_id = _zone_id(item["Id"])
    return {
        "id": zone_id,
        "zone_id": zone_id,
        "name": _name(item.get("Name")),
        "comment": (item.get("Config") or {}).get("Comment") or "",
        "vpc": [
            {"vpc_id": v.get("VPCId"), "vpc_region": v.get("VPCRegion")}
            for v in item.get("VPCs") or []
        ],
    }


def _enumerate_records(ctx: ScanContext) -> Iterator[Item]:
    return _records(ctx, _zones(ctx))


def _records(ctx: ScanContext, zones: Iterable[Item]) -> Iterator[Item]:
    for zone in zones:
        params = {"HostedZoneId": zone["Id"]}
        for page in ctx.pages(_CLIENT, "ListResourceRecordSets", params):
            for record in page.get("ResourceRecordSets") or []:
                yield {**record, "_zone": _zone_id(zone["Id"]), "_zone_name": zone["Name"]}


def _unquoted(value: str) -> str:
    # TXT values come back quoted; the provider keeps them without the outer quotes
    if len(value) >= 2 and value.startswith('"') and value.endswith('"'):
        return value[1:-1]
    return value


def _record(item: Item, ctx: ScanContext) -> Attrs:
    alias = item.get("AliasTarget")
    fqdn = _name(item.get("Name"))
    attrs: Attrs = {
        "zone_id": item["_zone"],
        "name": fqdn,
        "fqdn": fqdn,
        "type": item.get("Type"),
        "set_identifier": item.get("SetIdentifier") or "",
        "ttl": item.get("TTL") or 0,
        "records": [_unquoted(r.get("Value", "")) for r in item.get("ResourceRecords") or []],
        "alias": [
            {
                "name": _name(alias.get("DNSName")),
                "zone_id": alias.get("HostedZoneId"),
                "evaluate_target_health": bool(alias.get("EvaluateTargetHealth")),
            }
        ]
        if alias
        else [],
        "health_check_id": item.get("HealthCheckId") or "",
        "multivalue_answer_routing_policy": bool(item.get("MultiValueAnswer")),
        "weighted_routing_policy": [{"weight": item["Weight"]}] if "Weight" in item else [],
        "failover_routing_policy": [{"type": item["Failover"]}] if item.get("Failover") else [],
        "latency_routing_policy": [{"region": item["Region"]}] if item.get("Region") else [],
        **_location_policies(item),
        "_apex_default": item.get("Type") in ("NS", "SOA")
        and fqdn == _name(item.get("_zone_name")),
    }
    attrs["id"] = _record_id(attrs)
    return attrs


def _location_policies(item: Item) -> Attrs:
    """Geolocation, CIDR and geoproximity routing, in the provider's blocks (empty when the
    record does not route that way)."""
    geo = item.get("GeoLocation") or {}
    cidr = item.get("CidrRoutingConfig") or {}
    near = item.get("GeoProximityLocation") or {}
    coordinates = near.get("Coordinates") or {}
    return {
        "geolocation_routing_policy": [
            {
                "continent": geo.get("ContinentCode") or "",
                "country": geo.get("CountryCode") or "",
                "subdivision": geo.get("SubdivisionCode") or "",
            }
        ]
        if geo
        else [],
        "cidr_routing_policy": [
            {
                "collection_id": cidr.get("CollectionId") or "",
                "location_name": cidr.get("LocationName") or "",
            }
        ]
        if cidr
        else [],
        "geoproximity_routing_policy": [
            {
                "aws_region": near.get("AWSRegion") or "",
                "bias": near.get("Bias") or 0,
                "coordinates": [
                    {
                        "latitude": coordinates.get("Latitude") or "",
                        "longitude": coordinates.get("Longitude") or "",
                    }
                ]
                if coordinates
                else [],
                "local_zone_group": near.get("LocalZoneGroup") or "",
            }
        ]
        if near
        else [],
    }


def _coordinate(value: Any) -> str:
    # AWS answers `49.22` for the `49.220` a state may hold
    text = str(value or "")
    try:
        return repr(float(text))
    except ValueError:
        return text


def _proximity_form(value: Any) -> Any:
    out = []
    for block in value if isinstance(value, list) else []:
        if not isinstance(block, dict):
            out.append(block)
            continue
        points = [
            {k: _coordinate(p.get(k)) for k in ("latitude", "longitude")}
            if isinstance(p, dict)
            else p
            for p in block.get("coordinates") or []
        ]
        out.append({**block, "bias": block.get("bias") or 0, "coordinates": points})
    return out


def _record_id(attrs: Attrs) -> str:
    parts = [str(attrs.get("zone_id") or ""), _name(attrs.get("fqdn") or attrs.get("name"))]
    parts.append(str(attrs.get("type") or ""))
    if attrs.get("set_identifier"):
        parts.append(str(attrs["set_identifier"]))
    return "_".join(parts)


def _record_values(value: Any) -> Any:
    return sorted(_unquoted(str(v)) for v in value or [])


def _alias_form(value: Any) -> Any:
    blocks = value if isinstance(value, list) else []
    return [{**b, "name": _name(b.get("name"))} for b in blocks if isinstance(b, dict)]


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_route53_zone",
        service="route53",
        enumerate=_enumerate_zones,
        operations=(
            "route53:ListHostedZones",
            "route53:ListTagsForResources",
            "route53:GetHostedZone",
        ),
        tags=Tags(),
        normalize=_zone,
        compared=("name", "comment", "vpc", "tags"),
        left_out=common("id", "tags_all", "timeouts", "arn")
        | because(COMPUTED, "zone_id", "name_servers", "primary_name_server")
        | because(TERRAFORM_ONLY, "force_destroy", "delegation_set_id")
        # new in 2025: the emulator's GetHostedZone has no accelerated recovery
        | because(NOT_EMULATED, "enable_accelerated_recovery"),
        value_forms={"name": _name},
        is_global=True,
        import_id_format="zone id, e.g. Z1D633PJN98FT9",
    ),
    ResourceSpec(
        type="aws_route53_record",
        service="route53",
        enumerate=_enumerate_records,
        operations=(
            "route53:ListHostedZones",
            "route53:ListTagsForResources",
            "route53:ListResourceRecordSets",
            "route53:GetHostedZone",  # a targeted scan reads its zone alone
        ),
        normalize=_record,
        compared=(
            "records",
            "ttl",
            "alias",
            "health_check_id",
            "multivalue_answer_routing_policy",
            "weighted_routing_policy",
            "failover_routing_policy",
            "latency_routing_policy",
            "geolocation_routing_policy",
            "cidr_routing_policy",
            "geoproximity_routing_policy",
        ),
        left_out=common("id", "timeouts")
        | because(
            IDENTITY,
            "zone_id",
            "name",
            "type",
            "set_identifier",
        )
        | because(COMPUTED, "fqdn")
        | because(TERRAFORM_ONLY, "allow_overwrite"),
        identity=_record_id,
        value_forms={
            "records": _record_values,
            "alias": _alias_form,
            # provider 3.x writes null for a record never given the flag: that is false
            "multivalue_answer_routing_policy": bool,
            "geoproximity_routing_policy": _proximity_form,
        },
        parent="aws_route53_zone",
        parent_identity=lambda attrs: str(attrs.get("zone_id") or ""),
        is_aws_default=lambda attrs: bool(attrs.get("_apex_default")),
        is_global=True,
        not_emulated="CIDR and geoproximity routing",
        import_id_format="zone_name_type[_set], e.g. Z4KAPRWWNC7JR_dev.example.com_NS",
    ),
]
