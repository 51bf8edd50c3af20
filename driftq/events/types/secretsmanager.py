"""Secrets Manager: calls name the secret by name or ARN (the value is never read)."""

from driftq.events.mapping import on

EVENTS = {
    "aws_secretsmanager_secret": on("CreateSecret DeleteSecret RestoreSecret UpdateSecret TagResource UntagResource PutResourcePolicy DeleteResourcePolicy RotateSecret CancelRotateSecret ReplicateSecretToRegions RemoveRegionsFromReplication", "requestParameters.secretId", "responseElements.arn", "requestParameters.name"),
}  # fmt: skip
