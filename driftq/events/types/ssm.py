"""SSM Parameter Store: calls name the parameter (tag calls its id)."""

from driftq.events.mapping import on

EVENTS = {
    "aws_ssm_parameter": on("PutParameter DeleteParameter DeleteParameters AddTagsToResource RemoveTagsFromResource", "requestParameters.name", "requestParameters.names", "requestParameters.resourceId"),
}  # fmt: skip
