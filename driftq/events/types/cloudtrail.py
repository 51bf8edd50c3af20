"""CloudTrail: calls name the trail by name or ARN."""

from driftq.events.mapping import on

EVENTS = {
    "aws_cloudtrail": on("CreateTrail DeleteTrail UpdateTrail StartLogging StopLogging PutEventSelectors PutInsightSelectors AddTags RemoveTags", "requestParameters.name", "requestParameters.trailName", "requestParameters.resourceId", "responseElements.trailARN"),
}  # fmt: skip
