"""separate_settings: a setting managed by its own resource is compared there, not on the parent.

Some settings are both an attribute of the parent and a resource of their own:
`aws_sqs_queue.policy` and `aws_sqs_queue_policy`, `aws_sns_topic.policy` and
`aws_sns_topic_policy`, a 4.x bucket's `versioning` and `aws_s3_bucket_versioning`. The
provider does not re-read the parent after applying the separate resource, so the parent's
copy in the state is stale until the next refresh (an SNS topic keeps AWS's default policy,
a queue keeps no policy at all). When a state holds the separate resource, the parent's copy
(the child spec's ``inline_in_parent``) is left out of the parent's comparison; the separate
resource compares the setting with AWS.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace

from driftq.model import LiveResource, StateResource
from driftq.resources.spec import ResourceSpec


def drop_stale_parent_copies(
    state: list[StateResource], live: list[LiveResource], specs: Mapping[str, ResourceSpec]
) -> tuple[list[StateResource], list[LiveResource]]:
    managed_apart: dict[tuple[str, str], set[str]] = defaultdict(set)
    for resource in state:
        spec = specs[resource.type]
        if spec.parent and spec.inline_in_parent:
            parent_id = (spec.parent_identity or spec.identity)(resource.attributes)
            managed_apart[(spec.parent, parent_id)].add(spec.inline_in_parent)
    if not managed_apart:
        return state, live
    out: list[StateResource] = []
    for resource in state:
        key = (resource.type, specs[resource.type].identity_of_state(resource.attributes))
        stale = managed_apart.get(key)
        if stale:
            # a copy: state resources are shared by every unit of the account
            attributes = {k: v for k, v in resource.attributes.items() if k not in stale}
            resource = replace(resource, attributes=attributes)
        out.append(resource)
    return out, live
