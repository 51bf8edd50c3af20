"""ECR repository policies (`aws_ecr_repository_policy`), keyed and imported by repository.

The repository listing (DescribeRepositories, shared with `aws_ecr_repository`) has no
policy: one GetRepositoryPolicy per repository, sent only for repositories a state holds
(as `aws_ecr_repository` or as the `repository` of an `aws_ecr_repository_policy`). A
policy on a repository in no state is covered by that repository's own unmanaged finding (a
child of its repository), so asking for it would cost a call and report nothing. Without
states (the demo), every repository is read. A repository without a policy has no
`aws_ecr_repository_policy`. `aws_ecr_repository` has no inline copy of the policy.
"""

from __future__ import annotations

from typing import Any

from driftq.resources.attributes import COMPUTED, IDENTITY, because, common
from driftq.resources.context import ScanContext
from driftq.resources.spec import Attrs, Detail, ListCall, ResourceSpec

_POLICY = "_policy"


def _repositories_in_state(ctx: ScanContext) -> set[str]:
    def compute() -> set[str]:
        names = {
            str(a.get("name") or a.get("id") or "")
            for a in ctx.state_attributes("aws_ecr_repository")
        }
        names |= {
            str(a.get("repository") or "")
            for a in ctx.state_attributes("aws_ecr_repository_policy")
        }
        return names - {""}

    return ctx.remember("ecr:policy-repositories", compute)


def _read_policy(item: dict[str, Any], ctx: ScanContext) -> bool:
    return ctx.state is None or item.get("repositoryName") in _repositories_in_state(ctx)


def _repository_policy(item: dict[str, Any], ctx: ScanContext) -> Attrs | None:
    if not item.get(_POLICY):
        return None  # no policy, or a repository no state holds (not read)
    return {
        "id": item["repositoryName"],
        "repository": item["repositoryName"],
        "registry_id": item.get("registryId"),
        "policy": item[_POLICY],
    }


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_ecr_repository_policy",
        service="ecr",
        list_call=ListCall(operation="DescribeRepositories", items="repositories[]"),
        calls=(
            Detail(
                operation="GetRepositoryPolicy",
                key={"repositoryName": "repositoryName"},
                result="policyText",
                into=_POLICY,
                gone=frozenset({"RepositoryNotFoundException"}),
                absent=frozenset({"RepositoryPolicyNotFoundException"}),
                when=_read_policy,
            ),
        ),
        normalize=_repository_policy,
        compared=("policy",),
        left_out=common("id", "region")
        | because(IDENTITY, "repository")
        | because(COMPUTED, "registry_id"),
        json_attributes=frozenset({"policy"}),
        identity=lambda attrs: str(attrs.get("repository") or attrs.get("id") or ""),
        parent="aws_ecr_repository",
        parent_identity=lambda attrs: str(attrs.get("repository") or ""),
        import_id_format="repository name, e.g. my-app",
        doc="one GetRepositoryPolicy per repository in a state",
    ),
]
