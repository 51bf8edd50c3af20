"""The generic enumerator: a spec's listing, its per-item and batched calls, tags, normalizing.

Every call goes through ``ScanContext.pages`` (one answer per unit for the same call). A
resource deleted between its listing and a detail call is dropped here, from the service's
``gone`` codes (``services.py``) and the call's own, so no spec handles that race itself.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterator
from typing import Any

import jmespath
from botocore.exceptions import ClientError

from driftq.aws.errors import error_code
from driftq.model import GLOBAL, LiveResource
from driftq.resources.context import ScanContext
from driftq.resources.owners import OWNERS, owners_from_tags
from driftq.resources.services import service
from driftq.resources.spec import Detail, Item, Join, Key, ListCall, ResourceSpec
from driftq.resources.tags import all_tags, without_aws_tags

REGION = "_region"  # an item's own region (a global listing of regional resources)
TAGS = "_tags"  # the item's tags as a map, from its spec's ``tags``


class _Gone(Exception):
    """The item's resource no longer exists."""


def live_resources(spec: ResourceSpec, ctx: ScanContext) -> list[LiveResource]:
    out: list[LiveResource] = []
    for item in _items(spec, ctx):
        live = live_resource(spec, item, ctx)
        if live is not None:
            out.append(live)
    return out


def live_resource(spec: ResourceSpec, item: Item, ctx: ScanContext) -> LiveResource | None:
    """One item, after its calls (tags as a map under ``TAGS``), as a live resource."""
    attrs = spec.normalize(item, ctx)
    if attrs is None:
        return None
    if TAGS in item:
        attrs.setdefault("tags", item[TAGS])
    region = attrs.pop(REGION, None) or item.get(REGION)
    region = region or (GLOBAL if spec.is_global else ctx.region)
    owners = [*attrs.pop(OWNERS, ()), *item.get(OWNERS, ())]
    if spec.tags is None and isinstance(item.get("Tags"), list):
        # a spec reading its tags itself (an Auto Scaling group's `tag` blocks): AWS's own
        # tags in the item still name its owner (an EKS node group, a CloudFormation stack)
        owners += owners_from_tags(all_tags(item["Tags"]))
    return LiveResource(
        type=spec.type,
        identity=spec.identity(attrs),
        import_id=spec.import_id_of(attrs),
        region=region,
        attributes=attrs,
        aws_default=bool(spec.is_aws_default and spec.is_aws_default(attrs)),
        owners=tuple(dict.fromkeys((str(t), str(i)) for t, i in owners)),
    )


def _items(spec: ResourceSpec, ctx: ScanContext) -> Iterator[Item]:
    if spec.enumerate is not None:
        listed: Iterator[Item] = (dict(i) for i in spec.enumerate(ctx))
    else:
        assert spec.list_call is not None
        listed = list_items(ctx, spec.list_call, spec.client_name)
    for item in listed:
        try:
            for step in spec.calls:
                _apply(ctx, spec, step, item)
        except _Gone:
            continue
        for each in spec.expand(item) if spec.expand else (item,):
            try:
                _tags(ctx, spec, each)
            except _Gone:
                continue
            yield each


def list_items(ctx: ScanContext, call: ListCall, client: str) -> Iterator[Item]:
    """A listing's items (copies: steps add to them), each with its region when asked per
    region. Items of regions the unit does not scan are left out."""
    name = call.client or client
    expression = jmespath.compile(call.items)
    regions: tuple[str | None, ...] = ctx.regions if call.per_region else (None,)
    for region in regions:
        params = dict(call.params)
        if call.per_region:
            params[call.per_region] = region
        for page in ctx.pages(name, call.operation, params, paginated=call.paginated):
            for found in expression.search(page) or []:
                item = dict(found) if isinstance(found, dict) else {"Value": found}
                if region is not None:
                    item[REGION] = item.get(call.per_region) or region
                    if item[REGION] not in ctx.regions:
                        continue
                yield item


def _apply(ctx: ScanContext, spec: ResourceSpec, step: Detail | Join, item: Item) -> None:
    if isinstance(step, Join):
        _join(ctx, spec, step, item)
    else:
        _detail(ctx, spec, step, item)


def _value(key: Key, item: Item) -> Any:
    return key(item) if callable(key) else jmespath.search(key, item)


def _detail(ctx: ScanContext, spec: ResourceSpec, call: Detail, item: Item) -> None:
    if call.when is not None and not call.when(item, ctx):
        return
    client = call.client or spec.client_name
    params = {**call.params, **{name: _value(key, item) for name, key in call.key.items()}}
    try:
        pages = ctx.pages(client, call.operation, params, item.get(REGION), call.paginated)
    except ClientError as exc:
        code = error_code(exc)
        if _matches(code, call.gone | _service_gone(client)):
            raise _Gone from exc
        if code in call.unreadable:
            return
        if code not in call.absent:
            raise
        result: Any = None
    else:
        if call.paginated:
            result = [x for page in pages for x in jmespath.search(call.result, page) or []]
        else:
            result = jmespath.search(call.result, _without_metadata(pages[0]))
    if call.transform is not None:
        result = call.transform(result)
    _store(item, call.into, result)


def _join(ctx: ScanContext, spec: ResourceSpec, join: Join, item: Item) -> None:
    region = item.get(REGION) or ctx.region
    client = join.source.client or spec.client_name
    # the parameters are part of the key: the tagging API's listing of load balancers and
    # that of target groups are two indexes (one key made a unit with both lose the
    # target groups' tags)
    params = json.dumps(join.source.params, sort_keys=True, default=str)
    index_key = (
        f"join:{client}:{region}:{join.source.operation}:{params}:{join.source.items}:{join.on}"
    )

    def index() -> dict[Any, Any]:
        expression = jmespath.compile(join.source.items)
        pages = ctx.pages(
            client, join.source.operation, join.source.params, region, join.source.paginated
        )
        return {
            _value(join.on, entry): entry
            for page in pages
            for entry in expression.search(page) or []
        }

    entry = ctx.remember(index_key, index).get(_value(join.key, item))
    if entry is None:
        if join.required:
            raise _Gone
        _store(item, join.into, None)
        return
    _store(item, join.into, jmespath.search(join.value, entry))


def _tags(ctx: ScanContext, spec: ResourceSpec, item: Item) -> None:
    tags = spec.tags
    if tags is None or (tags.when is not None and not tags.when(item, ctx)):
        return
    if tags.call is not None:
        _detail(ctx, spec, tags.call, item)
        if tags.call.into and tags.call.into not in item:
            return  # skipped or unreadable: tags are not compared
    if tags.join is not None:
        _join(ctx, spec, tags.join, item)
    tagged = all_tags(jmespath.search(tags.path, item), tags.key, tags.value)
    item[TAGS] = without_aws_tags(tagged)
    owners = owners_from_tags(tagged)
    if owners:
        item[OWNERS] = owners


def _store(item: Item, into: str | None, result: Any) -> None:
    if into is not None:
        item[into] = result
    elif isinstance(result, dict):
        for key, value in result.items():
            item.setdefault(key, value)


def _without_metadata(page: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in page.items() if k != "ResponseMetadata"}


def _service_gone(client: str) -> frozenset[str]:
    declared = service(client)
    return declared.gone if declared else frozenset()


def _matches(code: str, patterns: frozenset[str]) -> bool:
    return bool(code) and any(fnmatch.fnmatchcase(code, p) for p in patterns)
