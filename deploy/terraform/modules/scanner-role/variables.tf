variable "role_name" {
  description = "The role driftq assumes in this account (the config's accounts[].role_arn)."
  type        = string
  default     = "DriftMgrRole"
}

variable "management_account_id" {
  description = "The account driftq runs in: its principals may assume this role."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.management_account_id))
    error_message = "management_account_id is a 12-digit AWS account id."
  }
}

variable "trusted_principal_arns" {
  description = "Narrow the trust to these principals of the management account (default: the whole account, which then delegates with its own IAM policies)."
  type        = list(string)
  default     = []
}

variable "external_id" {
  description = "Required in AssumeRole (the config's accounts[].external_id)."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.external_id) >= 2 && length(var.external_id) <= 1224
    error_message = "external_id must be 2 to 1224 characters long."
  }
}

variable "policy" {
  description = "read_only: the AWS-managed ReadOnlyAccess. least_privilege: the policy `driftq iam-policy` prints (shipped as driftq-read-policy.json; policy_json overrides it)."
  type        = string
  default     = "read_only"

  validation {
    condition     = contains(["read_only", "least_privilege"], var.policy)
    error_message = "policy is read_only or least_privilege."
  }
}

variable "policy_json" {
  description = "Another least-privilege policy document than the shipped one, e.g. `driftq iam-policy --state-bucket B > policy.json`, then file(\"policy.json\"); null: the module's driftq-read-policy.json."
  type        = string
  default     = null
}

variable "allow_source_identity" {
  description = "Let driftq set a SourceIdentity on its sessions (sts:SetSourceIdentity), for CloudTrail."
  type        = bool
  default     = true
}

variable "max_session_duration" {
  description = "Seconds an assumed session may last (driftq refreshes before expiry)."
  type        = number
  default     = 3600
}

variable "partition" {
  description = "aws, aws-cn or aws-us-gov."
  type        = string
  default     = "aws"
}

variable "tags" {
  type    = map(string)
  default = {}
}
