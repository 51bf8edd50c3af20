output "scanner_role_arn" {
  value = module.scanner_role.role_arn
}

output "state_role_arn" {
  value = length(module.state_reader) > 0 ? module.state_reader[0].role_arn : null
}
