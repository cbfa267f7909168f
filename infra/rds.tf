# PostgreSQL on RDS: private subnets only, encrypted with the project key, TLS enforced, daily
# backups with point-in-time recovery, and a master password that RDS creates, keeps in Secrets
# Manager and rotates (it never appears in Terraform, its state, or the image).
resource "aws_db_subnet_group" "main" {
  name       = var.project
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_db_parameter_group" "main" {
  name   = "${var.project}-postgres15"
  family = "postgres15"

  # Refuse unencrypted connections.
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }
  # Log schema changes and any statement slower than half a second: enough to debug, not a flood.
  parameter {
    name  = "log_statement"
    value = "ddl"
  }
  parameter {
    name  = "log_min_duration_statement"
    value = "500"
  }
}

resource "aws_db_instance" "main" {
  # checkov:skip=CKV_AWS_157:Single-AZ next to the app box is the seed's chosen cost shape; db_multi_az = true adds the standby, and backups with point-in-time recovery cover the loss of the zone
  # checkov:skip=CKV_AWS_353:Performance Insights is not offered on every micro class and AWS is retiring it for CloudWatch Database Insights; Enhanced Monitoring and slow-query logs (below) cover this size
  identifier     = var.project
  engine         = "postgres"
  engine_version = "15"
  instance_class = var.db_instance_class
  # Same zone as the single app box: no cross-zone latency or transfer charges.
  availability_zone = var.db_multi_az ? null : local.azs[0]
  multi_az          = var.db_multi_az

  db_name  = "guessthatmovie"
  username = "guessthatmovie"
  # RDS generates the password and keeps it in Secrets Manager, encrypted with the project key.
  manage_master_user_password   = true
  master_user_secret_kms_key_id = aws_kms_key.main.arn

  allocated_storage     = var.db_allocated_storage
  max_allocated_storage = var.db_allocated_storage * 4
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = aws_kms_key.main.arn

  db_subnet_group_name   = aws_db_subnet_group.main.name
  vpc_security_group_ids = [aws_security_group.db.id]
  publicly_accessible    = false
  parameter_group_name   = aws_db_parameter_group.main.name
  ca_cert_identifier     = "rds-ca-rsa2048-g1"

  backup_retention_period    = var.db_backup_retention_days
  backup_window              = "03:00-03:30"
  maintenance_window         = "sun:04:00-sun:04:30"
  copy_tags_to_snapshot      = true
  delete_automated_backups   = false
  deletion_protection        = true
  skip_final_snapshot        = false
  final_snapshot_identifier  = "${var.project}-final"
  auto_minor_version_upgrade = true
  apply_immediately          = false

  iam_database_authentication_enabled = true
  enabled_cloudwatch_logs_exports     = ["postgresql", "upgrade"]
  monitoring_interval                 = 60
  monitoring_role_arn                 = aws_iam_role.rds_monitoring.arn
  performance_insights_enabled        = false
}

resource "aws_iam_role" "rds_monitoring" {
  name               = "${var.project}-rds-monitoring"
  assume_role_policy = data.aws_iam_policy_document.rds_monitoring_assume.json
}

data "aws_iam_policy_document" "rds_monitoring_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["monitoring.rds.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy_attachment" "rds_monitoring" {
  role       = aws_iam_role.rds_monitoring.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}

# The workers' own role (gtm_app, created and granted by `gtm-deploy --migrate`: row rights only).
# Its password is generated here, kept in SSM under the project key, and never rotated by RDS, so
# the master's rotation cannot cut the workers off. The generator draws a new value on every plan:
# ignore_changes keeps the first; to change it, put a new value in SSM and migrate (docs).
data "aws_secretsmanager_random_password" "db_app" {
  password_length     = 40
  exclude_punctuation = true
}

resource "aws_ssm_parameter" "db_app_password" {
  name   = "${local.ssm_prefix}/db/app_password"
  type   = "SecureString"
  key_id = aws_kms_key.main.arn
  value  = data.aws_secretsmanager_random_password.db_app.random_password

  lifecycle {
    ignore_changes = [value]
  }
}
