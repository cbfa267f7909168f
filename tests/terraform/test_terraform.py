"""Terraform itself checks infra/: fmt, validate, and `terraform test` planning both shapes.

Run by `make test-terraform`. Terraform and its AWS provider must be on the machine: the provider
comes from a filesystem mirror (TF_PLUGIN_MIRROR, default /opt/tf-plugins; the workflow fills one
with `terraform providers mirror` before the run), so nothing is downloaded at test time. The plan
uses `mock_provider "aws"` (infra/tests/shapes.tftest.hcl): no AWS account or credential. Without
terraform or the provider the tests are skipped with the reason; in CI (CI=true) they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from guessthatmovie.config import PROJECT_ROOT
from tests.servers import unavailable

INFRA = PROJECT_ROOT / "infra"
AWS_PROVIDER = "registry.terraform.io/hashicorp/aws"


@dataclass(frozen=True)
class Terraform:
    """A terraform program and a working copy of infra/ initialised against the mirror."""

    program: str
    workdir: Path
    env: dict[str, str]

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run one terraform command in the working copy; return what it printed."""
        return subprocess.run(
            [self.program, *args, "-no-color"],
            cwd=self.workdir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )


@pytest.fixture(scope="module")
def terraform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Terraform]:
    """Copy infra/ to a temporary folder and `terraform init` it from the provider mirror."""
    program = shutil.which("terraform")
    if program is None:
        unavailable("terraform is not installed (https://developer.hashicorp.com/terraform)")
    assert program is not None
    mirror = Path(os.environ.get("TF_PLUGIN_MIRROR", "/opt/tf-plugins"))
    if not (mirror / AWS_PROVIDER).is_dir():
        unavailable(f"no AWS provider in the Terraform mirror {mirror} (set TF_PLUGIN_MIRROR)")
    root = tmp_path_factory.mktemp("terraform")
    # Our own CLI configuration: providers from the mirror only, never from the network.
    config = root / "terraform.rc"
    mirror_block = f'filesystem_mirror {{ path = "{mirror}" }}'
    config.write_text(f"provider_installation {{\n  {mirror_block}\n}}\n")
    workdir = root / "infra"
    shutil.copytree(INFRA, workdir, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    # The instances' boot script carries the repository's nginx files (infra/ec2.tf).
    shutil.copytree(PROJECT_ROOT / "nginx", root / "nginx")
    env = {
        **os.environ,
        "TF_CLI_CONFIG_FILE": str(config),
        "TF_IN_AUTOMATION": "1",
        "CHECKPOINT_DISABLE": "1",  # no version check call to HashiCorp
        "TF_DATA_DIR": str(root / "data"),
    }
    tf = Terraform(program, workdir, env)
    init = tf.run("init", "-backend=false", "-input=false")
    assert init.returncode == 0, init.stdout + init.stderr
    yield tf


def test_infra_is_formatted(terraform: Terraform) -> None:
    """`terraform fmt -check` lists no file: the code is in Terraform's canonical layout."""
    result = terraform.run("fmt", "-check", "-recursive", "-diff")
    assert result.returncode == 0, "terraform fmt would change:\n" + result.stdout + result.stderr


def test_infra_is_valid(terraform: Terraform) -> None:
    """`terraform validate` accepts the configuration (types, references, provider schemas)."""
    result = terraform.run("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "The configuration is valid" in result.stdout


def test_both_shapes_plan_against_a_mocked_provider(terraform: Terraform) -> None:
    """`terraform test` plans both shapes (infra/tests/*.tftest.hcl): every run passes."""
    result = terraform.run("test")
    output = result.stdout + result.stderr
    print(output)  # the run's lines, for the CI log
    assert result.returncode == 0, output
    runs = dict(re.findall(r'run "(\w+)"\.\.\. (\w+)', output))
    assert {"single_box", "scaled_out", "scaled_out_without_an_image_tag_is_refused"} <= set(runs)
    assert set(runs.values()) == {"pass"}, runs  # none failed or skipped
