# Guess That Movie on AWS. Apply with `terraform init -backend-config=...` then `terraform apply`;
# docs/deploy.md walks from an empty account to HTTPS on the domain.

terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }

  # State lives in S3 (versioned, encrypted, created once by hand: docs/deploy.md), locked with S3's
  # own lock file. Bucket, key and region come from `terraform init -backend-config=backend.hcl`.
  backend "s3" {
    encrypt      = true
    use_lockfile = true
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project   = var.project
      ManagedBy = "terraform"
    }
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_availability_zones" "available" {
  state = "available"
  # Named zones, so the set (and so every subnet) cannot shift when AWS adds a zone.
  filter {
    name   = "zone-name"
    values = [for letter in var.availability_zone_letters : "${var.region}${letter}"]
  }
}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  # Two zones: the ALB and the RDS subnet group both need two. The app box and the database sit
  # in the first one, so their traffic never crosses zones.
  azs = data.aws_availability_zones.available.names
  # Where the app's runtime configuration lives in SSM Parameter Store (docs/deploy.md fills it).
  ssm_prefix = "/${var.project}"
}
