variable "region" {
  description = "The management account's region for the footprint."
  type        = string
  default     = "us-east-1"
}

variable "accounts" {
  description = "The accounts driftq scans (each gets the scanner role: see target/)."
  type = list(object({
    name        = string
    account_id  = string
    regions     = list(string)
    state_bucket = optional(string)
    state_key    = optional(string, "terraform.tfstate")
  }))
}

variable "scanner_role_name" {
  type    = string
  default = "DriftMgrRole"
}

variable "driftq_principal_arns" {
  description = "The identity driftq's workers run as (an instance or task role): it assumes the writer role."
  type        = list(string)
}

variable "bucket_name" {
  type    = string
  default = "drift-reports"
}

variable "alert_email" {
  type    = string
  default = null
}
