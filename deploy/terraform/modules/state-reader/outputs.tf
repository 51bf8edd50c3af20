output "role_arn" {
  description = "state_backend.role_arn in driftq's config."
  value       = aws_iam_role.state_reader.arn
}
