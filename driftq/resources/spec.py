"""`ResourceSpec`: one Terraform type, declared rather than coded.

A spec says where its live resources come from and how one API item becomes Terraform
attributes:

- ``list_call``: the listing (operation, JMESPath to its items, parameters);
- ``calls``: what each item needs besides, in order: a ``Detail`` is one call per item
  (parameters taken from the item), a ``Join`` one batched listing per unit looked up by
  key (IAM's GetAccountAuthorizationDetails, the Resource Groups Tagging API);
- ``tags``: where the item's tags are, or the call or join that reads them;
- ``expand``: one listed item that holds several resources (a role's attachments);
- ``normalize``: the item with Terraform's attribute names.

Quirks escalate: a spec field first, then a named hook (``Detail.when``, ``expand``, a
normalizer reading ``ctx``), then a custom ``enumerate``; hooks name the AWS operations they
call in ``operations`` (the read-only guard and the IAM policy admit only declared ones).
Operation names are AWS's (`DescribeInstances`): the same in botocore's model, CloudTrail
and IAM. The generic enumerator in ``enumerate.py`` drives every spec.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from driftq.resources.context import ScanContext

Attrs = dict[str, Any]
Item = dict[str, Any]
Normalizer = Callable[[Item, "ScanContext"], Attrs | None]
Enumerator = Callable[["ScanContext"], Iterable[Item]]
Key = str | Callable[[Item], Any]  # a JMESPath expression, or a function of the item


def only_in_state(attrs: Attrs) -> bool:
    """``is_aws_default`` of a type AWS never reports as a resource of its own (a queue's
    policy, a VPC's main route table, an exclusive policy attachment): compared when a
    state holds it, otherwise silent."""
    return True


@dataclass(frozen=True, kw_only=True)
class ListCall:
    """A read call whose pages hold the items; ``items`` is a JMESPath expression.

    Answers are shared within a unit: specs listing the same call (a security group and
    its rules, the four IAM specs on GetAccountAuthorizationDetails) send it once."""

    operation: str
    items: str
    params: Mapping[str, Any] = field(default_factory=dict)
    paginated: bool = True
    client: str | None = None  # default: the spec's
    # a global listing asked once per scanned region with the region in this parameter
    # (S3's ListBuckets `BucketRegion`): each item then belongs to that region
    per_region: str | None = None


@dataclass(frozen=True, kw_only=True)
class Detail:
    """One call per item; its answer (``result``, a JMESPath) goes to ``item[into]``, or is
    merged into the item when ``into`` is None. A resource deleted between the listing and
    this call (the service's ``gone`` codes, plus ``gone`` here) is dropped."""

    operation: str
    key: Mapping[str, Key]  # API parameter -> its value from the item
    params: Mapping[str, Any] = field(default_factory=dict)  # constant parameters
    result: str = "@"
    into: str | None = None
    paginated: bool = False  # every page's ``result`` list, concatenated
    client: str | None = None
    gone: frozenset[str] = frozenset()
    # error codes meaning "not set" (S3's NoSuchBucketPolicy): item[into] is None
    absent: frozenset[str] = frozenset()
    # error codes meaning "we may not read this" (a KMS key policy denying us): item[into]
    # stays unset and the attributes it feeds are not compared, instead of failing the unit
    unreadable: frozenset[str] = frozenset()
    # a hook: call only for items that need it (e.g. not for AWS-managed keys)
    when: Callable[[Item, ScanContext], bool] | None = None
    transform: Callable[[Any], Any] | None = None


@dataclass(frozen=True, kw_only=True)
class Join:
    """A batched detail: one listing per unit (and region), each entry looked up by key.
    ``value`` (JMESPath into the entry) goes to ``item[into]``, or the entry is merged into
    the item (the item's own fields win) when ``into`` is None."""

    source: ListCall
    on: Key  # an entry's key
    key: Key  # the item's key
    into: str | None = None
    value: str = "@"
    # an item the batch does not know was deleted between the two calls: dropped. False
    # for sources that leave some items out on purpose (the tagging API: untagged ones)
    required: bool = True


@dataclass(frozen=True, kw_only=True)
class Tags:
    """Where an item's tags are (``path``, JMESPath, after the calls): a list of
    {key, value} pairs or a map; nothing there means no tags. With ``call`` (one per item)
    or ``join`` (batched) they are read into ``path`` first; a ``call`` that was skipped
    (its ``when``) or unreadable leaves the tags uncompared."""

    path: str = "Tags"
    key: str = "Key"
    value: str = "Value"
    call: Detail | None = None
    join: Join | None = None
    # a hook: items whose tags are not to be compared (e.g. a resource we may not describe)
    when: Callable[[Item, ScanContext], bool] | None = None


def tagging_api(
    resource_type: str,
    key: Key,
    on: Key = "ResourceARN",
    when: Callable[[Item, ScanContext], bool] | None = None,
) -> Tags:
    """Tags from the Resource Groups Tagging API: one GetResources listing per unit and
    region instead of a tag call per resource. Resources never tagged are not listed.
    ``key``: the item's ARN (or what ``on`` makes of an entry's `ResourceARN`)."""
    return Tags(
        path="ResourceTags",
        join=Join(
            source=ListCall(
                operation="GetResources",
                items="ResourceTagMappingList[]",
                params={"ResourceTypeFilters": [resource_type]},
                client="resourcegroupstaggingapi",
            ),
            on=on,
            key=key,
            into="ResourceTags",
            value="Tags",
            required=False,
        ),
        when=when,
    )


def _id_of(attrs: Attrs) -> str:
    return str(attrs.get("id") or "")


@dataclass(frozen=True, kw_only=True)
class ResourceSpec:
    type: str
    service: str
    normalize: Normalizer
    # every attribute of the provider's schema is either compared or left out with a reason
    compared: tuple[str, ...]
    left_out: Mapping[str, str] = field(default_factory=dict)
    import_id_format: str
    list_call: ListCall | None = None
    calls: tuple[Detail | Join, ...] = ()
    tags: Tags | None = None
    expand: Callable[[Item], Iterable[Item]] | None = None
    enumerate: Enumerator | None = None
    # `client:Operation` called by hooks (``enumerate``, ``when``, a normalizer), which the
    # declarative fields cannot show
    operations: tuple[str, ...] = ()
    client: str | None = None
    is_global: bool = False
    # identity on each side; both default to the Terraform `id`
    identity: Callable[[Attrs], str] = _id_of
    state_identity: Callable[[Attrs], str] | None = None
    import_id: Callable[[Attrs], str] | None = None
    # attributes holding JSON documents (IAM policies): compared after canonicalization
    json_attributes: frozenset[str] = frozenset()
    # per-attribute canonical forms applied to BOTH sides before comparing (before JSON
    # canonicalization): e.g. the policy AWS writes when none is set becomes None
    value_forms: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)
    # attributes compared only when the state holds a value for them (after
    # ``value_forms``): settings the provider manages exclusively only when configured
    # (a role's `inline_policy`, a provider 3.x bucket's inline `versioning`); when the
    # state's value is empty, what AWS has there is the separate resource's business
    # (reported unmanaged as that type), not drift of this one
    compared_when_set: frozenset[str] = frozenset()
    # list attributes where a live entry the state's list does not name is not drift of
    # this resource: it is reported once as an unmanaged child (a role's
    # `managed_policy_arns` and aws_iam_role_policy_attachment), or the resource is not
    # exclusive (aws_iam_user_group_membership). Maps the attribute to an entry's key
    extras_elsewhere: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)
    # attributes an older provider recorded under another name (3.x/4.x `name` is 5.x's
    # `db_name`): read from the state under that name when the current one is absent
    older_names: Mapping[str, str] = field(default_factory=dict)
    # attributes equal when this says so, (state value, live value) -> bool, after
    # ``value_forms``: a version the state pins less precisely than AWS answers (`15`, `15.4`)
    equal_when: Mapping[str, Callable[[Any, Any], bool]] = field(default_factory=dict)
    # attributes whose two sides are shaped together, (state value, live value) -> both,
    # after ``value_forms``: the live value reduced to the members the state's provider
    # version records or sets (an instance's `root_block_device.tags`, a launch template
    # `version` of "$Default")
    aligned: Mapping[str, Callable[[Any, Any], tuple[Any, Any]]] = field(default_factory=dict)
    # attributes whose list order matters (otherwise lists compare as multisets)
    ordered_attributes: frozenset[str] = frozenset()
    # resources AWS creates by itself: silent unless they are in a state
    is_aws_default: Callable[[Attrs], bool] | None = None
    # the type this one is an AWS-made instance of, adopted in a state (an
    # aws_default_route_table is a VPC's main aws_route_table): the passes take it for that
    # type, and it parents that type's children (a main table's routes)
    adopts: str | None = None
    # the type whose resource owns this one (a bucket's settings): see passes.children
    parent: str | None = None
    parent_identity: Callable[[Attrs], str] | None = None
    # types whose resources this one owns exclusively when a state holds it: maps each to
    # the attribute naming this resource's identity (an aws_iam_policy_attachment owns every
    # role/user/group attachment of its policy ARN): those are compared here, never reported
    # unmanaged (passes/children.py)
    exclusive_over: Mapping[str, str] = field(default_factory=dict)
    # the state attribute of the parent that carries this setting inline (provider 3.x)
    inline_in_parent: str | None = None
    # (live child attributes, the parent's inline value) -> whether that value covers this
    # child; without it any non-empty inline value covers every child of the parent
    inline_covers: Callable[[Attrs, Any], bool] | None = None
    # False where moto cannot emulate the type: its normalizer is tested on recorded AWS
    # answers instead (shown in the README's coverage table)
    emulated: bool = True
    # what moto answers unlike AWS for an emulated type: tested on recorded answers instead
    # (shown in the README's coverage table)
    not_emulated: str = ""
    doc: str = ""

    @property
    def client_name(self) -> str:
        return self.client or self.service

    def identity_of_state(self, attrs: Attrs) -> str:
        return (self.state_identity or self.identity)(attrs)

    def import_id_of(self, attrs: Attrs) -> str:
        return (self.import_id or self.identity)(attrs)

    @property
    def operations_called(self) -> frozenset[tuple[str, str]]:
        """Every (boto3 client, AWS operation) this spec may call."""
        out: set[tuple[str, str]] = set()
        if self.list_call is not None:
            out.add((self.list_call.client or self.client_name, self.list_call.operation))
        steps = [*self.calls]
        if self.tags is not None:
            steps += [s for s in (self.tags.call, self.tags.join) if s is not None]
        for step in steps:
            if isinstance(step, Join):
                out.add((step.source.client or self.client_name, step.source.operation))
            else:
                out.add((step.client or self.client_name, step.operation))
        for name in self.operations:
            client, _, operation = name.partition(":")
            out.add((client, operation))
        return frozenset(out)

    def __post_init__(self) -> None:
        if (self.list_call is None) == (self.enumerate is None):
            raise ValueError(f"{self.type}: give exactly one of list_call or enumerate")
        if not self.type.startswith("aws_"):
            raise ValueError(f"{self.type}: Terraform AWS types start with aws_")
        if not self.compared_when_set <= set(self.compared):
            raise ValueError(f"{self.type}: compared_when_set names attributes not compared")
        unknown = (set(self.older_names) | set(self.equal_when) | set(self.aligned)) - set(
            self.compared
        )
        if unknown:
            raise ValueError(f"{self.type}: {sorted(unknown)} are not compared")
        both = set(self.compared) & set(self.left_out)
        if both:
            raise ValueError(f"{self.type}: {sorted(both)} both compared and left out")
        for name in self.operations:
            if ":" not in name:
                raise ValueError(f"{self.type}: operation {name!r} is not client:Operation")
