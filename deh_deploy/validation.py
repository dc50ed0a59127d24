"""What ``deh validate`` reports for one hub: the config's own checks, then what only its render can show.

The config layer checks the document (schema, rules); a config without errors is then rendered in part to check
what Twilio would refuse of the result: the routing's TaskRouter expressions (``render.expressions``). The render
is imported only then, so a config with errors is reported as fast as before.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from deh_deploy import config

if TYPE_CHECKING:
    from deh_deploy.config import Document
    from deh_deploy.diagnostics import Diagnostic


def validate_hub(path: Path) -> tuple[Document, list[Diagnostic]]:
    """The config's diagnostics, and for a config without errors the rendered expressions that would not parse."""
    doc, diagnostics = config.validate(path)  # looked up at each call: the config check stays one place
    if doc.data is None or any(d.severity == "error" for d in diagnostics):
        return doc, diagnostics
    from deh_deploy.config.model import build
    from deh_deploy.render.expressions import expression_problems

    return doc, [*diagnostics, *expression_problems(doc, build(doc.data, source=doc.path))]
