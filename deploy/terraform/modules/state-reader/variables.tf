variable "role_name" {
  description = "The role driftq assumes to read Terraform state (state_backend.role_arn)."
  type        = string
  default     = "TerraformStateRole"
}

variable "management_account_id" {
  description = "The account driftq runs in."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.management_account_id))
    error_message = "management_account_id is a 12-digit AWS account id."
  }
}

variable "trusted_principal_arns" {
  description = "Narrow the trust to these principals (default: the management account)."
  type        = list(string)
  default     = []
}

variable "external_id" {
  description = "Required in AssumeRole (state_backend.external_id, else the account's)."
  type        = string
  sensitive   = true
}

variable "state_buckets" {
  description = "Buckets holding Terraform state, each with the key prefixes driftq may read (\"\" for the whole bucket)."
  type = list(object({
    bucket   = string
    prefixes = optional(list(string), [""])
  }))

  validation {
    condition     = length(var.state_buckets) > 0
    error_message = "Name at least one state bucket."
  }
}

variable "kms_key_arns" {
  description = "KMS keys that encrypt the state objects (kms:Decrypt)."
  type        = list(string)
  default     = []
}

variable "partition" {
  type    = string
  default = "aws"
}

variable "tags" {
  type    = map(string)
  default = {}
}
