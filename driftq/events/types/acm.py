"""ACM: calls name the certificate by ARN (a new one in the response)."""

from driftq.events.mapping import on

EVENTS = {
    "aws_acm_certificate": on("RequestCertificate ImportCertificate DeleteCertificate UpdateCertificateOptions AddTagsToCertificate RemoveTagsFromCertificate", "requestParameters.certificateArn", "responseElements.certificateArn"),
}  # fmt: skip
