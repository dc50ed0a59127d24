"""Resource kinds, one module per Twilio product, each kind registered once in :data:`REGISTRY`.

The products are loaded in the order of :data:`PRODUCTS`, and their kinds register in the order they are written:
that is the order plans list kinds in (parents first, as a kind registers after its parent). A kind of a product
already here is added by writing its class in that product's module; a new product is a new module, named here.
"""

from __future__ import annotations

from importlib import import_module

from deh_deploy.providers.kinds.base import REGISTRY, Ctx, Kind, Record, register

PRODUCTS = (
    "serverless",
    "taskrouter",
    "studio",
    "content",
    "numbers",
    "messaging",
    "conversations",
    "flex",
    "viber",
)
for _product in PRODUCTS:
    import_module(f"{__name__}.{_product}")

KINDS: tuple[Kind, ...] = tuple(REGISTRY)  # the kinds deh-deploy ships with

__all__ = ["KINDS", "PRODUCTS", "REGISTRY", "Ctx", "Kind", "Record", "register"]
