output "driftq_config" {
  description = "A starting driftq.yaml: terraform output -raw driftq_config > driftq.yaml"
  value       = yamlencode(local.driftq_config)
}

output "account_ids" {
  description = "Apply ./target once per id."
  value       = [for a in var.accounts : a.account_id]
}

output "dashboard" {
  value = module.footprint.dashboard_name
}
