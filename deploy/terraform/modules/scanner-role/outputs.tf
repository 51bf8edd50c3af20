output "role_arn" {
  description = "accounts[].role_arn in driftq's config."
  value       = aws_iam_role.scanner.arn
}

output "role_name" {
  value = aws_iam_role.scanner.name
}
