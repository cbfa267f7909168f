# The scaled-out shape (scale_out = true): an ALB terminating TLS with an ACM certificate, behind
# AWS WAF, in front of an auto-scaling group of app instances that share RDS and an ElastiCache
# Redis (shared rate limits and cache). Instances serve the app's port to the ALB only.

locals {
  scale = var.scale_out ? 1 : 0
}

# --- TLS certificate (DNS-validated in the hosted zone) -------------------------------------------
resource "aws_acm_certificate" "site" {
  count             = local.scale
  domain_name       = var.domain_name
  validation_method = "DNS"

  lifecycle {
    create_before_destroy = true
  }
}

locals {
  site_validation = var.scale_out ? {
    for option in aws_acm_certificate.site[0].domain_validation_options : option.domain_name => option
  } : {}
}

resource "aws_route53_record" "site_validation" {
  # Keyed by the names asked for (known when planning), not by the certificate's answer (known
  # only once it exists), so a first plan of the scaled-out shape goes through.
  for_each        = var.scale_out ? toset([var.domain_name]) : toset([])
  zone_id         = data.aws_route53_zone.main.zone_id
  name            = local.site_validation[each.key].resource_record_name
  type            = local.site_validation[each.key].resource_record_type
  records         = [local.site_validation[each.key].resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "site" {
  count                   = local.scale
  certificate_arn         = aws_acm_certificate.site[0].arn
  validation_record_fqdns = [for record in aws_route53_record.site_validation : record.fqdn]
}

# --- Load balancer --------------------------------------------------------------------------------
resource "aws_lb" "main" {
  # checkov:skip=CKV2_AWS_76:The attached ACL has AWSManagedRulesKnownBadInputsRuleSet, the Log4j rule group; this check also demands AWSManagedRulesAnonymousIpList, which would shut out every VPN and Tor player of a public quiz
  # checkov:skip=CKV_AWS_91:Access logs need an S3 bucket trusted by the regional ELB account; the WAF log (below, every request with its verdict) and the app's own access log cover the need
  count                      = local.scale
  name                       = var.project
  load_balancer_type         = "application"
  internal                   = false
  subnets                    = aws_subnet.public[*].id
  security_groups            = [aws_security_group.alb[0].id]
  drop_invalid_header_fields = true
  enable_deletion_protection = true
}

resource "aws_lb_target_group" "app" {
  # checkov:skip=CKV_AWS_378:TLS ends at the ALB; the hop to the instances stays inside the VPC, and the app port is open to the ALB's security group only
  count = local.scale
  name  = "${var.project}-app"
  # nginx on each instance (nginx/behind-alb.conf): headers, static files, gzip, then the app.
  port                 = 80
  protocol             = "HTTP"
  vpc_id               = aws_vpc.main.id
  deregistration_delay = 30

  health_check {
    path                = "/healthz"
    matcher             = "200"
    interval            = 15
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }
}

resource "aws_lb_listener" "https" {
  count             = local.scale
  load_balancer_arn = aws_lb.main[0].arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate_validation.site[0].certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app[0].arn
  }
}

resource "aws_lb_listener" "http" {
  count             = local.scale
  load_balancer_arn = aws_lb.main[0].arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

# --- WAF ------------------------------------------------------------------------------------------
resource "aws_wafv2_web_acl" "main" {
  count = local.scale
  name  = var.project
  scope = "REGIONAL"

  default_action {
    allow {}
  }

  # Moves only (a page view, a static file or a search is not counted), per address, per minute.
  rule {
    name     = "move-rate-per-ip"
    priority = 0
    action {
      block {}
    }
    statement {
      rate_based_statement {
        limit                 = var.waf_move_limit_per_minute
        evaluation_window_sec = 60
        aggregate_key_type    = "IP"
        scope_down_statement {
          and_statement {
            statement {
              byte_match_statement {
                search_string         = "POST"
                positional_constraint = "EXACTLY"
                field_to_match {
                  method {}
                }
                text_transformation {
                  priority = 0
                  type     = "NONE"
                }
              }
            }
            statement {
              regex_match_statement {
                regex_string = "^/puzzle/[0-9]+/moves$"
                field_to_match {
                  uri_path {}
                }
                text_transformation {
                  priority = 0
                  type     = "NONE"
                }
              }
            }
          }
        }
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.project}-move-rate"
      sampled_requests_enabled   = true
    }
  }

  # AWS-managed: addresses AWS has seen in botnets and scans.
  rule {
    name     = "AWSManagedRulesAmazonIpReputationList"
    priority = 1
    override_action {
      none {}
    }
    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesAmazonIpReputationList"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.project}-AWSManagedRulesAmazonIpReputationList"
      sampled_requests_enabled   = true
    }
  }

  # AWS-managed: the OWASP-style basics.
  rule {
    name     = "AWSManagedRulesCommonRuleSet"
    priority = 2
    override_action {
      none {}
    }
    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesCommonRuleSet"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.project}-AWSManagedRulesCommonRuleSet"
      sampled_requests_enabled   = true
    }
  }

  # AWS-managed: known exploit payloads, Log4Shell included.
  rule {
    name     = "AWSManagedRulesKnownBadInputsRuleSet"
    priority = 3
    override_action {
      none {}
    }
    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesKnownBadInputsRuleSet"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.project}-AWSManagedRulesKnownBadInputsRuleSet"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = var.project
    sampled_requests_enabled   = true
  }
}

resource "aws_wafv2_web_acl_association" "main" {
  count        = local.scale
  resource_arn = aws_lb.main[0].arn
  web_acl_arn  = aws_wafv2_web_acl.main[0].arn
}

resource "aws_cloudwatch_log_group" "waf" {
  count = local.scale
  # WAF only logs to groups whose name starts with "aws-waf-logs-".
  name              = "aws-waf-logs-${var.project}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.main.arn
}

resource "aws_wafv2_web_acl_logging_configuration" "main" {
  count                   = local.scale
  log_destination_configs = [aws_cloudwatch_log_group.waf[0].arn]
  resource_arn            = aws_wafv2_web_acl.main[0].arn
}

# --- The instances --------------------------------------------------------------------------------
resource "aws_launch_template" "app" {
  count                  = local.scale
  name_prefix            = "${var.project}-"
  image_id               = data.aws_ssm_parameter.al2023.value
  instance_type          = var.instance_type
  key_name               = var.ssh_public_key == "" ? null : aws_key_pair.admin[0].key_name
  user_data              = base64encode(local.user_data)
  update_default_version = true

  iam_instance_profile {
    arn = aws_iam_instance_profile.app.arn
  }

  # Public subnets without a NAT gateway: instances need an address to reach ECR and AWS APIs;
  # their security group admits only the ALB (and SSH from admin_cidr).
  network_interfaces {
    associate_public_ip_address = true
    security_groups             = [aws_security_group.app.id]
  }

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  monitoring {
    enabled = true
  }

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_type = "gp3"
      volume_size = 16
      encrypted   = true
      kms_key_id  = aws_kms_key.main.arn
    }
  }

  tag_specifications {
    resource_type = "instance"
    tags          = { Name = var.project }
  }
}

resource "aws_autoscaling_group" "app" {
  count                     = local.scale
  name                      = var.project
  min_size                  = var.asg_min_size
  max_size                  = var.asg_max_size
  vpc_zone_identifier       = aws_subnet.public[*].id
  target_group_arns         = [aws_lb_target_group.app[0].arn]
  health_check_type         = "ELB"
  health_check_grace_period = 180

  launch_template {
    id      = aws_launch_template.app[0].id
    version = aws_launch_template.app[0].latest_version
  }

  # A new launch template (new image_tag) rolls through the group, keeping most instances serving.
  instance_refresh {
    strategy = "Rolling"
    preferences {
      min_healthy_percentage = 50
    }
  }

  tag {
    key                 = "Name"
    value               = var.project
    propagate_at_launch = true
  }
}

resource "aws_autoscaling_policy" "cpu" {
  count                  = local.scale
  name                   = "${var.project}-cpu"
  autoscaling_group_name = aws_autoscaling_group.app[0].name
  policy_type            = "TargetTrackingScaling"

  target_tracking_configuration {
    predefined_metric_specification {
      predefined_metric_type = "ASGAverageCPUUtilization"
    }
    target_value = 60
  }
}

# --- Redis shared by the instances ----------------------------------------------------------------
resource "aws_elasticache_subnet_group" "main" {
  count      = local.scale
  name       = var.project
  subnet_ids = aws_subnet.private[*].id
}

# The AUTH token is generated by AWS (Secrets Manager's generator: no extra provider) and so sits
# in the (encrypted, private) Terraform state; the instances read it from SSM as part of REDIS_URL.
# The data source draws a new value on every plan: the token is kept by ignore_changes below.
data "aws_secretsmanager_random_password" "redis" {
  count               = local.scale
  password_length     = 48
  exclude_punctuation = true
}

# ElastiCache's default policy (volatile-lru) evicts keys with a TTL, which every rate-limit
# counter has: noeviction refuses new keys at the node's ceiling instead, and the app's cache
# holds only bounded data (never result pictures), so the ceiling is not reached in practice.
resource "aws_elasticache_parameter_group" "main" {
  count  = local.scale
  name   = "${var.project}-redis7"
  family = "redis7"

  parameter {
    name  = "maxmemory-policy"
    value = "noeviction"
  }
}

resource "aws_elasticache_replication_group" "main" {
  count                      = local.scale
  replication_group_id       = var.project
  description                = "${var.project}: cache and rate-limit store"
  engine                     = "redis"
  engine_version             = "7.1"
  node_type                  = "cache.t4g.micro"
  num_cache_clusters         = 2
  automatic_failover_enabled = true
  multi_az_enabled           = true
  port                       = 6379
  subnet_group_name          = aws_elasticache_subnet_group.main[0].name
  parameter_group_name       = aws_elasticache_parameter_group.main[0].name
  security_group_ids         = [aws_security_group.redis[0].id]
  at_rest_encryption_enabled = true
  kms_key_id                 = aws_kms_key.main.arn
  transit_encryption_enabled = true
  auth_token                 = data.aws_secretsmanager_random_password.redis[0].random_password
  snapshot_retention_limit   = 1
  auto_minor_version_upgrade = true

  lifecycle {
    ignore_changes = [auth_token]
  }
}

resource "aws_ssm_parameter" "redis_url" {
  count  = local.scale
  name   = "${local.ssm_prefix}/env/REDIS_URL"
  type   = "SecureString"
  key_id = aws_kms_key.main.arn
  value  = "rediss://:${aws_elasticache_replication_group.main[0].auth_token}@${aws_elasticache_replication_group.main[0].primary_endpoint_address}:6379/0"
}
