# `terraform test` plans both shapes against a mocked AWS provider: nothing is created and no
# credential is needed, but every expression, count, for_each and validation is evaluated.
# tests/test_terraform.py runs it (with fmt -check and validate) in `make test` and in CI.

mock_provider "aws" {
  # Values the configuration indexes or parses; the mock's random strings would not do.
  mock_data "aws_availability_zones" {
    defaults = {
      names = ["eu-west-1a", "eu-west-1b"]
    }
  }
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }
  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
  mock_data "aws_secretsmanager_random_password" {
    defaults = {
      random_password = "mockedmockedmockedmockedmockedmockedmockedmocked"
    }
  }
  mock_resource "aws_db_instance" {
    defaults = {
      master_user_secret = [{
        secret_arn    = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0"
        kms_key_id    = "arn:aws:kms:eu-west-1:123456789012:key/0"
        secret_status = "active"
      }]
    }
  }
  mock_resource "aws_ecr_repository" {
    defaults = {
      repository_url = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/guessthatmovie"
    }
  }
}

variables {
  domain_name       = "guessthatmovie.example.com"
  hosted_zone_name  = "example.com"
  admin_cidr        = "203.0.113.7/32"
  github_repository = "example/guessthatmovie"
}

run "single_box" {
  command = plan

  assert {
    condition     = length(aws_instance.app) == 1 && length(aws_autoscaling_group.app) == 0
    error_message = "The seed shape is one box and no auto-scaling group."
  }

  # The box is never replaced: a changed boot script reaches it through SSM.
  assert {
    condition     = length(aws_ssm_association.app_setup) == 1
    error_message = "The single box needs the SSM association that re-runs its setup."
  }

  assert {
    condition = alltrue([
      aws_cloudwatch_metric_alarm.cpu_credits.metric_name == "CPUCreditBalance",
      aws_cloudwatch_metric_alarm.db_storage.metric_name == "FreeStorageSpace",
      aws_cloudwatch_metric_alarm.db_connections.metric_name == "DatabaseConnections",
    ])
    error_message = "Alarms on CPU credits, database storage and connections."
  }
}

run "scaled_out" {
  command = plan

  variables {
    scale_out = true
    image_tag = "0123456789abcdef0123456789abcdef01234567"
  }

  assert {
    condition     = length(aws_instance.app) == 0 && length(aws_autoscaling_group.app) == 1
    error_message = "The scaled-out shape is an auto-scaling group and no single box."
  }
}

run "scaled_out_protections" {
  command = plan

  variables {
    scale_out = true
    image_tag = "0123456789abcdef0123456789abcdef01234567"
  }

  assert {
    condition = alltrue([
      aws_cloudwatch_metric_alarm.target_5xx[0].metric_name == "HTTPCode_Target_5XX_Count",
      aws_cloudwatch_metric_alarm.cpu_credits.dimensions.AutoScalingGroupName == "guessthatmovie",
    ])
    error_message = "Scaled out, the 5xx alarm watches the ALB and the credit alarm the group."
  }

  # The Auto Scaling role may use the key the instances' disks are encrypted with.
  assert {
    condition = length(setintersection(
      [for s in data.aws_iam_policy_document.kms.statement : s.sid],
      ["AutoScalingUsesForVolumes", "AutoScalingGrantsForVolumes"]
    )) == 2
    error_message = "The key policy must let the Auto Scaling service-linked role use the key."
  }

  # The WAF counts moves only, per address per minute, above the app's 600.
  assert {
    condition = alltrue([
      for rule in aws_wafv2_web_acl.main[0].rule : (
        rule.statement[0].rate_based_statement[0].limit > 600
        && rule.statement[0].rate_based_statement[0].evaluation_window_sec == 60
        && contains(flatten([
          for s in rule.statement[0].rate_based_statement[0].scope_down_statement[0].and_statement[0].statement :
          s.regex_match_statement[*].regex_string
        ]), "^/puzzle/[0-9]+/moves$")
      ) if rule.name == "move-rate-per-ip"
    ]) && length([for rule in aws_wafv2_web_acl.main[0].rule : rule if rule.name == "move-rate-per-ip"]) == 1
    error_message = "The WAF's rate rule must count moves only, above 600 a minute."
  }
}

run "a_moving_redis_tag_is_refused" {
  command = plan

  variables {
    redis_image = "redis:7"
  }

  expect_failures = [var.redis_image]
}

run "single_box_leaves_the_key_policy_alone" {
  command = plan

  assert {
    condition     = length(aws_iam_service_linked_role.autoscaling) == 0
    error_message = "The single box makes no Auto Scaling role."
  }
}

run "scaled_out_without_an_image_tag_is_refused" {
  command = plan

  variables {
    scale_out = true
    image_tag = ""
  }

  expect_failures = [var.image_tag]
}

run "a_waf_below_the_apps_ceiling_is_refused" {
  command = plan

  variables {
    waf_move_limit_per_minute = 600
  }

  expect_failures = [var.waf_move_limit_per_minute]
}
