# One customer-managed key for everything at rest: RDS storage and its secret, ECR, logs, SSM
# parameters and ElastiCache. Rotated yearly by AWS.
resource "aws_kms_key" "main" {
  description             = "${var.project}: data at rest"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.kms.json
}

resource "aws_kms_alias" "main" {
  name          = "alias/${var.project}"
  target_key_id = aws_kms_key.main.key_id
}

# The account's EC2 Auto Scaling service-linked role. A key policy may only name a role that
# exists, so it is made here unless the account has it (create_autoscaling_service_linked_role).
resource "aws_iam_service_linked_role" "autoscaling" {
  count            = var.scale_out && var.create_autoscaling_service_linked_role ? 1 : 0
  aws_service_name = "autoscaling.amazonaws.com"
}

locals {
  autoscaling_role_arn = (var.scale_out && var.create_autoscaling_service_linked_role
    ? aws_iam_service_linked_role.autoscaling[0].arn
    : "arn:${local.partition}:iam::${local.account_id}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
  )
}

data "aws_iam_policy_document" "kms" {
  # checkov:skip=CKV_AWS_109:A key policy's "*" resource means this key only; the account-root statement is AWS's default, so IAM policies decide who uses the key
  # checkov:skip=CKV_AWS_111:Same: "*" in a key policy is the key itself, and write access goes to this account's IAM and to CloudWatch Logs under an encryption-context condition
  # checkov:skip=CKV_AWS_356:Same: in a key policy the resource can only be the key itself, written "*"
  # The account administers the key through IAM, as with any AWS-managed default.
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  # EC2 Auto Scaling launches the instances, whose disks use this key, through its service-linked
  # role: without these grants every launch of the scaled-out shape fails.
  dynamic "statement" {
    for_each = var.scale_out ? [local.autoscaling_role_arn] : []
    content {
      sid       = "AutoScalingUsesForVolumes"
      actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
      resources = ["*"]
      principals {
        type        = "AWS"
        identifiers = [statement.value]
      }
    }
  }
  dynamic "statement" {
    for_each = var.scale_out ? [local.autoscaling_role_arn] : []
    content {
      sid       = "AutoScalingGrantsForVolumes"
      actions   = ["kms:CreateGrant"]
      resources = ["*"]
      principals {
        type        = "AWS"
        identifiers = [statement.value]
      }
      condition {
        test     = "Bool"
        variable = "kms:GrantIsForAWSResource"
        values   = ["true"]
      }
    }
  }

  # CloudWatch alarms publish to the SNS topic encrypted with this key (alarms.tf).
  statement {
    sid       = "CloudWatchAlarmsPublish"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }

  # CloudWatch Logs encrypts the flow-log and WAF log groups of this account with it.
  statement {
    sid       = "CloudWatchLogsEncrypts"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${var.region}.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${local.partition}:logs:${var.region}:${local.account_id}:log-group:*"]
    }
  }
}
