# The guide's set-up, one target account: the scanner role (and optionally a separate
# Terraform-state reader). Applied once per account, e.g.
#   terraform workspace select -or-create 333333333333
#   terraform apply -var account_id=333333333333 -var management_account_id=111111111111

provider "aws" {
  region = var.region
  assume_role {
    role_arn = "arn:aws:iam::${var.account_id}:role/${var.bootstrap_role_name}"
  }
}

module "scanner_role" {
  source                = "../../../modules/scanner-role"
  role_name             = var.scanner_role_name
  management_account_id = var.management_account_id
  external_id           = var.external_id
  policy                = var.least_privilege_policy_file == null ? "read_only" : "least_privilege"
  policy_json           = var.least_privilege_policy_file == null ? null : file(var.least_privilege_policy_file)
}

module "state_reader" {
  source                = "../../../modules/state-reader"
  count                 = length(var.state_buckets) > 0 ? 1 : 0
  management_account_id = var.management_account_id
  external_id           = var.external_id
  state_buckets         = var.state_buckets
}
