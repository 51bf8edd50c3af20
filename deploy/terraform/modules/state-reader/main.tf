# A separate role that can read Terraform state and nothing else: for state kept in
# another account than the resources, or kept apart from the scanner's permissions.

locals {
  principals = length(var.trusted_principal_arns) > 0 ? var.trusted_principal_arns : [
    "arn:${var.partition}:iam::${var.management_account_id}:root"
  ]
  objects = flatten([
    for b in var.state_buckets : [
      for p in b.prefixes : "arn:${var.partition}:s3:::${b.bucket}/${p}*"
    ]
  ])
  read_statements = [
    {
      Sid      = "ReadState"
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:GetObjectVersion"]
      Resource = local.objects
    },
    {
      # `prefix:` backends list the bucket to find every *.tfstate; workspaces live at env:/
      Sid      = "ListState"
      Effect   = "Allow"
      Action   = ["s3:ListBucket", "s3:GetBucketLocation"]
      Resource = [for b in var.state_buckets : "arn:${var.partition}:s3:::${b.bucket}"]
    },
  ]
  decrypt_statements = length(var.kms_key_arns) == 0 ? [] : [{
    Sid      = "DecryptState"
    Effect   = "Allow"
    Action   = ["kms:Decrypt"]
    Resource = var.kms_key_arns
  }]
}

resource "aws_iam_role" "state_reader" {
  name        = var.role_name
  description = "driftq drift detection: read Terraform state"
  tags        = var.tags

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DriftqStateReader"
      Effect    = "Allow"
      Principal = { AWS = local.principals }
      Action    = ["sts:AssumeRole", "sts:SetSourceIdentity"]
      Condition = { StringEquals = { "sts:ExternalId" = var.external_id } }
    }]
  })
}

resource "aws_iam_role_policy" "read_state" {
  name = "read-terraform-state"
  role = aws_iam_role.state_reader.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = concat(local.read_statements, local.decrypt_statements)
  })
}
