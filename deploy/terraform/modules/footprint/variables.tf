variable "region" {
  description = "The region of this footprint and of the dashboard's metrics (outputs.region)."
  type        = string
}

variable "bucket_name" {
  description = "The reports bucket (outputs.s3.bucket)."
  type        = string
  default     = "drift-reports"
}

variable "kms_key_arn" {
  description = "Encrypt the bucket and topic with this KMS key (default: S3-managed keys, and SNS's own)."
  type        = string
  default     = null
}

variable "noncurrent_version_days" {
  description = "Days an overwritten report version is kept (the bucket is versioned)."
  type        = number
  default     = 90
}

variable "table_name" {
  description = "The results table (outputs.dynamodb.table)."
  type        = string
  default     = "drift-detection-results"
}

variable "topic_name" {
  description = "The alert topic (outputs.sns.topic_arn)."
  type        = string
  default     = "drift-alerts"
}

variable "alert_email" {
  description = "Subscribe this address to the topic (it must confirm the subscription)."
  type        = string
  default     = null
}

variable "namespace" {
  description = "The CloudWatch namespace (outputs.cloudwatch.namespace)."
  type        = string
  default     = "DriftMgr"
}

variable "dashboard_name" {
  type    = string
  default = "driftq-drift"
}

variable "writer_role_name" {
  description = "The role driftq's outputs assume (outputs.role_arn); null: no role, attach writer_policy_arn to driftq's own identity instead."
  type        = string
  default     = "DriftqOutputs"
}

variable "writer_principal_arns" {
  description = "Who runs driftq (its workers' role): they may assume the writer role."
  type        = list(string)
  default     = []
}

variable "writer_external_id" {
  description = "outputs.external_id; null: no external id condition (same-account role)."
  type        = string
  default     = null
  sensitive   = true
}

variable "partition" {
  type    = string
  default = "aws"
}

variable "tags" {
  type    = map(string)
  default = {}
}
