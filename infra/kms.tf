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
