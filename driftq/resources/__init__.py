"""The registry of supported Terraform types: one ``ResourceSpec`` each, grouped by service.

Adding a type (the full guide: docs/adding-a-type.md):

1. In the service's module (or a new ``driftq/resources/<service>.py``, found by itself),
   append to ``SPECS`` one ``ResourceSpec``: the listing (``ListCall``), the per-item
   ``Detail`` calls or batched ``Join``s it needs, where its ``Tags`` are, a ``normalize``
   function mapping one item to Terraform attribute names, the ``compared`` attributes and
   the ``left_out`` ones with a reason (together: every attribute of the provider's schema).
2. A new service is one line in ``services.py`` (its rate limit and its "gone" error
   codes); its queue, config name and rate limit follow.
3. Add a ``TypeCase`` to ``tests/resources/cases/``: a builder that creates one resource
   in moto and its matching state. The harness then checks clean / missing / unmanaged /
   defaults / each compared attribute's drift; the registry lint checks the spec against
   botocore's model, the read-only guard and the provider schema.

This package's ``__init__`` stays light (``config_models`` imports ``services``); the
registry loads on first use of ``REGISTRY``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from driftq.resources.services import GLOBAL_SERVICES

if TYPE_CHECKING:
    from driftq.resources.registry import REGISTRY, services, specs_for_service
    from driftq.resources.spec import ListCall, ResourceSpec

_LAZY = {
    "REGISTRY": "driftq.resources.registry",
    "services": "driftq.resources.registry",
    "specs_for_service": "driftq.resources.registry",
    "ListCall": "driftq.resources.spec",
    "ResourceSpec": "driftq.resources.spec",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "GLOBAL_SERVICES",
    "REGISTRY",
    "ListCall",
    "ResourceSpec",
    "services",
    "specs_for_service",
]
