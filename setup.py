"""The build's one addition to pyproject.toml: the published schemas and the templates go into the wheel, under
``deh_deploy/data/``, where the package looks for them when it is installed rather than run from a checkout (as
pre-commit installs it for its hook, and CI with ``pip install .``). Without them an installed ``deh validate`` of
an invalid hub could not word its errors, and ``deh init`` had no template."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        data = Path(self.build_lib) / "deh_deploy" / "data"
        data.mkdir(parents=True, exist_ok=True)  # an editable build copies no package into build_lib
        for schema in sorted((ROOT / "schemas").glob("*.json")):
            shutil.copyfile(schema, data / schema.name)
        if (ROOT / "templates").is_dir():
            shutil.copytree(
                ROOT / "templates",
                data / "templates",
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
            )


setup(cmdclass={"build_py": BuildWithData})
