"""SNS: calls name the topic by ARN."""

from driftq.events.mapping import on

_T = ("requestParameters.topicArn", "responseElements.topicArn", "requestParameters.resourceArn")

EVENTS = {
    "aws_sns_topic": on("CreateTopic DeleteTopic SetTopicAttributes TagResource UntagResource AddPermission RemovePermission", *_T),
    "aws_sns_topic_policy": on("SetTopicAttributes AddPermission RemovePermission", *_T),
    "aws_sns_topic_subscription": on("Subscribe Unsubscribe SetSubscriptionAttributes", "requestParameters.subscriptionArn", "responseElements.subscriptionArn"),
}  # fmt: skip
