# The role driftq's scanner assumes in one target account: trusted by the management
# account only with the external id, allowed to read and nothing else.

locals {
  principals = length(var.trusted_principal_arns) > 0 ? var.trusted_principal_arns : [
    "arn:${var.partition}:iam::${var.management_account_id}:root"
  ]
  # the module ships the policy `driftq iam-policy` prints for this version of driftq (a test
  # keeps it equal to the registry's reads); policy_json overrides it, e.g. for one bucket
  least_privilege = var.policy_json != null ? var.policy_json : file("${path.module}/driftq-read-policy.json")
  actions         = var.allow_source_identity ? ["sts:AssumeRole", "sts:SetSourceIdentity"] : ["sts:AssumeRole"]
}

resource "aws_iam_role" "scanner" {
  name                 = var.role_name
  description          = "driftq drift detection: read-only access for the management account's scanner"
  max_session_duration = var.max_session_duration
  tags                 = var.tags

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DriftqScanner"
      Effect    = "Allow"
      Principal = { AWS = local.principals }
      Action    = local.actions
      Condition = { StringEquals = { "sts:ExternalId" = var.external_id } }
    }]
  })

}

resource "aws_iam_role_policy_attachment" "read_only" {
  count      = var.policy == "read_only" ? 1 : 0
  role       = aws_iam_role.scanner.name
  policy_arn = "arn:${var.partition}:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_policy" "least_privilege" {
  count       = var.policy == "least_privilege" ? 1 : 0
  name        = "${var.role_name}-read"
  description = "The read actions driftq's resource specs call, state-bucket read and KMS decrypt (driftq iam-policy)"
  policy      = local.least_privilege
  tags        = var.tags
}

resource "aws_iam_role_policy_attachment" "least_privilege" {
  count      = var.policy == "least_privilege" ? 1 : 0
  role       = aws_iam_role.scanner.name
  policy_arn = aws_iam_policy.least_privilege[0].arn
}
