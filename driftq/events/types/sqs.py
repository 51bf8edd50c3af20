"""SQS: calls name the queue by URL (CreateQueue answers with it)."""

from driftq.events.mapping import on

_Q = ("requestParameters.queueUrl", "responseElements.queueUrl", "requestParameters.queueName")

EVENTS = {
    "aws_sqs_queue": on("CreateQueue DeleteQueue SetQueueAttributes TagQueue UntagQueue AddPermission RemovePermission", *_Q),
    "aws_sqs_queue_policy": on("SetQueueAttributes AddPermission RemovePermission", *_Q),
}  # fmt: skip
