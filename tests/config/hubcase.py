"""Build a hub folder from Hungary's by a small patch description, keeping every untouched line where it was.

A case file (``negative/<case>.yaml`` or ``positive/<case>.yaml``) says what to change and what
``deh validate`` must print::

    about: One line saying what the case shows.
    rule: topics_reachable        # the rule shown: a name in deh_deploy.config.rules.RULES, or loader/schema
    patch:                        # dotted path → new value (written in flow style on the same line)
      topics.housing.queue: genral
    delete: [translations.ru.messages.handoff]     # keys to remove (block mappings only)
    replace:                      # exact text edits, for what a data patch cannot express (duplicate keys)
      - {file: hub.yaml, old: "a", new: "b", count: 1}
    files:                        # files text edits cannot make, relative to the case's folder (made last)
      - {path: ../secret.env, text: "TOKEN=…"}      # a file with this text (here beside the folder)
      - {path: translations/uk.yaml, link: ../../secret.env}   # a symbolic link to this target
      - {path: translations/uk.yaml, make: fifo}    # a named pipe (or make: folder)
      - {path: translations/uk.yaml, encoding: utf-16}         # the file as it is, saved in another encoding
    expect:                       # the exact full lines, in order
      - "unknown-topic-queue/hub.yaml:90:12: $.topics.housing.queue: unknown queue 'genral'; did you mean …"
    xfail: why the code does not do this yet, and the fix   # optional: a known bug, xfail(strict=True)

A dotted path that goes through ``translations.<lang>`` edits that language's included file. Numbers in a path
index lists. Edits are made in the YAML text, so every line a case does not touch keeps its number.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

PROJECT = Path(__file__).resolve().parents[2]
HUNGARY = PROJECT / "country_configs" / "hungary"
CASES = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Replace:
    file: str
    old: str
    new: str
    count: int = 1


@dataclass(frozen=True)
class FileSpec:
    """One file made as it is, for hostile cases: its text, a link, a named pipe or folder, or an encoding."""

    path: str
    text: str | None = None
    link: str | None = None
    make: str | None = None
    encoding: str | None = None


@dataclass(frozen=True)
class Case:
    name: str
    about: str
    rule: str
    patch: Mapping[str, Any]
    delete: tuple[str, ...]
    replace: tuple[Replace, ...]
    expect: tuple[str, ...]
    xfail: str | None = None
    files: tuple[FileSpec, ...] = ()

    @property
    def exit_code(self) -> int:
        """1 when any expected line is an error; warnings alone pass unless ``--strict``."""
        return 1 if any(": warning: " not in line for line in self.expect) else 0


def load_case(path: Path) -> Case:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    unknown = set(spec) - {"about", "rule", "patch", "delete", "replace", "expect", "xfail", "files"}
    if unknown:
        raise ValueError(f"{path.name}: unknown keys {sorted(unknown)}")
    if not spec.get("about"):
        raise ValueError(f"{path.name}: say in 'about' what the case shows")
    return Case(
        name=path.stem,
        about=spec["about"],
        rule=spec["rule"],
        patch=dict(spec.get("patch") or {}),
        delete=tuple(spec.get("delete") or ()),
        replace=tuple(Replace(**r) for r in spec.get("replace") or ()),
        expect=tuple(spec.get("expect") or ()),
        xfail=spec.get("xfail"),
        files=tuple(FileSpec(**f) for f in spec.get("files") or ()),
    )


def case_files(kind: str) -> list[Path]:
    return sorted((CASES / kind).glob("*.yaml"))


def build_hub(case: Case, parent: Path) -> Path:
    """Copy Hungary's folder to ``parent/<case name>`` and apply the case's edits; return the folder."""
    folder = parent / case.name
    shutil.copytree(HUNGARY, folder)
    for r in case.replace:
        _replace_text(folder / r.file, r)
    for dotted, value in case.patch.items():
        file, path = _file_of(folder, dotted)
        _write(file, set_value(_read(file), path, value))
    for dotted in case.delete:
        file, path = _file_of(folder, dotted)
        _write(file, delete_key(_read(file), path))
    for spec in case.files:
        make_file(folder / spec.path, spec)
    return folder


def make_file(target: Path, spec: FileSpec) -> None:
    """Replace whatever is at ``target`` with what ``spec`` describes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if spec.encoding is not None:
        target.write_bytes(_read(target).encode(spec.encoding))
        return
    if target.is_symlink() or target.is_file():
        target.unlink()
    if spec.text is not None:
        _write(target, spec.text)
    elif spec.link is not None:
        target.symlink_to(spec.link)
    elif spec.make == "fifo":
        os.mkfifo(target)
    elif spec.make == "folder":
        target.mkdir()
    else:
        raise ValueError(f"{spec.path}: say what to make (text, link, make: fifo|folder, or encoding)")


def _read(file: Path) -> str:
    return file.read_text(encoding="utf-8")


def _write(file: Path, text: str) -> None:
    file.write_text(text, encoding="utf-8")


def _replace_text(file: Path, r: Replace) -> None:
    text = _read(file)
    found = text.count(r.old)
    if found != r.count:
        raise ValueError(f"{file.name}: {r.old!r} occurs {found} times, the case says {r.count}")
    _write(file, text.replace(r.old, r.new))


def _file_of(folder: Path, dotted: str) -> tuple[Path, list[str]]:
    """The file holding a dotted path of the merged document, and the path inside that file."""
    parts = dotted.split(".")
    hub = folder / "hub.yaml"
    if len(parts) > 2 and parts[0] == "translations":
        ref = (yaml.safe_load(_read(hub)).get("translations") or {}).get(parts[1])
        if isinstance(ref, str):
            return folder / ref, parts[2:]
    return hub, parts


def _dump(value: Any) -> str:
    """One line of YAML flow style (JSON is valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _walk(text: str, path: list[str]) -> tuple[yaml.Node | None, yaml.Node | None, yaml.Node]:
    """(key node, value node, parent node) for ``path``; the value node is None when the last key is new."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is None:
        raise ValueError("the file is empty")
    node: yaml.Node = root
    key_node: yaml.Node | None = None
    for i, part in enumerate(path):
        parent = node
        if isinstance(node, yaml.SequenceNode):
            key_node, node = None, node.value[int(part)]
            continue
        if not isinstance(node, yaml.MappingNode):
            raise ValueError(f"{'.'.join(path[:i])} is not a mapping or list")
        match = [(k, v) for k, v in node.value if k.value == part]
        if not match:
            if i == len(path) - 1:
                return None, None, parent
            raise ValueError(f"{'.'.join(path[: i + 1])} does not exist")
        key_node, node = match[0]
    return key_node, node, parent


def _line_start(text: str, index: int) -> int:
    """``index`` moved back to the start of its line when only indentation precedes it there."""
    start = text.rfind("\n", 0, index) + 1
    return start if not text[start:index].strip() else index


def _block(node: yaml.Node) -> bool:
    return isinstance(node, yaml.CollectionNode) and not node.flow_style


def set_value(text: str, path: list[str], value: Any) -> str:
    key_node, node, parent = _walk(text, path)
    if node is None:
        return _insert(text, parent, path[-1], value)
    if _block(node):
        if key_node is None:
            raise ValueError("replacing a block collection inside a list is not supported")
        colon = text.index(":", key_node.end_mark.index)
        end = _line_start(text, node.end_mark.index)
        return text[: colon + 1] + " " + _dump(value) + "\n" + text[end:]
    return text[: node.start_mark.index] + _dump(value) + text[node.end_mark.index :]


def _insert(text: str, parent: yaml.Node, key: str, value: Any) -> str:
    if not isinstance(parent, yaml.MappingNode):
        raise ValueError(f"cannot add {key!r} to a list")
    if parent.flow_style:
        close = parent.end_mark.index - 1
        sep = ", " if parent.value else ""
        return text[:close] + f"{sep}{key}: {_dump(value)}" + text[close:]
    indent = int(parent.value[0][0].start_mark.column)
    at = _line_start(text, parent.end_mark.index)
    if at > 0 and text[at - 1] != "\n":
        text, at = text[:at] + "\n" + text[at:], at + 1
    return text[:at] + " " * indent + f"{key}: {_dump(value)}\n" + text[at:]


def delete_key(text: str, path: list[str]) -> str:
    key_node, node, parent = _walk(text, path)
    if key_node is None or node is None or not _block(parent):
        raise ValueError(f"{'.'.join(path)}: only keys of block mappings can be deleted")
    start = text.rfind("\n", 0, key_node.start_mark.index) + 1
    if _block(node):
        end = _line_start(text, node.end_mark.index)
    else:
        newline = text.find("\n", node.end_mark.index)
        end = len(text) if newline < 0 else newline + 1
    return text[:start] + text[end:]
