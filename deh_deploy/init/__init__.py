"""``deh init``: a new country's folder from the cookiecutter template in ``templates/country``."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from deh_deploy.errors import ConfigError, DehError, UsageError
from deh_deploy.init.answers import (
    HubFacts,
    LanguageFacts,
    check_country,
    check_languages,
    check_name,
    check_slug,
    check_timezone,
    default_slug,
    hub_facts,
)

__all__ = ["HubFacts", "LanguageFacts", "hub_facts", "init_country", "template_dir"]


def template_dir() -> Path:
    here = Path(__file__).resolve().parent.parent
    for candidate in (here.parent / "templates" / "country", here / "data" / "templates" / "country"):
        if (candidate / "cookiecutter.json").is_file():
            return candidate
    raise FileNotFoundError("templates/country/cookiecutter.json")


def init_country(
    *,
    country: str,
    name: str | None,
    slug: str | None,
    languages: Sequence[str],
    timezone: str | None,
    output_dir: Path,
    no_input: bool,
    holidays: bool = True,
) -> Path:
    """Write ``output_dir/<slug>/`` (hub.yaml and one translation file per language); return that folder.

    Every answer is checked before anything is written; the folder appears whole or not at all.
    """
    code = check_country(country)
    context: dict[str, str] = {"country": code, "holidays": "yes" if holidays else "no"}
    if name is not None:
        context["society_name"] = check_name(name)
    if slug is not None:
        context["slug"] = check_slug(slug)
    if timezone is not None:
        context["timezone"] = check_timezone(timezone)
    if any(item.strip() for item in languages):
        context["languages"] = ",".join(lang.tag for lang in check_languages(languages))
    _check_output_dir(output_dir)
    _refuse_existing(output_dir, context.get("slug") or default_slug(code))
    created = _first_missing(output_dir)
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".deh-init-", dir=output_dir))
    except OSError as exc:
        if created is not None:
            shutil.rmtree(created, ignore_errors=True)
        raise UsageError(f"--output-dir {output_dir}: cannot write there: {exc.strerror or exc}") from None
    try:
        generated = _run_cookiecutter(context, staging=staging, no_input=no_input)
        target = output_dir / generated.name
        _check_generated(generated / "hub.yaml", shown=target / "hub.yaml")
        _refuse_existing(output_dir, generated.name)
        os.rename(generated, target)
        return target
    except BaseException:
        if created is not None:
            shutil.rmtree(created, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _run_cookiecutter(context: dict[str, str], *, staging: Path, no_input: bool) -> Path:
    from cookiecutter.exceptions import CookiecutterException
    from cookiecutter.main import cookiecutter

    config = staging / "cookiecutter.yaml"  # no user config; the replay file stays in the staging folder
    settings = {
        "replay_dir": str(staging / "replay"),
        "cookiecutters_dir": str(staging / "cache"),
        "default_context": {},
    }
    config.write_text(json.dumps(settings), encoding="utf-8")  # JSON is YAML
    no_bytecode, sys.dont_write_bytecode = sys.dont_write_bytecode, True  # no __pycache__ in the template
    try:
        result = cookiecutter(
            str(template_dir()),
            no_input=no_input,
            extra_context=context,
            output_dir=str(staging / "out"),
            config_file=str(config),
        )
    except CookiecutterException as exc:
        raise DehError(f"cannot write the country folder: {exc}") from exc
    finally:
        sys.dont_write_bytecode = no_bytecode
    return Path(result)


def _check_generated(hub: Path, *, shown: Path) -> None:
    from deh_deploy.config import validate

    def moved(file: str) -> str:
        try:
            return str(shown.parent / Path(file).resolve().relative_to(hub.parent.resolve()))
        except ValueError:
            return file

    errors = [d for d in validate(hub)[1] if d.severity == "error"]
    if errors:
        raise ConfigError([dataclasses.replace(d, file=moved(d.file)) for d in errors])


def _first_missing(path: Path) -> Path | None:
    """The outermost folder of ``path`` that does not exist yet (removed again if init fails)."""
    missing = None
    for folder in (path, *path.parents):
        if os.path.lexists(folder):
            break
        missing = folder
    return missing


def _check_output_dir(path: Path) -> None:
    """``--output-dir`` must be a folder one can write in, or a path where one can be made below such a folder:
    anything else is one message before a single file is written."""
    if "\x00" in str(path):
        raise UsageError(f"--output-dir {str(path)!r} contains a NUL character")
    existing = next((folder for folder in (path, *path.parents) if os.path.lexists(folder)), Path("."))
    shown = f"--output-dir {path}" + ("" if existing == path else f": {existing}")
    if existing.is_symlink() and not existing.exists():
        raise UsageError(f"{shown} is a symbolic link to {os.readlink(existing)}, which does not exist")
    if not existing.is_dir():
        raise UsageError(f"{shown} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"{shown} is a folder you cannot write in")


def _refuse_existing(output_dir: Path, slug: str) -> None:
    if (output_dir / slug).exists():
        raise UsageError(f"{output_dir / slug} already exists; choose another --slug or remove that folder")
