"""Lambda: CloudTrail names carry the API version (UpdateFunctionCode20150331v2). Tag calls
name a function's or an event source mapping's ARN (`...:event-source-mapping:<uuid>`, which
ends with the mapping's UUID); each type keeps the ARNs of its own kind (plan.py's
`_ARN_KINDS`)."""

from driftq.events.mapping import on

SERVICE = "lambda"

EVENTS = {
    "aws_lambda_function": on("CreateFunction DeleteFunction UpdateFunctionCode UpdateFunctionConfiguration PutFunctionConcurrency DeleteFunctionConcurrency PutFunctionCodeSigningConfig DeleteFunctionCodeSigningConfig TagResource UntagResource AddPermission RemovePermission", "requestParameters.functionName", "responseElements.functionName", "requestParameters.resource"),
    "aws_lambda_permission": on("AddPermission RemovePermission", "requestParameters.functionName"),
    "aws_lambda_alias": on("CreateAlias UpdateAlias DeleteAlias", "requestParameters.functionName"),
    "aws_lambda_event_source_mapping": on("CreateEventSourceMapping UpdateEventSourceMapping DeleteEventSourceMapping TagResource UntagResource", "requestParameters.uUID", "responseElements.uUID", "requestParameters.resource"),
}  # fmt: skip
