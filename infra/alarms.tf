# CloudWatch alarms, sent to one SNS topic (subscribe an address with alarm_email, or anything
# else by hand): server errors, the burstable instance running out of CPU credits, and the
# database running out of disk or connections.

resource "aws_sns_topic" "alarms" {
  name              = "${var.project}-alarms"
  kms_master_key_id = aws_kms_key.main.id
}

resource "aws_sns_topic_subscription" "alarm_email" {
  count     = var.alarm_email == "" ? 0 : 1
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

locals {
  alarm_actions = [aws_sns_topic.alarms.arn]
  # Where the instances' EC2 metrics are: the single box, or the group as a whole.
  ec2_dimensions = var.scale_out ? { AutoScalingGroupName = var.project } : { InstanceId = one(aws_instance.app[*].id) }
}

# 5xx from the app as the load balancer saw them (scaled out). The single box has no ALB: its
# nginx log and `docker logs gtm-web` are where errors show (docs/deploy.md).
resource "aws_cloudwatch_metric_alarm" "target_5xx" {
  count               = local.scale
  alarm_name          = "${var.project}-5xx"
  alarm_description   = "The app answered 5xx to more than 10 requests a minute for 5 minutes."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HTTPCode_Target_5XX_Count"
  dimensions          = { LoadBalancer = aws_lb.main[0].arn_suffix }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 5
  threshold           = 10
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "alb_5xx" {
  count               = local.scale
  alarm_name          = "${var.project}-alb-5xx"
  alarm_description   = "The load balancer itself answered 5xx (no healthy instance) for 5 minutes."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HTTPCode_ELB_5XX_Count"
  dimensions          = { LoadBalancer = aws_lb.main[0].arn_suffix }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 5
  threshold           = 10
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# A t2/t3 instance out of credits runs at its baseline (10 % of a CPU for a t2.micro).
resource "aws_cloudwatch_metric_alarm" "cpu_credits" {
  alarm_name          = "${var.project}-cpu-credits"
  alarm_description   = "The app instances are close to running out of CPU credits."
  namespace           = "AWS/EC2"
  metric_name         = "CPUCreditBalance"
  dimensions          = local.ec2_dimensions
  statistic           = "Minimum"
  period              = 300
  evaluation_periods  = 3
  threshold           = 20
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "missing"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "db_storage" {
  alarm_name          = "${var.project}-db-storage"
  alarm_description   = "The database has less than 2 GiB of disk left (it grows by itself up to 4x)."
  namespace           = "AWS/RDS"
  metric_name         = "FreeStorageSpace"
  dimensions          = { DBInstanceIdentifier = aws_db_instance.main.identifier }
  statistic           = "Minimum"
  period              = 300
  evaluation_periods  = 2
  threshold           = 2 * 1024 * 1024 * 1024
  comparison_operator = "LessThanThreshold"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "db_connections" {
  alarm_name          = "${var.project}-db-connections"
  alarm_description   = "The database holds more connections than the app's pools should ever open."
  namespace           = "AWS/RDS"
  metric_name         = "DatabaseConnections"
  dimensions          = { DBInstanceIdentifier = aws_db_instance.main.identifier }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 2
  threshold           = var.db_connections_alarm
  comparison_operator = "GreaterThanThreshold"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}
