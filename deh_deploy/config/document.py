"""A hub document: ``hub.yaml`` plus the translation files it names, merged, with positions for every value."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from deh_deploy.config.loader import Positions, format_path, load
from deh_deploy.diagnostics import Diagnostic, Severity
from deh_deploy.errors import UsageError
from deh_deploy.inputs import InputProblem, NotAFile, Outside, confined

HUB_FILE = "hub.yaml"
MAX_MESSAGE = 1_000  # characters: whatever a message quotes, its line stays one a person can read


@dataclass
class Document:
    """What a hub's files say. ``data`` is None when hub.yaml itself could not be parsed."""

    path: Path
    name: str
    data: Any
    positions: Positions
    diagnostics: list[Diagnostic] = field(default_factory=list)
    included: dict[str, str] = field(default_factory=dict)  # language → shown file name of its translations

    @property
    def folder(self) -> Path:
        return self.path.parent

    def at(
        self,
        path: tuple[str | int, ...],
        message: str,
        *,
        severity: Severity = "error",
        prefer_key: bool = False,
    ) -> Diagnostic:
        """A diagnostic for a JSON path of the merged document, located in whichever file holds it."""
        file, line, col = self.positions.locate(path, prefer_key=prefer_key)
        return Diagnostic(
            file or self.name,
            line,
            col,
            format_path(path),
            message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 1] + "…",
            severity,
        )

    def at_char(
        self,
        path: tuple[str | int, ...],
        value: str,
        index: int,
        message: str,
        *,
        severity: Severity = "error",
    ) -> Diagnostic:
        """A diagnostic about one character of a string, at the line and column where that character is written."""
        diagnostic = self.at(path, message, severity=severity)
        file, line, col = self.positions.locate_char(path, value, index)
        return replace(diagnostic, file=file or diagnostic.file, line=line, col=col)


def display_name(path: Path) -> str:
    """Paths are shown relative to the working directory when below it, so CI annotations resolve."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive
        return str(path)


def hub_file(path: Path) -> Path:
    """A country folder or its hub.yaml → the hub.yaml path. Raises UsageError for anything else."""
    if "\x00" in str(path):
        raise UsageError(f"{display_name(path)!r}: the path contains a NUL character")
    candidate = path / HUB_FILE if path.is_dir() else path
    if candidate.is_symlink() and not candidate.exists():
        raise UsageError(f"{display_name(candidate)}: a symbolic link that leads nowhere (or loops)")
    if not candidate.exists():
        where = (
            f"{display_name(path)} has no {HUB_FILE}"
            if path.is_dir()
            else f"{display_name(path)}: no such file"
        )
        raise UsageError(where)
    if not candidate.is_file():
        raise UsageError(f"{display_name(candidate)}: not a file")
    return candidate


def read_document(path: Path) -> Document:
    """Load hub.yaml and each translation file it names. Problems become diagnostics; unreadable files raise."""
    file = hub_file(path)
    name = display_name(file)
    try:
        confined(file.parent, file.name)
    except Outside:
        raise UsageError(
            f"{name}: a symbolic link to a file outside {display_name(file.parent)}; the hub file must be"
            " inside its country folder"
        ) from None
    try:
        loaded = load(file, name=name)
    except NotAFile as exc:
        raise UsageError(f"{name}: not a file") from exc
    except OSError as exc:
        raise UsageError(f"{name}: cannot read: {exc.strerror or exc}") from exc
    doc = Document(file, name, loaded.data, loaded.positions, list(loaded.diagnostics))
    if isinstance(doc.data, dict):
        _include_translations(doc)
    elif doc.data is not None:
        doc.diagnostics.append(doc.at((), "the file must be a mapping of keys to values"))
    return doc


def _include_translations(doc: Document) -> None:
    translations = doc.data.get("translations")
    if not isinstance(translations, dict):
        return
    root = doc.folder
    for lang, ref in list(translations.items()):
        if not isinstance(ref, str):
            continue
        where = ("translations", lang)
        try:
            target = confined(root, ref)
        except Outside:
            doc.diagnostics.append(
                doc.at(where, f"translation file {ref!r} must be inside {display_name(root.resolve())}")
            )
            continue
        except InputProblem as exc:
            doc.diagnostics.append(doc.at(where, f"translation file {ref!r}: {exc.message}"))
            continue
        shown = display_name(target)
        try:
            loaded = load(target, name=shown)
        except FileNotFoundError:
            doc.diagnostics.append(doc.at(where, f"translation file {ref!r} does not exist"))
            continue
        except NotAFile as exc:
            doc.diagnostics.append(doc.at(where, f"translation file {ref!r} {exc.message}"))
            continue
        except OSError as exc:
            doc.diagnostics.append(
                doc.at(where, f"cannot read translation file {ref!r}: {exc.strerror or exc}")
            )
            continue
        prefix = format_path(where)
        doc.diagnostics.extend(replace(d, path=prefix + d.path.removeprefix("$")) for d in loaded.diagnostics)
        if loaded.diagnostics:
            continue
        doc.included[lang] = shown
        translations[lang] = loaded.data
        doc.positions.graft(loaded.positions, where)
