"""KMS: calls name the key by id, ARN or alias; an alias cannot be matched to the key, so
such a call rescans every key of the unit."""

from driftq.events.mapping import on

EVENTS = {
    "aws_kms_key": on("CreateKey ScheduleKeyDeletion CancelKeyDeletion EnableKey DisableKey EnableKeyRotation DisableKeyRotation PutKeyPolicy UpdateKeyDescription TagResource UntagResource", "requestParameters.keyId", "responseElements.keyMetadata.keyId", unmatchable="alias/"),
    "aws_kms_alias": on("CreateAlias UpdateAlias DeleteAlias", "requestParameters.aliasName"),
}  # fmt: skip
