"""The generic enumerator: runs a spec's list call (or its custom enumerator) and normalizes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jmespath

from driftq.model import GLOBAL, LiveResource
from driftq.resources.context import ScanContext
from driftq.resources.spec import ResourceSpec


def raw_items(spec: ResourceSpec, ctx: ScanContext) -> Iterator[dict[str, Any]]:
    if spec.enumerate is not None:
        yield from spec.enumerate(ctx)
        return
    call = spec.list_call
    assert call is not None
    client = ctx.client(spec.client_name)
    expression = jmespath.compile(call.items)
    if call.paginated and client.can_paginate(call.operation):
        for page in client.get_paginator(call.operation).paginate(**call.params):
            yield from expression.search(page) or []
    else:
        yield from expression.search(getattr(client, call.operation)(**call.params)) or []


def live_resources(spec: ResourceSpec, ctx: ScanContext) -> list[LiveResource]:
    out: list[LiveResource] = []
    for item in raw_items(spec, ctx):
        attrs = spec.normalize(item, ctx)
        if attrs is None:
            continue
        region = attrs.pop("_region", None) or (GLOBAL if spec.is_global else ctx.region)
        out.append(
            LiveResource(
                type=spec.type,
                identity=spec.identity(attrs),
                import_id=spec.import_id_of(attrs),
                region=region,
                attributes=attrs,
                aws_default=bool(spec.is_aws_default and spec.is_aws_default(attrs)),
            )
        )
    return out
