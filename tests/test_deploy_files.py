"""The Dockerfile and the GitHub workflows keep the promises no linter checks for us."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
SHA_PIN = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


def instructions() -> list[tuple[str, str]]:
    """Return the Dockerfile's instructions as (KEYWORD, arguments), continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text()
    text = re.sub(r"\\\n", " ", text)
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def test_base_images_are_pinned_by_version_and_digest() -> None:
    """Every FROM is a build argument whose default names an exact version and a sha256 digest."""
    steps = instructions()
    defaults = dict(
        args.split("=", 1) for keyword, args in steps if keyword == "ARG" and "=" in args
    )
    froms = [args for keyword, args in steps if keyword == "FROM"]
    assert len(froms) >= 2, "expected a multi-stage build"
    for args in froms:
        argument = re.fullmatch(r"\$\{(\w+)\}", args.split()[0])
        assert argument, f"FROM {args}: base images are build arguments (a mirror can stand in)"
        image = defaults[argument.group(1)]
        assert re.search(r":\d+\.\d+\.\d+-[\w-]+@sha256:[0-9a-f]{64}$", image), image
    runtime = defaults[froms[-1].split()[0][2:-1]]
    assert runtime.startswith("python:3.11.") and "-slim" in runtime
    # The ARGs come before the first FROM, where every stage can use them.
    first_from = next(i for i, (keyword, _) in enumerate(steps) if keyword == "FROM")
    assert all(i < first_from for i, (k, a) in enumerate(steps) if k == "ARG" and "_IMAGE=" in a)


def test_runtime_runs_as_a_numeric_non_root_user() -> None:
    """The last USER of the image is a numeric id other than 0."""
    users = [args for keyword, args in instructions() if keyword == "USER"]
    assert users and re.fullmatch(r"[1-9]\d*(:[1-9]\d*)?", users[-1])


def test_cmd_is_exec_form_gunicorn_with_its_config() -> None:
    """CMD is a JSON array starting gunicorn with gunicorn.conf.py and the app factory."""
    (cmd,) = [json.loads(args) for keyword, args in instructions() if keyword == "CMD"]
    assert cmd[:3] == ["gunicorn", "-c", "gunicorn.conf.py"]
    assert cmd[-1] == "guessthatmovie:create_app()"
    assert not [args for keyword, args in instructions() if keyword == "ENTRYPOINT"]


def test_healthcheck_uses_python_not_curl() -> None:
    """The HEALTHCHECK asks /healthz with Python's urllib (the slim image has no curl)."""
    (check,) = [args for keyword, args in instructions() if keyword == "HEALTHCHECK"]
    command = json.loads(check[check.index("CMD") + 3 :])
    assert command[0] == "python" and "urllib.request" in command[-1] and "/healthz" in command[-1]
    assert "curl" not in check and "wget" not in check


def test_migrations_are_not_part_of_starting_the_image() -> None:
    """Nothing runs Alembic at start: it is a one-off `docker run ... alembic upgrade head`."""
    starting = [args for keyword, args in instructions() if keyword in {"CMD", "ENTRYPOINT"}]
    assert not any("alembic" in args for args in starting)
    assert "alembic upgrade head" in (ROOT / "Dockerfile").read_text()  # documented in the header


def test_nothing_secret_is_baked_in() -> None:
    """No ENV or ARG sets a secret, and the app's code and static files are copied in."""
    for keyword, args in instructions():
        if keyword in {"ENV", "ARG"}:
            assert not re.search(r"(SECRET|PASSWORD|TOKEN|DATABASE_URL|REDIS_URL)", args), args
    copies = " ".join(args for keyword, args in instructions() if keyword == "COPY")
    for needed in ("src", "templates", "partials", "static", "alembic", "alembic.ini"):
        assert needed in copies
    assert "htmx.org/dist/htmx.min.js ./static/vendor/htmx.min.js" in copies


def stages() -> dict[str, list[tuple[str, str]]]:
    """Return each stage's instructions by its name ("" for what comes before the first FROM)."""
    found: dict[str, list[tuple[str, str]]] = {"": []}
    current = ""
    for keyword, args in instructions():
        if keyword == "FROM":
            current = args.split()[-1]
            found[current] = []
        found[current].append((keyword, args))
    return found


def test_a_company_ca_reaches_the_build_stages_only() -> None:
    """BUILD_CA_CERT is declared where the build downloads, deleted there, never in the runtime."""
    by_stage = stages()
    using = {name for name, steps in by_stage.items() if "BUILD_CA_CERT" in str(steps)}
    assert using == {"assets", "python-deps"}
    assert list(by_stage)[-1] == "runtime"
    for name in using:
        runs = [args for keyword, args in by_stage[name] if keyword == "RUN"]
        (run,) = [args for args in runs if "BUILD_CA_CERT" in args]
        assert run.endswith("rm -f /tmp/build-ca.pem"), run
        assert ("ARG", 'BUILD_CA_CERT=""') in by_stage[name]


def workflow(path: Path) -> dict[Any, Any]:
    """Load a workflow; YAML 1.1 reads the key `on` as True, so name it back."""
    data: dict[Any, Any] = yaml.safe_load(path.read_text())
    if True in data:
        data["on"] = data.pop(True)
    return data


@pytest.fixture
def ci() -> dict[Any, Any]:
    """Return the CI workflow."""
    return workflow(ROOT / ".github" / "workflows" / "ci.yml")


def test_ci_runs_on_every_push_and_pull_request(ci: dict[Any, Any]) -> None:
    """Both triggers, with no branch filter that would skip some pushes."""
    assert set(ci["on"]) == {"push", "pull_request"}
    assert not (ci["on"]["push"] or {}).get("branches")


def test_permissions_are_empty_by_default_and_least_per_job(ci: dict[Any, Any]) -> None:
    """Top level grants nothing; only the push job may mint an OIDC token, none may write code."""
    assert ci["permissions"] == {}
    for name, job in ci["jobs"].items():
        assert "permissions" in job, name
        assert job["permissions"].get("contents") in (None, "read"), name
        granted = {k for k, v in job["permissions"].items() if v == "write"}
        assert granted <= ({"id-token"} if name == "image" else set()), name


def test_ci_job_runs_the_suite_against_postgres_and_redis(ci: dict[Any, Any]) -> None:
    """The test job has PostgreSQL 15 and Redis 7 services and runs .ci/run (make test)."""
    job = ci["jobs"]["test"]
    assert job["services"]["postgres"]["image"] == "postgres:15"
    assert job["services"]["redis"]["image"] == "redis:7"
    assert "5432:5432" in job["services"]["postgres"]["ports"]
    assert "6379:6379" in job["services"]["redis"]["ports"]
    assert any(".ci/run" in step.get("run", "") for step in job["steps"])


def test_image_is_pushed_from_main_only_with_oidc_and_the_commit_sha(ci: dict[Any, Any]) -> None:
    """The push job needs the tests, runs for pushes to main, assumes a role, tags with the SHA."""
    job = ci["jobs"]["image"]
    assert job["needs"] == "test"
    assert "refs/heads/main" in job["if"] and "push" in job["if"]
    assert job["permissions"]["id-token"] == "write"
    aws = [s for s in job["steps"] if "configure-aws-credentials" in s.get("uses", "")]
    assert aws and "role-to-assume" in aws[0]["with"]
    text = (ROOT / ".github" / "workflows" / "ci.yml").read_text()
    assert "aws-access-key-id" not in text and "AWS_SECRET_ACCESS_KEY" not in text
    build = next(s for s in job["steps"] if "docker push" in s.get("run", ""))
    assert build["env"]["IMAGE"].endswith(":${{ github.sha }}")
    # Built, then tested (make test-image on that very tag, CI=true so nothing skips), then pushed.
    runs = [s.get("run", "") for s in job["steps"]]
    built = next(i for i, r in enumerate(runs) if "docker build" in r)
    tested = runs.index("make test-image")
    pushed = next(i for i, r in enumerate(runs) if "docker push" in r)
    assert built < tested < pushed
    test_env = job["steps"][tested]["env"]
    assert test_env["CI"] == "true" and test_env["GTM_TEST_IMAGE"] == build["env"]["IMAGE"]
    assert "postgres" in job["services"]


def test_ci_installs_terraform_and_its_provider_for_make_test(ci: dict[Any, Any]) -> None:
    """The test job sets up Terraform, mirrors its AWS provider and points the run at the mirror."""
    steps = ci["jobs"]["test"]["steps"]
    names = [step.get("uses", "").split("@")[0] or step.get("run", "") for step in steps]
    setup = names.index("hashicorp/setup-terraform")
    mirror = next(i for i, name in enumerate(names) if "providers mirror" in name)
    run = next(i for i, name in enumerate(names) if ".ci/run" in name)
    assert setup < mirror < run
    assert steps[setup]["with"]["terraform_wrapper"] is False
    assert "TF_PLUGIN_MIRROR=$RUNNER_TEMP/tf-plugins" in steps[run]["run"]
    assert "$RUNNER_TEMP/tf-plugins" in steps[mirror]["run"]


def test_ci_declares_the_real_reviews_absent_and_says_so(ci: dict[Any, Any]) -> None:
    """GitHub has no real-review slice: the job says so in its env, its summary and to .ci/run."""
    job = ci["jobs"]["test"]
    assert job["env"]["GTM_REAL_REVIEWS"] == "absent"
    runs = [step.get("run", "") for step in job["steps"]]
    summary = next(i for i, r in enumerate(runs) if "GITHUB_STEP_SUMMARY" in r)
    run = next(i for i, r in enumerate(runs) if ".ci/run" in r)
    assert summary < run and "GTM_REAL_REVIEWS=$GTM_REAL_REVIEWS" in runs[summary]
    # sudo drops the environment but for what env passes on.
    assert '"GTM_REAL_REVIEWS=$GTM_REAL_REVIEWS"' in runs[run]
    # Nothing else is declared absent: the image job needs no slice, and no other setting skips.
    assert "GTM_REAL_REVIEWS" not in str(ci["jobs"]["image"])


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_and_checkouts_drop_credentials(path: Path) -> None:
    """Every `uses:` is a full commit SHA; every checkout sets persist-credentials: false."""
    data = workflow(path)
    steps = [step for job in data["jobs"].values() for step in job.get("steps", [])]
    uses = [step for step in steps if "uses" in step]
    assert uses
    for step in uses:
        assert SHA_PIN.match(step["uses"]), step["uses"]
        if step["uses"].startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


def test_dependabot_watches_every_pinned_ecosystem() -> None:
    """Pins only stay safe if something proposes their bumps."""
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text())
    ecosystems = {update["package-ecosystem"] for update in config["updates"]}
    assert {"docker", "github-actions", "pip", "npm", "terraform"} <= ecosystems
