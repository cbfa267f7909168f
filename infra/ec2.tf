# The single-box shape (scale_out = false): one instance running nginx (TLS by Certbot) in front
# of the app container, with a fixed public address for the DNS record.

data "aws_ssm_parameter" "al2023" {
  # The current Amazon Linux 2023 image, as AWS publishes it (SSM agent and dnf included).
  name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
}

resource "aws_key_pair" "admin" {
  count      = var.ssh_public_key == "" ? 0 : 1
  key_name   = "${var.project}-admin"
  public_key = var.ssh_public_key
}

locals {
  user_data = templatefile("${path.module}/templates/user_data.sh.tftpl", {
    region      = var.region
    registry    = split("/", aws_ecr_repository.app.repository_url)[0]
    repository  = aws_ecr_repository.app.repository_url
    ssm_prefix  = local.ssm_prefix
    db_secret   = aws_db_instance.main.master_user_secret[0].secret_arn
    db_host     = aws_db_instance.main.address
    db_name     = aws_db_instance.main.db_name
    scale_out   = var.scale_out
    image_tag   = var.image_tag
    redis_image = var.redis_image
    # Scaled out, each instance runs nginx too (the ALB ends TLS): the repository's files.
    nginx_site       = file("${path.module}/../nginx/behind-alb.conf")
    security_headers = file("${path.module}/../nginx/snippets/security-headers.conf")
  })
}

resource "aws_instance" "app" {
  # checkov:skip=CKV_AWS_88:The single box is the public web server (nginx on 80/443); its Elastic IP replaces this launch address, and port 22 stays limited to admin_cidr
  # checkov:skip=CKV_AWS_135:t2.micro, the seed's instance type, cannot be EBS-optimized; larger types can be picked with instance_type
  count                       = var.scale_out ? 0 : 1
  ami                         = data.aws_ssm_parameter.al2023.value
  instance_type               = var.instance_type
  subnet_id                   = aws_subnet.public[0].id
  vpc_security_group_ids      = [aws_security_group.app.id]
  iam_instance_profile        = aws_iam_instance_profile.app.name
  key_name                    = var.ssh_public_key == "" ? null : aws_key_pair.admin[0].key_name
  associate_public_ip_address = true
  monitoring                  = true
  user_data                   = local.user_data
  user_data_replace_on_change = false

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  root_block_device {
    volume_type = "gp3"
    volume_size = 16
    encrypted   = true
    kms_key_id  = aws_kms_key.main.arn
  }

  lifecycle {
    # A new AMI release must not replace the box (and its certificates) on the next apply.
    ignore_changes = [ami, user_data]
  }

  tags = { Name = var.project }
}

# The box is never replaced (it holds nginx's certificates), so a changed boot script reaches it
# through SSM instead: the association runs the same script again whenever its text changes.
resource "aws_ssm_association" "app_setup" {
  count            = var.scale_out ? 0 : 1
  name             = "AWS-RunShellScript"
  association_name = "${var.project}-setup"
  parameters = {
    commands = local.user_data
  }
  targets {
    key    = "InstanceIds"
    values = [aws_instance.app[0].id]
  }
}

resource "aws_eip" "app" {
  count    = var.scale_out ? 0 : 1
  domain   = "vpc"
  instance = aws_instance.app[0].id
  tags     = { Name = var.project }
}
