output "bucket" {
  description = "outputs.s3.bucket"
  value       = aws_s3_bucket.reports.id
}

output "table" {
  description = "outputs.dynamodb.table"
  value       = aws_dynamodb_table.results.name
}

output "topic_arn" {
  description = "outputs.sns.topic_arn"
  value       = aws_sns_topic.alerts.arn
}

output "dashboard_name" {
  value = aws_cloudwatch_dashboard.drift.dashboard_name
}

output "writer_policy_arn" {
  description = "Attach to driftq's own identity when it writes without a role."
  value       = aws_iam_policy.writer.arn
}

output "writer_role_arn" {
  description = "outputs.role_arn (null without a writer role)."
  value       = var.writer_role_name == null ? null : aws_iam_role.writer[0].arn
}

output "outputs_config" {
  description = "The `outputs:` section of driftq's config for this footprint."
  value = {
    role_arn   = var.writer_role_name == null ? null : aws_iam_role.writer[0].arn
    region     = var.region
    s3         = { bucket = aws_s3_bucket.reports.id, region = var.region, kms_key_id = var.kms_key_arn }
    cloudwatch = { namespace = var.namespace }
    sns        = { topic_arn = aws_sns_topic.alerts.arn }
    dynamodb   = { table = aws_dynamodb_table.results.name }
  }
}
