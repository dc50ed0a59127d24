"""Configuration: load with positions, check against the schema and the rules, build the typed model."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from deh_deploy.config.document import Document, read_document
from deh_deploy.diagnostics import Diagnostic
from deh_deploy.errors import ConfigError

if TYPE_CHECKING:
    from deh_deploy.config.model import HubConfig


def check_document(doc: Document) -> list[Diagnostic]:
    """Every problem of one hub: parse problems, else schema errors, else the semantic rules."""
    from deh_deploy.config.rules import check_rules

    if doc.diagnostics or doc.data is None:
        return list(doc.diagnostics)
    if not _passes_schema(doc):
        from deh_deploy.config.schema import check_schema

        schema_errors = check_schema(doc)
        if schema_errors:
            return schema_errors
    return check_rules(doc)


def _passes_schema(doc: Document) -> bool:
    """Whether the document surely passes the schema, answered without jsonschema by the schema written as Python
    (``hub_check``, regenerated and compared by a test). False sends it to jsonschema, whose errors are reported:
    for a document that fails, and for a channel table that has a channel registered at run time."""
    from deh_deploy import channels

    if channels.names() != channels.BUILT_IN:
        return False
    from deh_deploy.config.hub_check import is_valid

    return is_valid(doc.data)


def validate(path: Path) -> tuple[Document, list[Diagnostic]]:
    doc = read_document(path)
    return doc, check_document(doc)


def load_hub(path: Path, *, strict: bool = False) -> HubConfig:
    """A valid hub's model. Raises ConfigError with every error (and warnings too when strict)."""
    from deh_deploy.config.model import build

    doc, diagnostics = validate(path)
    failing = [d for d in diagnostics if d.severity == "error" or (strict and d.severity == "warning")]
    if failing:
        raise ConfigError(failing)
    return _with_placeholders(build(doc.data, source=doc.path), doc)


def _with_placeholders(hub: HubConfig, doc: Document) -> HubConfig:
    """The hub with each environment's placeholders, as the lines that refuse them: a FILL IN or an all-zero
    account SID never reaches Twilio (or the sandbox), whatever ``ready`` says."""
    from dataclasses import replace
    from types import MappingProxyType

    from deh_deploy.config.rules import placeholder_scope, placeholders

    found = list(placeholders(doc.data))
    if not found:
        return hub
    environments = {}
    for name, environment in hub.environments.items():
        used = [(p, m) for p, m in found if placeholder_scope(p) in (None, name)]
        lines = tuple(
            doc.at(p, f"{m}; plan, apply and destroy refuse placeholders until they are filled in")
            for p, m in used
        )
        environments[name] = replace(environment, placeholders=lines)
    return replace(hub, environments=MappingProxyType(environments))


__all__ = ["Document", "HubConfig", "check_document", "load_hub", "read_document", "validate"]
