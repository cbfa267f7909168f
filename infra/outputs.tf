output "ecr_repository_url" {
  description = "Push and pull images here, tagged with the commit SHA."
  value       = aws_ecr_repository.app.repository_url
}

output "github_variables" {
  description = "Set these as the GitHub repository's Actions variables (not secrets: none is secret)."
  value = {
    AWS_REGION     = var.region
    AWS_ROLE_ARN   = aws_iam_role.github_push.arn
    ECR_REPOSITORY = aws_ecr_repository.app.name
  }
}

output "instance_id" {
  description = "The single box (for `aws ssm start-session --target`); null when scaled out."
  value       = var.scale_out ? null : aws_instance.app[0].id
}

output "public_ip" {
  description = "The single box's Elastic IP; null when scaled out."
  value       = var.scale_out ? null : aws_eip.app[0].public_ip
}

output "load_balancer_dns" {
  description = "The ALB's own name; null on the single box."
  value       = var.scale_out ? aws_lb.main[0].dns_name : null
}

output "database_endpoint" {
  description = "RDS host name (private: reachable from the app instances only)."
  value       = aws_db_instance.main.address
}

output "database_secret_arn" {
  description = "Secrets Manager secret holding the RDS master user's name and password."
  value       = aws_db_instance.main.master_user_secret[0].secret_arn
}

output "ssm_parameter_prefix" {
  description = "Put the app's settings under this SSM path (docs/deploy.md)."
  value       = local.ssm_prefix
}

output "kms_key_arn" {
  description = "Key for SecureString parameters under the prefix."
  value       = aws_kms_key.main.arn
}
