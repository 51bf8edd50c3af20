"""ECR repository policy case: a pull policy as a provider 3.x heredoc wrote it."""

from __future__ import annotations

import json
from typing import Any

from tests.resources.harness import Built, Res, TypeCase
from tests.support.estate import unique

PULL = {
    "Version": "2008-10-17",
    "Statement": [
        {
            "Sid": "pull",
            "Effect": "Allow",
            "Principal": "*",
            "Action": ["ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
        }
    ],
}
# the fixture's shape (tfstate-driftctl): indented JSON, the actions in another order
PULL_IN_STATE = """{
  "Version" : "2008-10-17",
  "Statement" : [ {
    "Sid" : "pull",
    "Effect" : "Allow",
    "Principal" : "*",
    "Action" : [ "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer" ]
  } ]
}"""


def _repository_policy(account: Any) -> Built:
    ecr = account.client("ecr")
    name = unique("app")
    repo = ecr.create_repository(repositoryName=name)["repository"]
    ecr.set_repository_policy(repositoryName=name, policyText=json.dumps(PULL))
    repo_state = {
        "id": name,
        "name": name,
        "arn": repo["repositoryArn"],
        "registry_id": repo["registryId"],
        "repository_url": repo["repositoryUri"],
        "image_tag_mutability": "MUTABLE",
        "image_scanning_configuration": [{"scan_on_push": False}],
        "encryption_configuration": [{"encryption_type": "AES256", "kms_key": ""}],
        "image_tag_mutability_exclusion_filter": [],
        "force_delete": None,
        "timeouts": None,
        "tags": {},
        "tags_all": {},
    }
    state = {
        "id": name,
        "repository": name,
        "registry_id": repo["registryId"],
        "policy": PULL_IN_STATE,
    }
    return Built(
        [
            Res("aws_ecr_repository_policy", "p", state),
            Res("aws_ecr_repository", "r", repo_state),
        ],
        import_id=name,
    )


CASES = [TypeCase(type="aws_ecr_repository_policy", build=_repository_policy)]
