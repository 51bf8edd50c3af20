variable "account_id" {
  description = "The target account of this apply (one workspace per account)."
  type        = string
}

variable "management_account_id" {
  description = "Where driftq runs."
  type        = string
}

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "bootstrap_role_name" {
  description = "A role in the target account that Terraform may assume to create the scanner role."
  type        = string
  default     = "OrganizationAccountAccessRole"
}

variable "external_id" {
  description = "The same secret as DRIFTQ_EXTERNAL_ID where driftq runs."
  type        = string
  sensitive   = true
}

variable "scanner_role_name" {
  type    = string
  default = "DriftMgrRole"
}

variable "least_privilege_policy_file" {
  description = "`driftq iam-policy > driftq-read-policy.json`; null: ReadOnlyAccess."
  type        = string
  default     = null
}

variable "state_buckets" {
  description = "State buckets in this account to read through a separate state role (none: the scanner role reads them)."
  type = list(object({
    bucket   = string
    prefixes = optional(list(string), [""])
  }))
  default = []
}
