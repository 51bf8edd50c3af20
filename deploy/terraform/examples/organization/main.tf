# The guide's set-up, management account side: the footprint driftq writes to, and the
# driftq config for a list of accounts. The scanner role in each of those accounts comes
# from ./target (one apply per account: see deploy/terraform/README.md).

provider "aws" {
  region = var.region
}

module "footprint" {
  source                = "../../modules/footprint"
  region                = var.region
  bucket_name           = var.bucket_name
  alert_email           = var.alert_email
  writer_principal_arns = var.driftq_principal_arns
}

locals {
  driftq_config = {
    version = "1.0"
    accounts = [
      for a in var.accounts : merge(
        {
          name       = a.name
          account_id = a.account_id
          role_arn   = "arn:aws:iam::${a.account_id}:role/${var.scanner_role_name}"
          # the secret stays out of Terraform's outputs: driftq reads it from its environment
          external_id = "$${DRIFTQ_EXTERNAL_ID}"
          regions     = a.regions
        },
        a.state_bucket == null ? {} : {
          state_backend = {
            type   = "s3"
            bucket = a.state_bucket
            key    = a.state_key
            region = var.region
          }
        },
      )
    ]
    outputs = module.footprint.outputs_config
  }
}
