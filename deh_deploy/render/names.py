"""The names deh-deploy gives what it owns, as render writes them: :mod:`deh_deploy.names`, which lives outside
render so that the config rules read it without importing render (and the model it needs) during validation."""

from __future__ import annotations

from deh_deploy.names import MAX_FRIENDLY, friendly, owns, prefix, template_name, unique

__all__ = ["MAX_FRIENDLY", "friendly", "owns", "prefix", "template_name", "unique"]
