"""KMS: calls name the key by id or ARN (an alias name cannot be matched: the type is
rescanned whole then)."""

from driftq.events.mapping import on

EVENTS = {
    "aws_kms_key": on("CreateKey ScheduleKeyDeletion CancelKeyDeletion EnableKey DisableKey EnableKeyRotation DisableKeyRotation PutKeyPolicy UpdateKeyDescription TagResource UntagResource", "requestParameters.keyId", "responseElements.keyMetadata.keyId"),
    "aws_kms_alias": on("CreateAlias UpdateAlias DeleteAlias", "requestParameters.aliasName"),
}  # fmt: skip
