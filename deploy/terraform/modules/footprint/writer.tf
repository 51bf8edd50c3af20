# The writer: exactly the four writes driftq's outputs make (its client factory refuses
# everything else too), on these resources only.

locals {
  write_statements = [
    {
      Sid      = "PutReports"
      Effect   = "Allow"
      Action   = ["s3:PutObject"]
      Resource = ["${aws_s3_bucket.reports.arn}/*"]
    },
    {
      Sid       = "PutMetrics"
      Effect    = "Allow"
      Action    = ["cloudwatch:PutMetricData"]
      Resource  = ["*"] # PutMetricData has no resource; the namespace condition narrows it
      Condition = { StringEquals = { "cloudwatch:namespace" = var.namespace } }
    },
    {
      Sid      = "PublishAlerts"
      Effect   = "Allow"
      Action   = ["sns:Publish"]
      Resource = [aws_sns_topic.alerts.arn]
    },
    {
      Sid      = "WriteResults"
      Effect   = "Allow"
      Action   = ["dynamodb:PutItem", "dynamodb:BatchWriteItem"]
      Resource = [aws_dynamodb_table.results.arn]
    },
  ]
  # SSE-KMS objects and an encrypted topic need a data key from the caller
  kms_statements = var.kms_key_arn == null ? [] : [{
    Sid      = "EncryptWithTheFootprintKey"
    Effect   = "Allow"
    Action   = ["kms:GenerateDataKey", "kms:Decrypt"]
    Resource = [var.kms_key_arn]
  }]
  writer_trust_condition = var.writer_external_id == null ? {} : {
    StringEquals = { "sts:ExternalId" = var.writer_external_id }
  }
}

resource "aws_iam_policy" "writer" {
  name        = "${var.writer_role_name == null ? "driftq" : var.writer_role_name}-write"
  description = "driftq outputs: reports to S3, metrics, alerts, results; nothing else"
  tags        = var.tags
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = concat(local.write_statements, local.kms_statements)
  })
}

resource "aws_iam_role" "writer" {
  count       = var.writer_role_name == null ? 0 : 1
  name        = var.writer_role_name
  description = "driftq outputs: assumed by driftq's workers to write a run's results"
  tags        = var.tags

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [merge(
      {
        Sid       = "DriftqWorkers"
        Effect    = "Allow"
        Principal = { AWS = var.writer_principal_arns }
        Action    = "sts:AssumeRole"
      },
      length(local.writer_trust_condition) > 0 ? { Condition = local.writer_trust_condition } : {},
    )]
  })

  lifecycle {
    precondition {
      condition     = length(var.writer_principal_arns) > 0
      error_message = "writer_principal_arns names who runs driftq (or set writer_role_name = null)."
    }
  }
}

resource "aws_iam_role_policy_attachment" "writer" {
  count      = var.writer_role_name == null ? 0 : 1
  role       = aws_iam_role.writer[0].name
  policy_arn = aws_iam_policy.writer.arn
}
