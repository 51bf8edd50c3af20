"""Compare one state resource with its live twin over a spec's attributes.

Values are compared by meaning: empty values (null, "", [], {}) are equal, numbers and
booleans compare by their JSON text ("30" == 30, "true" == True), lists are multisets unless
the spec says their order matters, maps are compared key by key and reported as
``attribute.key``. Tags are compared with their keys: an empty-valued tag is a tag. Tags
compare the live tags against the state's ``tags_all`` (see
passes/tags.py), and policy documents are canonicalized first (passes/policy.py).
"""

from __future__ import annotations

from typing import Any

from driftq.model import SENSITIVE, Change, LiveResource, StateResource, is_sensitive
from driftq.passes.policy import canonical_policy
from driftq.passes.tags import expected_tags
from driftq.resources.spec import ResourceSpec
from driftq.values import canonical

__all__ = ["SENSITIVE", "compare"]


def compare(spec: ResourceSpec, state: StateResource, live: LiveResource) -> list[Change]:
    changes: list[Change] = []
    for attribute in spec.compared:
        if attribute == "tags":
            expected: Any = expected_tags(state.attributes)
        elif attribute in state.attributes:
            expected = state.attributes[attribute]
        elif spec.older_names.get(attribute, "") in state.attributes:
            expected = state.attributes[spec.older_names[attribute]]
        else:
            # an attribute the state's provider version does not record: nothing to compare
            continue
        if attribute not in live.attributes:
            continue
        actual = live.attributes[attribute]
        form = spec.value_forms.get(attribute)
        if form is not None:
            expected, actual = form(expected), form(actual)
        align = spec.aligned.get(attribute)
        if align is not None:
            expected, actual = align(expected, actual)
        if attribute in spec.json_attributes:
            expected, actual = canonical_policy(expected), canonical_policy(actual)
        if attribute in spec.compared_when_set and canonical(expected) is None:
            continue
        same = spec.equal_when.get(attribute)
        if same is not None and same(expected, actual):
            continue
        entry_key = spec.extras_elsewhere.get(attribute)
        if entry_key is not None and isinstance(actual, list) and isinstance(expected, list):
            named = {entry_key(e) for e in expected or []}
            actual = [e for e in actual if entry_key(e) in named]
        if attribute == "tags":
            changes.extend(_diff_tags(expected, actual))
            continue
        changes.extend(
            _diff_value(attribute, expected, actual, attribute in spec.ordered_attributes)
        )
    return [_redact(change, state) for change in changes]


def _diff_value(path: str, expected: Any, actual: Any, ordered: bool) -> list[Change]:
    if isinstance(expected, dict) and isinstance(actual, dict):
        out: list[Change] = []
        for key in sorted(set(expected) | set(actual), key=str):
            e, a = expected.get(key), actual.get(key)
            if canonical(e) != canonical(a):
                out.append(Change(f"{path}.{key}", e, a))
        return out
    if canonical(expected, ordered) != canonical(actual, ordered):
        return [Change(path, expected, actual)]
    return []


def _diff_tags(expected: Any, actual: Any) -> list[Change]:
    """Tags key by key, where a key is a tag even with an empty value (`Key = ""`): adding
    or removing one is a change, unlike an empty value of other attributes."""
    expected = expected if isinstance(expected, dict) else {}
    actual = actual if isinstance(actual, dict) else {}
    out: list[Change] = []
    for key in sorted(set(expected) | set(actual), key=str):
        e, a = expected.get(key), actual.get(key)
        if (key in expected) != (key in actual) or canonical(e) != canonical(a):
            out.append(Change(f"tags.{key}", e, a))
    return out


def _redact(change: Change, state: StateResource) -> Change:
    # the live value is redacted too: it is the same secret, or its new value
    if is_sensitive(change.attribute, state.sensitive):
        return Change(change.attribute, SENSITIVE, SENSITIVE)
    return change
