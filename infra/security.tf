# Security groups. Web: 80 and 443 from anywhere, 22 only from var.admin_cidr. Database: 5432
# only from the app's group. Redis (scale_out): 6379 only from the app's group.

resource "aws_security_group" "app" {
  name        = "${var.project}-app"
  description = "App instances: nginx (80/443) or the ALB's traffic, SSH from the admin network"
  vpc_id      = aws_vpc.main.id
  tags        = { Name = "${var.project}-app" }
}

resource "aws_vpc_security_group_ingress_rule" "app_http" {
  # checkov:skip=CKV_AWS_260:Port 80 must be open to the world: nginx answers Let's Encrypt's HTTP-01 challenge there and redirects everything else to HTTPS
  count             = var.scale_out ? 0 : 1
  security_group_id = aws_security_group.app.id
  description       = "HTTP from anywhere: redirect to HTTPS and Certbot's HTTP-01 challenge"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "app_https" {
  count             = var.scale_out ? 0 : 1
  security_group_id = aws_security_group.app.id
  description       = "HTTPS from anywhere: the site"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "app_from_alb" {
  count                        = var.scale_out ? 1 : 0
  security_group_id            = aws_security_group.app.id
  description                  = "nginx on the instance (port 80), from the load balancer only"
  ip_protocol                  = "tcp"
  from_port                    = 80
  to_port                      = 80
  referenced_security_group_id = aws_security_group.alb[0].id
}

resource "aws_vpc_security_group_ingress_rule" "app_ssh" {
  security_group_id = aws_security_group.app.id
  description       = "SSH from the admin network only"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = var.admin_cidr
}

# Out: HTTPS (ECR, SSM, Secrets Manager, OS packages, Let's Encrypt) and the data stores only.
resource "aws_vpc_security_group_egress_rule" "app_https_out" {
  security_group_id = aws_security_group.app.id
  description       = "HTTPS to AWS APIs, ECR, package mirrors and Let's Encrypt"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "app_to_db" {
  security_group_id            = aws_security_group.app.id
  description                  = "PostgreSQL on RDS"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.db.id
}

resource "aws_vpc_security_group_egress_rule" "app_to_redis" {
  count                        = var.scale_out ? 1 : 0
  security_group_id            = aws_security_group.app.id
  description                  = "Redis on ElastiCache"
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
  referenced_security_group_id = aws_security_group.redis[0].id
}

resource "aws_security_group" "db" {
  name        = "${var.project}-db"
  description = "RDS PostgreSQL: reachable from the app instances only"
  vpc_id      = aws_vpc.main.id
  tags        = { Name = "${var.project}-db" }
}

resource "aws_vpc_security_group_ingress_rule" "db_from_app" {
  security_group_id            = aws_security_group.db.id
  description                  = "PostgreSQL from the app's security group only"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.app.id
}

resource "aws_security_group" "redis" {
  count       = var.scale_out ? 1 : 0
  name        = "${var.project}-redis"
  description = "ElastiCache Redis: reachable from the app instances only"
  vpc_id      = aws_vpc.main.id
  tags        = { Name = "${var.project}-redis" }
}

resource "aws_vpc_security_group_ingress_rule" "redis_from_app" {
  count                        = var.scale_out ? 1 : 0
  security_group_id            = aws_security_group.redis[0].id
  description                  = "Redis from the app's security group only"
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
  referenced_security_group_id = aws_security_group.app.id
}

resource "aws_security_group" "alb" {
  count       = var.scale_out ? 1 : 0
  name        = "${var.project}-alb"
  description = "Load balancer: HTTP (redirect) and HTTPS from anywhere, out to the app port"
  vpc_id      = aws_vpc.main.id
  tags        = { Name = "${var.project}-alb" }
}

resource "aws_vpc_security_group_ingress_rule" "alb_http" {
  count             = var.scale_out ? 1 : 0
  security_group_id = aws_security_group.alb[0].id
  description       = "HTTP from anywhere: redirected to HTTPS by the listener"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "alb_https" {
  count             = var.scale_out ? 1 : 0
  security_group_id = aws_security_group.alb[0].id
  description       = "HTTPS from anywhere: the site"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "alb_to_app" {
  count                        = var.scale_out ? 1 : 0
  security_group_id            = aws_security_group.alb[0].id
  description                  = "To nginx on the instances, which fronts the app"
  ip_protocol                  = "tcp"
  from_port                    = 80
  to_port                      = 80
  referenced_security_group_id = aws_security_group.app.id
}
