"""CloudFront: global, recorded in us-east-1; calls name the distribution by id (tag calls
by its ARN, `...:distribution/E2QWRUHAPOMQZL`)."""

from driftq.events.mapping import on

EVENTS = {
    "aws_cloudfront_distribution": on("CreateDistribution CreateDistributionWithTags CopyDistribution UpdateDistribution UpdateDistributionWithStagingConfig DeleteDistribution AssociateAlias TagResource UntagResource", "requestParameters.id", "requestParameters.targetDistributionId", "responseElements.distribution.id", "requestParameters.resource"),
}  # fmt: skip
