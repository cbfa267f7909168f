"""The Terraform in infra/ parses and has the shape the issue asks for (it cannot be applied)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import hcl2
import pytest

from tests.conftest import free_port
from tests.servers import unavailable

INFRA = Path(__file__).resolve().parents[1] / "infra"
TF_FILES = sorted(INFRA.glob("*.tf"))

ECR_PULL = {"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}


def clean(value: Any) -> Any:
    """Drop python-hcl2's bookkeeping keys and the quotes it keeps around strings and labels."""
    if isinstance(value, dict):
        skip = ("__is_block__", "__comments__")
        return {clean(k): clean(v) for k, v in value.items() if k not in skip}
    if isinstance(value, list):
        return [clean(v) for v in value]
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def load_all() -> dict[str, dict[tuple[str, str], dict[str, Any]]]:
    """Index every resource, data source and variable of infra/ by (type, name)."""
    index: dict[str, dict[tuple[str, str], dict[str, Any]]] = {
        "resource": {},
        "data": {},
        "variable": {},
    }
    for path in TF_FILES:
        with path.open() as handle:
            parsed = clean(hcl2.load(handle))
        for kind in ("resource", "data"):
            for entry in parsed.get(kind, []):
                for type_, named in entry.items():
                    for name, body in named.items():
                        index[kind][(type_, name)] = body
        for entry in parsed.get("variable", []):
            for name, body in entry.items():
                index["variable"][("variable", name)] = body
    return index


@pytest.fixture(scope="module")
def tf() -> dict[str, dict[tuple[str, str], dict[str, Any]]]:
    """Return the parsed infra/ once for the module."""
    return load_all()


def resources(tf: dict[str, Any], type_: str) -> dict[str, dict[str, Any]]:
    """Return the resources of one type, by name."""
    return {name: body for (t, name), body in tf["resource"].items() if t == type_}


def statements(tf: dict[str, Any], document: str) -> list[dict[str, Any]]:
    """Return the statements of an aws_iam_policy_document data source."""
    body = tf["data"][("aws_iam_policy_document", document)]
    found: list[dict[str, Any]] = body["statement"]
    return found


@pytest.mark.parametrize("path", TF_FILES, ids=lambda p: p.name)
def test_every_tf_file_parses(path: Path) -> None:
    """python-hcl2 reads each file into at least one top-level block."""
    with path.open() as handle:
        parsed = hcl2.load(handle)
    assert parsed, f"{path.name} holds no block"


def test_infra_has_the_expected_files() -> None:
    """The pieces the issue lists each have their file."""
    names = {p.name for p in TF_FILES}
    expected = {"versions.tf", "variables.tf", "network.tf", "security.tf", "ec2.tf", "rds.tf"}
    assert expected | {"ecr.tf", "iam.tf", "dns.tf", "scale.tf", "outputs.tf"} <= names


def test_network_has_public_and_private_subnets(tf: dict[str, Any]) -> None:
    """Two public subnets routed to the internet gateway, two private ones with no such route."""
    subnets = resources(tf, "aws_subnet")
    assert subnets["public"]["count"] == 2 and subnets["private"]["count"] == 2
    assert subnets["public"]["map_public_ip_on_launch"] is False
    tables = resources(tf, "aws_route_table")
    assert "aws_internet_gateway.main" in tables["public"]["route"][0]["gateway_id"]
    assert "route" not in tables["private"]
    db_subnets = resources(tf, "aws_db_subnet_group")["main"]["subnet_ids"]
    assert "aws_subnet.private" in db_subnets


def test_rds_is_encrypted_private_backed_up_and_aws_keeps_the_password(tf: dict[str, Any]) -> None:
    """RDS: encrypted, not public, automated backups, password managed by AWS, never in code."""
    db = resources(tf, "aws_db_instance")["main"]
    assert db["engine"] == "postgres"
    assert db["storage_encrypted"] is True
    assert db["publicly_accessible"] is False
    assert db["manage_master_user_password"] is True
    assert "password" not in db
    assert db["deletion_protection"] is True
    assert db["backup_retention_period"] == "${var.db_backup_retention_days}"
    retention = tf["variable"][("variable", "db_backup_retention_days")]
    assert retention["default"] >= 7
    assert ">= 7" in retention["validation"][0]["condition"]
    assert db["vpc_security_group_ids"] == ["${aws_security_group.db.id}"]
    assert db["instance_class"] == "${var.db_instance_class}"
    assert tf["variable"][("variable", "db_instance_class")]["default"] == "db.t4g.micro"
    # Same zone as the single box unless the standby is asked for.
    assert "local.azs[0]" in db["availability_zone"]
    assert resources(tf, "aws_instance")["app"]["subnet_id"] == "${aws_subnet.public[0].id}"


def ingress_rules(tf: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Return every ingress rule, by name."""
    return resources(tf, "aws_vpc_security_group_ingress_rule")


def test_only_http_and_https_are_open_to_the_world(tf: dict[str, Any]) -> None:
    """0.0.0.0/0 reaches ports 80 and 443 only; security groups carry no inline rules."""
    open_ports = {
        (rule["from_port"], rule["to_port"])
        for rule in ingress_rules(tf).values()
        if rule.get("cidr_ipv4") == "0.0.0.0/0" or rule.get("cidr_ipv6") == "::/0"
    }
    assert open_ports == {(80, 80), (443, 443)}
    for group in resources(tf, "aws_security_group").values():
        assert "ingress" not in group and "egress" not in group


def test_no_security_group_opens_the_apps_own_port(tf: dict[str, Any]) -> None:
    # Only nginx (80/443 from the world or the ALB) is in front; gunicorn's 8000 is never opened.
    for name, rule in ingress_rules(tf).items():
        low, high = int(rule.get("from_port", 0)), int(rule.get("to_port", 0))
        assert not low <= 8000 <= high, name


def test_ssh_only_from_the_admin_cidr(tf: dict[str, Any]) -> None:
    """Port 22 is open to var.admin_cidr alone, which has no default and refuses the internet."""
    ssh = [r for r in ingress_rules(tf).values() if r["from_port"] <= 22 <= r["to_port"]]
    assert ssh and all(r["cidr_ipv4"] == "${var.admin_cidr}" for r in ssh)
    admin = tf["variable"][("variable", "admin_cidr")]
    assert "default" not in admin
    assert "0.0.0.0/0" in admin["validation"][0]["condition"]


def test_postgres_only_from_the_app_group(tf: dict[str, Any]) -> None:
    """5432 is open on the database's group only, and only to the app's group."""
    pg = [r for r in ingress_rules(tf).values() if r["from_port"] <= 5432 <= r["to_port"]]
    assert len(pg) == 1
    assert pg[0]["security_group_id"] == "${aws_security_group.db.id}"
    assert pg[0]["referenced_security_group_id"] == "${aws_security_group.app.id}"
    assert "cidr_ipv4" not in pg[0]


def test_instance_role_can_only_pull_from_the_app_repository(tf: dict[str, Any]) -> None:
    """The instances' ECR rights are the three pull actions on this repository, plus the login."""
    policies = resources(tf, "aws_iam_role_policy")
    app_docs = [
        re.search(r"aws_iam_policy_document\.(\w+)", p["policy"]).group(1)  # type: ignore[union-attr]
        for p in policies.values()
        if p["role"] == "${aws_iam_role.app.id}"
    ]
    assert sorted(app_docs) == ["app_config", "app_ecr_pull"]
    ecr_actions: set[str] = set()
    for document in app_docs:
        for statement in statements(tf, document):
            actions = set(statement["actions"])
            assert not any(a.endswith("*") for a in actions), statement
            ecr = {a for a in actions if a.startswith("ecr:")}
            ecr_actions |= ecr
            if ecr - {"ecr:GetAuthorizationToken"}:
                assert statement["resources"] == ["${aws_ecr_repository.app.arn}"]
            if "ecr:GetAuthorizationToken" in actions:
                assert actions == {"ecr:GetAuthorizationToken"}
    assert ecr_actions == ECR_PULL | {"ecr:GetAuthorizationToken"}
    # No managed policy grants ECR on the side.
    attached = resources(tf, "aws_iam_role_policy_attachment")
    app_managed = [a["policy_arn"] for a in attached.values() if "aws_iam_role.app" in a["role"]]
    assert all("ECR" not in arn and "EC2ContainerRegistry" not in arn for arn in app_managed)


def test_github_role_pushes_only_from_the_production_environment(tf: dict[str, Any]) -> None:
    """GitHub's OIDC token may assume the push role only for this repository's environment."""
    (trust,) = statements(tf, "github_assume")
    assert trust["actions"] == ["sts:AssumeRoleWithWebIdentity"]
    conditions = {c["variable"]: c for c in trust["condition"]}
    assert conditions["token.actions.githubusercontent.com:aud"]["values"] == ["sts.amazonaws.com"]
    sub = conditions["token.actions.githubusercontent.com:sub"]
    assert sub["test"] == "StringEquals"
    assert sub["values"] == ["repo:${var.github_repository}:environment:production"]
    for statement in statements(tf, "github_push"):
        if statement["actions"] != ["ecr:GetAuthorizationToken"]:
            assert statement["resources"] == ["${aws_ecr_repository.app.arn}"]


def test_ecr_is_immutable_scanned_and_pruned(tf: dict[str, Any]) -> None:
    """SHA tags never move, pushes are scanned, and a lifecycle policy expires old images."""
    repo = resources(tf, "aws_ecr_repository")["app"]
    assert repo["image_tag_mutability"] == "IMMUTABLE"
    assert repo["image_scanning_configuration"][0]["scan_on_push"] is True
    lifecycle = resources(tf, "aws_ecr_lifecycle_policy")["app"]
    assert lifecycle["repository"] == "${aws_ecr_repository.app.name}"
    assert "expire" in lifecycle["policy"]


def test_instances_require_imdsv2_and_encrypted_disks(tf: dict[str, Any]) -> None:
    """Both the single box and the launch template demand IMDSv2 tokens and encrypt the disk."""
    box = resources(tf, "aws_instance")["app"]
    template = resources(tf, "aws_launch_template")["app"]
    for metadata in (box["metadata_options"][0], template["metadata_options"][0]):
        assert metadata["http_tokens"] == "required"
    assert box["root_block_device"][0]["encrypted"] is True
    assert template["block_device_mappings"][0]["ebs"][0]["encrypted"] is True
    assert box["iam_instance_profile"] == "${aws_iam_instance_profile.app.name}"


def test_route53_points_the_domain_at_the_site(tf: dict[str, Any]) -> None:
    """One A record per shape: the Elastic IP, or an alias for the load balancer."""
    records = resources(tf, "aws_route53_record")
    assert records["single"]["records"] == ["${aws_eip.app[0].public_ip}"]
    assert records["alb"]["alias"][0]["name"] == "${aws_lb.main[0].dns_name}"
    for name in ("single", "alb"):
        assert records[name]["name"] == "${var.domain_name}" and records[name]["type"] == "A"


def test_scaled_out_shape_hangs_on_one_variable(tf: dict[str, Any]) -> None:
    """ALB, ASG, WAF and Redis exist only with scale_out, which is off by default."""
    assert tf["variable"][("variable", "scale_out")]["default"] is False
    gated = [
        ("aws_lb", "main"),
        ("aws_autoscaling_group", "app"),
        ("aws_wafv2_web_acl", "main"),
        ("aws_wafv2_web_acl_association", "main"),
        ("aws_elasticache_replication_group", "main"),
    ]
    for key in gated:
        assert tf["resource"][key]["count"] == "${local.scale}", key
    assert resources(tf, "aws_instance")["app"]["count"] == "${var.scale_out ? 0 : 1}"
    asg = resources(tf, "aws_autoscaling_group")["app"]
    assert asg["health_check_type"] == "ELB"
    acl = resources(tf, "aws_wafv2_web_acl")["main"]
    groups = {
        r["statement"][0]["managed_rule_group_statement"][0]["name"]
        for r in acl["rule"]
        if "managed_rule_group_statement" in r["statement"][0]
    }
    assert "AWSManagedRulesKnownBadInputsRuleSet" in groups
    listener = resources(tf, "aws_lb_listener")["http"]
    assert listener["default_action"][0]["type"] == "redirect"


def test_every_checkov_suppression_gives_its_reason() -> None:
    """A skipped check names itself and says why in a full sentence."""
    skips = []
    for path in TF_FILES:
        skips += re.findall(r"#\s*checkov:skip=([A-Z0-9_]+)(?::(.*))?", path.read_text())
    assert skips, "expected the documented suppressions"
    for check, reason in skips:
        assert len(reason.strip()) >= 40, f"{check} is suppressed without a real reason"


USER_DATA = INFRA / "templates" / "user_data.sh.tftpl"
BEHIND_ALB = INFRA.parent / "nginx" / "behind-alb.conf"
SECURITY_HEADERS = INFRA.parent / "nginx" / "snippets" / "security-headers.conf"


def render_user_data(values: dict[str, str], scale_out: bool) -> str:
    """Render the instances' boot script the way templatefile() would, for these tests only."""
    lines: list[str] = []
    keep: list[bool] = []
    for line in USER_DATA.read_text().splitlines():
        directive = re.fullmatch(r"\s*%\{ (if|else|endif)(.*?)~?\}\s*", line)
        if directive:
            kind, condition = directive.group(1), directive.group(2).strip()
            if kind == "if":
                truth = {
                    "!scale_out": not scale_out,
                    "scale_out": scale_out,
                    'image_tag != ""': values["image_tag"] != "",
                }
                keep.append(truth[condition])
            elif kind == "else":
                keep[-1] = not keep[-1]
            else:
                keep.pop()
            continue
        if all(keep):
            line = line.replace("$${", "\0")
            line = re.sub(r"\$\{(\w+)\}", lambda m: values[m.group(1)], line)
            assert "${" not in line, line
            lines.append(line.replace("\0", "${"))
    return "\n".join(lines) + "\n"


def test_user_data_gets_exactly_the_variables_it_uses(tf: dict[str, Any]) -> None:
    """templatefile() fails on a missing key: ec2.tf passes each name the template reads."""
    text = (INFRA / "ec2.tf").read_text()
    call = text[text.index("templatefile(") : text.index("})", text.index("templatefile("))]
    passed = set(re.findall(r"^\s*(\w+)\s*=", call, re.M))
    template = USER_DATA.read_text().replace("$${", "")
    used = set(re.findall(r"\$\{(\w+)\}", template))
    used |= set(re.findall(r"%\{ if !?(\w+)", template))
    assert used == passed


@pytest.mark.parametrize("scale_out", [False, True])
@pytest.mark.parametrize("image_tag", ["", "0123456789abcdef0123456789abcdef01234567"])
def test_user_data_renders_to_valid_bash(tmp_path: Path, scale_out: bool, image_tag: str) -> None:
    """Both shapes, with and without a tag to start, give scripts bash can parse, inner ones too."""
    values = {
        "region": "eu-west-1",
        "registry": "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
        "repository": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/guessthatmovie",
        "ssm_prefix": "/guessthatmovie",
        "db_secret": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1",
        "db_host": "guessthatmovie.abc.eu-west-1.rds.amazonaws.com",
        "db_name": "guessthatmovie",
        "image_tag": image_tag,
        "redis_image": "redis:7.4.2",
        "nginx_site": BEHIND_ALB.read_text(),
        "security_headers": SECURITY_HEADERS.read_text(),
    }
    script = render_user_data(values, scale_out)
    inner = re.findall(r"<<'SCRIPT'\n(.*?)\nSCRIPT\n", script, re.S)
    assert len(inner) == 3  # gtm-env, gtm-deploy, gtm-refresh
    for i, text in enumerate([script, *inner]):
        path = tmp_path / f"script{i}.sh"
        path.write_text(text)
        result = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    assert ("gtm-deploy '" + image_tag + "'" in script) is (image_tag != "")
    assert "127.0.0.1:8000:8000" in script  # nginx on the host is the app's only client
    # gunicorn is never reachable without nginx in front (three slow connections stall its
    # sync workers): every port a container publishes is on the host's loopback, in both shapes.
    assert "--network host" not in script and "--net=host" not in script
    runs = re.findall(r"docker run .*?[^\\]\n", script, re.S)  # each with its continued lines
    assert runs
    published = re.findall(r"publish=(\S+)", script)
    published += [p for run in runs for p in re.findall(r" (?:-p|--publish)[ =](\S+)", run)]
    assert published == ["127.0.0.1:8000:8000", '"$publish"']
    # Scaled out, each instance writes the repository's nginx files and checks them.
    assert (BEHIND_ALB.read_text() in script) is scale_out
    assert ("nginx -t" in script) is scale_out
    assert len(script.encode()) < 16 * 1024  # EC2's limit on user data
    assert "alembic upgrade head" in inner[1]
    # The workers log in as the app's role over verified TLS; only migrations use the master.
    env = inner[0]
    assert "DATABASE_URL=postgresql://gtm_app:" in env
    assert 'db_query="sslmode=verify-full&sslrootcert=/etc/gtm/rds-ca.pem"' in env
    assert "sslmode=require" not in script
    assert "rds-ca.pem" in script.split("SCRIPT")[0]  # fetched at boot
    deploy = inner[1]
    migration = deploy[deploy.index("if $migrate") :]
    assert "--env-file /etc/guessthatmovie/migrate.env" in migration
    assert "python -m guessthatmovie.store.app_role" in migration
    web = deploy[deploy.index("docker run -d --name gtm-web") :]
    assert "--env-file /etc/guessthatmovie/app.env $ca" in web
    # The box's upkeep: rotated container logs, pruned images, a deploy that waits for health.
    assert '"max-size": "10m"' in script
    assert "docker image prune" in inner[1]
    healthy = inner[1].index("Health.Status")
    assert inner[1].index("docker run -d --name gtm-web") < healthy < inner[1].index("exit 1")
    assert ("redis:7.4.2 redis-server" in inner[1]) is (not scale_out)
    assert re.search(r"\bredis:7\b(?!\.)", script) is None  # no moving tag
    # The single box's nginx gets the release's static files before the new container serves.
    deploy = inner[1]
    if not scale_out:
        publish = deploy.index("python -m guessthatmovie.release_static /app/static /srv/")
        assert publish < deploy.index("docker rm -f gtm-web")
    assert "alembic" not in script.split("SCRIPT\n")[-1]  # boot never migrates


def test_redis_never_evicts_a_rate_limit_counter(tf: dict[str, Any]) -> None:
    """Both shapes' Redis have a ceiling and refuse new keys there rather than evict counters."""
    script = USER_DATA.read_text()
    assert "--maxmemory 64mb --maxmemory-policy noeviction" in script
    group = resources(tf, "aws_elasticache_parameter_group")["main"]
    policy = {p["name"]: p["value"] for p in group["parameter"]}
    assert policy == {"maxmemory-policy": "noeviction"}
    redis_group = resources(tf, "aws_elasticache_replication_group")["main"]
    assert "aws_elasticache_parameter_group.main" in redis_group["parameter_group_name"]


def test_the_app_learns_its_edge_from_ssm(tf: dict[str, Any]) -> None:
    """Its public address and the proxies it believes, for both shapes (web/edge.py)."""
    params = resources(tf, "aws_ssm_parameter")
    assert params["public_base_url"]["name"].endswith("/env/PUBLIC_BASE_URL")
    assert params["public_base_url"]["value"] == "https://${var.domain_name}"
    allowed = params["forwarded_allow_ips"]
    assert allowed["name"].endswith("/env/FORWARDED_ALLOW_IPS")
    # Both shapes: the app's peer is the instance's own nginx, through Docker's bridge.
    assert allowed["value"] == "172.16.0.0/12"


def test_the_scaled_out_instances_nginx_conf_passes_nginx_t(tmp_path: Path) -> None:
    """nginx/behind-alb.conf (paths moved under a temporary folder) passes `nginx -t`."""
    nginx = Path("/usr/sbin/nginx")
    if not nginx.exists():
        unavailable("nginx is not installed (apt-get install nginx)")
    text = BEHIND_ALB.read_text()
    for old, new in [
        ("listen 80 default_server", f"listen 127.0.0.1:{free_port()} default_server"),
        ("snippets/security-headers.conf", str(SECURITY_HEADERS)),
        ("/srv/guessthatmovie/", f"{tmp_path}/srv/"),
    ]:
        assert old in text, old
        text = text.replace(old, new)
    site = tmp_path / "site.conf"
    site.write_text(text)
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
        "events {}\n"
        f"http {{ access_log off; include /etc/nginx/mime.types; include {site}; }}\n"
    )
    result = subprocess.run(
        [str(nginx), "-t", "-p", str(tmp_path), "-c", str(main)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # The protections the single box's nginx gives, kept behind the ALB.
    assert "real_ip_header X-Forwarded-For" in text and "gzip on" in text
    assert "immutable" in text and "limit_req zone=gtm_moves" in text
