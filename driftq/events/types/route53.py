"""Route 53: global; calls name the zone by id (`/hostedzone/Z...` or `Z...`)."""

from driftq.events.mapping import on

_ZONE = (
    "requestParameters.hostedZoneId",
    "requestParameters.id",
    "requestParameters.resourceId",
    "responseElements.hostedZone.id",
)

EVENTS = {
    "aws_route53_zone": on("CreateHostedZone DeleteHostedZone UpdateHostedZoneComment ChangeTagsForResource AssociateVPCWithHostedZone DisassociateVPCFromHostedZone", *_ZONE),
    "aws_route53_record": on("ChangeResourceRecordSets", *_ZONE),
}  # fmt: skip
