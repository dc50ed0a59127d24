"""``python -m deh_deploy.channels --write-schema``: write the channel parts of the published schemas from the
channel table; ``--check`` only says whether they are up to date (exit 1 when not)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from deh_deploy.channels.schema import hub_schema_text, scenario_schema_text

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
FILES: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("hub.schema.json", hub_schema_text),
    ("scenario.schema.json", scenario_schema_text),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deh_deploy.channels", description=__doc__)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write-schema", action="store_true", help="rewrite the schemas' channel parts")
    mode.add_argument("--check", action="store_true", help="exit 1 when a schema disagrees with the table")
    args = parser.parse_args(argv)
    stale = 0
    for name, generate in FILES:
        path = SCHEMAS / name
        text = path.read_text(encoding="utf-8")
        wanted = generate(text)
        if wanted == text:
            print(f"identical {path}")
            continue
        stale += 1
        if args.check:
            print(f"stale     {path}")
            continue
        path.write_text(wanted, encoding="utf-8")
        print(f"overwrite {path}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
