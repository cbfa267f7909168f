# What the app believes of a request's edge (src/guessthatmovie/web/edge.py), as environment
# variables under ${local.ssm_prefix}/env/ (gtm-env writes them into the container's env file):
# - PUBLIC_BASE_URL: absolute links (og:url, og:image, share links) and, from its host, Flask's
#   TRUSTED_HOSTS; a Host header sent by a client is never echoed.
# - FORWARDED_ALLOW_IPS: the only peers whose X-Forwarded-For/-Proto the app and gunicorn
#   believe. On the single box, nginx on the host reaches the container through Docker's port
#   (published on 127.0.0.1 only), so the peer is a Docker bridge gateway (172.16.0.0/12). Scaled
#   out it is the same: each instance's own nginx (nginx/behind-alb.conf) believes the ALB's
#   X-Forwarded-For and passes the client's address on.
resource "aws_ssm_parameter" "public_base_url" {
  name   = "${local.ssm_prefix}/env/PUBLIC_BASE_URL"
  type   = "SecureString"
  key_id = aws_kms_key.main.arn
  value  = "https://${var.domain_name}"
}

resource "aws_ssm_parameter" "forwarded_allow_ips" {
  name   = "${local.ssm_prefix}/env/FORWARDED_ALLOW_IPS"
  type   = "SecureString"
  key_id = aws_kms_key.main.arn
  value  = "172.16.0.0/12"
}
