variable "region" {
  description = "AWS region for everything (the ACM certificate for the ALB is issued here too)."
  type        = string
  default     = "eu-west-1"
}

variable "availability_zone_letters" {
  description = "The two zones used, as letters of the region; the single box and RDS go in the first."
  type        = list(string)
  default     = ["a", "b"]

  validation {
    condition     = length(var.availability_zone_letters) == 2
    error_message = "Name exactly two zones."
  }
}

variable "project" {
  description = "Name prefix for every resource and the SSM parameter path."
  type        = string
  default     = "guessthatmovie"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,30}$", var.project))
    error_message = "Use 3 to 31 lowercase letters, digits and dashes, starting with a letter."
  }
}

variable "domain_name" {
  description = "The site's name, e.g. guessthatmovie.example.com (an A record is made for it)."
  type        = string
}

variable "hosted_zone_name" {
  description = "An existing Route 53 public hosted zone that contains domain_name, e.g. example.com."
  type        = string
}

variable "admin_cidr" {
  description = "The only network allowed to SSH (port 22) to the instances, e.g. 203.0.113.7/32."
  type        = string

  validation {
    condition     = can(cidrhost(var.admin_cidr, 0)) && !contains(["0.0.0.0/0", "::/0"], var.admin_cidr)
    error_message = "admin_cidr must be a CIDR block and not the whole internet."
  }
}

variable "ssh_public_key" {
  description = "Public key for SSH as ec2-user; empty means no key pair (use SSM Session Manager)."
  type        = string
  default     = ""
}

variable "github_repository" {
  description = "owner/name of the GitHub repository whose main branch pushes images to ECR."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "Use the owner/name form, e.g. octocat/guessthatmovie."
  }
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC provider (false if the account already has one)."
  type        = bool
  default     = true
}

variable "vpc_cidr" {
  description = "Address range of the VPC; split into two public and two private /24 subnets."
  type        = string
  default     = "10.20.0.0/16"
}

variable "instance_type" {
  description = "EC2 type of the app box (and of each ASG instance when scaled out)."
  type        = string
  default     = "t2.micro"
}

variable "image_tag" {
  description = "Image tag (a commit SHA) that new instances start; empty: start nothing at boot (single box only)."
  type        = string
  default     = ""

  validation {
    condition     = var.image_tag == "" || can(regex("^[0-9a-f]{7,40}$", var.image_tag))
    error_message = "image_tag is a commit SHA (CI tags each image with it)."
  }
  # Instances of the auto-scaling group start the image by themselves: without a tag they would
  # serve nothing, fail the health check and be replaced in a loop.
  validation {
    condition     = !var.scale_out || var.image_tag != ""
    error_message = "scale_out needs image_tag: the commit SHA the new instances start."
  }
}

variable "redis_image" {
  description = "The single box's Redis container, pinned to an exact release (or a digest)."
  type        = string
  default     = "redis:7.4.2"

  validation {
    condition     = can(regex("^[a-z0-9./-]+(:[0-9]+\\.[0-9]+\\.[0-9]+[a-z0-9.-]*|@sha256:[0-9a-f]{64})$", var.redis_image))
    error_message = "Pin Redis to an exact version (redis:7.4.2) or a digest, never a moving tag."
  }
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t4g.micro"
}

variable "db_allocated_storage" {
  description = "RDS storage in GiB (gp3); it grows by itself up to four times this."
  type        = number
  default     = 20
}

variable "db_multi_az" {
  description = "Run a standby database in the second zone (doubles the RDS bill)."
  type        = bool
  default     = false
}

variable "db_backup_retention_days" {
  description = "Days of automated RDS backups and point-in-time recovery."
  type        = number
  default     = 14

  validation {
    condition     = var.db_backup_retention_days >= 7 && var.db_backup_retention_days <= 35
    error_message = "Keep between 7 and 35 days of backups."
  }
}

variable "scale_out" {
  description = "The scaled-out shape: ALB (TLS by ACM) + WAF + auto-scaling group + ElastiCache Redis instead of the single box."
  type        = bool
  default     = false
}

variable "create_autoscaling_service_linked_role" {
  description = "Create the account's EC2 Auto Scaling service-linked role (false if the account already has one; scale_out only)."
  type        = bool
  default     = true
}

variable "asg_min_size" {
  description = "Fewest instances in the auto-scaling group (scale_out only)."
  type        = number
  default     = 2
}

variable "asg_max_size" {
  description = "Most instances in the auto-scaling group (scale_out only)."
  type        = number
  default     = 4
}

variable "waf_move_limit_per_minute" {
  description = "Moves (POST /puzzle/N/moves) per minute from one IP address before the WAF blocks it (scale_out only)."
  type        = number
  default     = 720

  # The app allows 600 moves a minute per address (GUESS_ADDRESS_LIMIT; many players can share
  # one address): the WAF is a backstop above that, never the first to refuse a player.
  validation {
    condition     = var.waf_move_limit_per_minute > 600
    error_message = "Keep the WAF above the app's own ceiling of 600 moves a minute per address."
  }
}

variable "alarm_email" {
  description = "Address that receives the CloudWatch alarms (it must confirm the subscription); empty: none."
  type        = string
  default     = ""
}

variable "db_connections_alarm" {
  description = "Alarm when the database holds more connections than this (db.t4g.micro allows about 80)."
  type        = number
  default     = 60
}

variable "log_retention_days" {
  description = "Days to keep CloudWatch logs (VPC flow logs, WAF)."
  type        = number
  default     = 365
}
