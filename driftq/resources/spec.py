"""`ResourceSpec`: one Terraform type, declared rather than coded.

A spec names where the live resources come from (a list call and the path to its items, or a
custom enumerator for the few types that need several calls), how one API item maps to
Terraform attribute names (``normalize``), how a resource is identified on both sides, and
which attributes are compared. The generic enumerator in ``enumerate.py`` drives every spec.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from driftq.resources.context import ScanContext

Attrs = dict[str, Any]
Normalizer = Callable[[dict[str, Any], "ScanContext"], Attrs | None]
Enumerator = Callable[["ScanContext"], Iterable[dict[str, Any]]]


@dataclass(frozen=True, kw_only=True)
class ListCall:
    """A read call whose result holds the items; ``items`` is a JMESPath expression."""

    operation: str
    items: str
    params: Mapping[str, Any] = field(default_factory=dict)
    paginated: bool = True


def _id_of(attrs: Attrs) -> str:
    return str(attrs.get("id") or "")


@dataclass(frozen=True, kw_only=True)
class ResourceSpec:
    type: str
    service: str
    normalize: Normalizer
    compared: tuple[str, ...]
    import_id_format: str
    list_call: ListCall | None = None
    enumerate: Enumerator | None = None
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
    # attributes whose list order matters (otherwise lists compare as multisets)
    ordered_attributes: frozenset[str] = frozenset()
    # resources AWS creates by itself: silent unless they are in a state
    is_aws_default: Callable[[Attrs], bool] | None = None
    # the type whose resource owns this one (a bucket's settings): see passes.children
    parent: str | None = None
    parent_identity: Callable[[Attrs], str] | None = None
    # the state attribute of the parent that carries this setting inline (provider 3.x)
    inline_in_parent: str | None = None
    # (live child attributes, the parent's inline value) -> whether that value covers this
    # child; without it any non-empty inline value covers every child of the parent
    inline_covers: Callable[[Attrs, Any], bool] | None = None
    # tags on the live side come from `tags`; the state side prefers `tags_all`
    has_tags: bool = True
    doc: str = ""

    @property
    def client_name(self) -> str:
        return self.client or self.service

    def identity_of_state(self, attrs: Attrs) -> str:
        return (self.state_identity or self.identity)(attrs)

    def import_id_of(self, attrs: Attrs) -> str:
        return (self.import_id or self.identity)(attrs)

    def __post_init__(self) -> None:
        if (self.list_call is None) == (self.enumerate is None):
            raise ValueError(f"{self.type}: give exactly one of list_call or enumerate")
        if not self.type.startswith("aws_"):
            raise ValueError(f"{self.type}: Terraform AWS types start with aws_")
