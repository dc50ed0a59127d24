"""The GitHub Actions workflow ``deh init`` writes beside a new country: validate and test on every pull request,
the plan of each ready environment as a comment, apply on merge behind each environment's approval; one job per
environment, one concurrency group per Twilio account. Written once, never rewritten: after that it is the
Society's own file."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from deh_deploy.errors import DehError

__all__ = ["Workflow", "write_workflow"]

_NAME_OF_THIS_PROJECT = re.compile(r'^name\s*=\s*"deh-deploy"', re.MULTILINE)


@dataclass(frozen=True)
class Workflow:
    """What became of the workflow: ``created`` at ``path``, ``kept`` (a file was there), or ``no-repository``
    (the country is in no git repository, so there is nowhere for a workflow to live)."""

    state: Literal["created", "kept", "no-repository"]
    path: Path | None


def _template() -> Path:
    here = Path(__file__).resolve().parent.parent
    for candidate in (here.parent / "templates" / "ci", here / "data" / "templates" / "ci"):
        if (candidate / "deh-workflow.yml").is_file():
            return candidate / "deh-workflow.yml"
    raise FileNotFoundError("templates/ci/deh-workflow.yml")


def repository_root(folder: Path) -> Path | None:
    """The git work tree ``folder`` is in (a ``.git`` folder, or the ``.git`` file of a linked work tree)."""
    for candidate in (folder.resolve(), *folder.resolve().parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def render_workflow(*, slug: str, name: str, folder: str, environments: list[str], install: str) -> str:
    """The workflow's text. ``folder`` is the country's folder relative to the repository's root."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    jinja = SandboxedEnvironment(
        block_start_string="[%",
        block_end_string="%]",
        variable_start_string="[[",
        variable_end_string="]]",
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    prefix = "DEH_" + re.sub(r"[^A-Z0-9]", "_", slug.upper())
    return jinja.from_string(_template().read_text(encoding="utf-8")).render(
        slug=slug,
        name=name,
        folder=folder,
        branch="main",
        workflow=f".github/workflows/deh-{slug}.yml",
        install=install,
        environments=[
            {"name": env, "github": f"{slug}-{env}", "secret": f"{prefix}_{env.upper()}_*"}
            for env in environments
        ],
    )


def write_workflow(country: Path) -> Workflow:
    """Write ``.github/workflows/deh-<slug>.yml`` for the country folder ``init`` has just written, at the root
    of the repository it is in, unless a file (or a link) is already there."""
    import yaml

    from deh_deploy.files import write_atomic
    from deh_deploy.init.answers import country_name

    data = yaml.safe_load((country / "hub.yaml").read_text(encoding="utf-8"))
    slug, environments = str(data["slug"]), [str(env) for env in data["environments"]]
    name = country_name(str(data["society"]["country"]))
    root = repository_root(country)
    if root is None:
        return Workflow("no-repository", None)
    path = root / ".github" / "workflows" / f"deh-{slug}.yml"
    if os.path.lexists(path):
        return Workflow("kept", path)
    project = root / "pyproject.toml"
    this_checkout = project.is_file() and _NAME_OF_THIS_PROJECT.search(project.read_text(encoding="utf-8"))
    text = render_workflow(
        slug=slug,
        name=name,
        folder=country.resolve().relative_to(root).as_posix(),
        environments=environments,
        install="." if this_checkout else "deh-deploy",
    )
    try:
        write_atomic(path, text.encode("utf-8"))
        path.chmod(0o644)
    except OSError as exc:
        raise DehError(f"{path}: cannot write the CI workflow: {exc.strerror or exc}") from None
    return Workflow("created", path)
