"""Split translations/_languages.yaml, which the template writes for all languages at once, into one file per
language. Runs inside the new country folder; standard library only."""

from __future__ import annotations

import re
import sys
from pathlib import Path

COMBINED = Path("translations") / "_languages.yaml"
MARK = re.compile(r"#>>> ([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*\.yaml)")


def split(text: str) -> dict[str, str]:
    files: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines(keepends=True):
        mark = MARK.fullmatch(line.rstrip("\r\n"))
        if mark:
            current = files.setdefault(mark.group(1), [])
        elif current is not None:
            current.append(line)
        elif line.strip():
            raise ValueError(f"{COMBINED}: text before the first language mark: {line.strip()!r}")
    return {name: "".join(lines).strip("\n") + "\n" for name, lines in files.items()}


def main() -> int:
    for name, text in split(COMBINED.read_text(encoding="utf-8")).items():
        (COMBINED.parent / name).write_text(text, encoding="utf-8")
    COMBINED.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
