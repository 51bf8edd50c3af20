"""Route 53 geolocation, CIDR and geoproximity routing on recorded ListResourceRecordSets
answers (botocore's shape): the emulator answers no CidrRoutingConfig or
GeoProximityLocation."""

from __future__ import annotations

from typing import Any

from tests.resources.recorded import drifted

ZONE = "Z09368953G729AFEX5048"


def _record(**routing: Any) -> dict[str, Any]:
    return {
        "Name": "api.example.com.",
        "Type": "A",
        "SetIdentifier": "one",
        "TTL": 60,
        "ResourceRecords": [{"Value": "192.0.2.1"}],
        "_zone": ZONE,
        "_zone_name": "example.com.",
        **routing,
    }


def _state(**policies: Any) -> dict[str, Any]:
    return {
        "id": f"{ZONE}_api.example.com_A_one",
        "geolocation_routing_policy": [],
        "cidr_routing_policy": [],
        "geoproximity_routing_policy": [],
        **policies,
    }


CIDR = {"CidrRoutingConfig": {"CollectionId": "c-1", "LocationName": "office"}}
NEAR = {
    "GeoProximityLocation": {
        "Coordinates": {"Latitude": "49.22", "Longitude": "-74.01"},
        "Bias": 10,
    }
}
NEAR_STATE = [
    {
        "aws_region": "",
        "bias": 10,
        "coordinates": [{"latitude": "49.220", "longitude": "-74.01"}],
        "local_zone_group": "",
    }
]


def test_a_record_without_location_routing_is_clean() -> None:
    assert drifted("aws_route53_record", _record(), _state()) == []


def test_cidr_routing() -> None:
    state = _state(cidr_routing_policy=[{"collection_id": "c-1", "location_name": "office"}])
    assert drifted("aws_route53_record", _record(**CIDR), state) == []
    moved = {"CidrRoutingConfig": {"CollectionId": "c-1", "LocationName": "*"}}
    assert drifted("aws_route53_record", _record(**moved), state) == ["cidr_routing_policy"]


def test_geoproximity_routing() -> None:
    state = _state(geoproximity_routing_policy=NEAR_STATE)
    assert drifted("aws_route53_record", _record(**NEAR), state) == []
    biased = {"GeoProximityLocation": {**NEAR["GeoProximityLocation"], "Bias": -20}}
    assert drifted("aws_route53_record", _record(**biased), state) == [
        "geoproximity_routing_policy"
    ]
    by_region = {"GeoProximityLocation": {"AWSRegion": "us-east-1"}}
    assert drifted("aws_route53_record", _record(**by_region), state) == [
        "geoproximity_routing_policy"
    ]


def test_geoproximity_without_bias_equals_zero() -> None:
    state = _state(
        geoproximity_routing_policy=[
            {"aws_region": "us-east-1", "bias": None, "coordinates": [], "local_zone_group": ""}
        ]
    )
    by_region = {"GeoProximityLocation": {"AWSRegion": "us-east-1"}}
    assert drifted("aws_route53_record", _record(**by_region), state) == []


def test_geolocation_default_location_and_change() -> None:
    state = _state(
        geolocation_routing_policy=[{"continent": "", "country": "*", "subdivision": ""}]
    )
    assert drifted("aws_route53_record", _record(GeoLocation={"CountryCode": "*"}), state) == []
    found = drifted("aws_route53_record", _record(GeoLocation={"ContinentCode": "EU"}), state)
    assert found == ["geolocation_routing_policy"]


def test_routing_added_outside_terraform_is_drift() -> None:
    assert drifted("aws_route53_record", _record(**CIDR), _state()) == ["cidr_routing_policy"]
