"""A function's image URI (GetFunction's `Code`) and code-signing configuration
(GetFunctionCodeSigningConfig) on recorded answers (botocore's shapes), as the two calls
made for functions a state holds leave them in the item."""

from __future__ import annotations

from typing import Any

from tests.resources.recorded import drifted

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.4.2"
SIGNING = "arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-0123456789abcdef0"


def _function(image: str | None, signing: str | None, *, asked: bool = True) -> dict[str, Any]:
    item: dict[str, Any] = {
        "FunctionName": "api",
        "FunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:api",
        "PackageType": "Image" if image else "Zip",
    }
    if asked:
        code = {"RepositoryType": "ECR", "ImageUri": image} if image else {"RepositoryType": "S3"}
        item["_Function"] = {"Configuration": {}, "Code": code}
        item["_Signing"] = {"FunctionName": "api", "CodeSigningConfigArn": signing or ""}
    return item


def test_matching_image_and_signing_are_clean() -> None:
    state = {"id": "api", "image_uri": IMAGE, "code_signing_config_arn": SIGNING}
    assert drifted("aws_lambda_function", _function(IMAGE, SIGNING), state) == []


def test_a_zip_function_without_signing_is_clean() -> None:
    state = {"id": "api", "image_uri": "", "code_signing_config_arn": ""}
    assert drifted("aws_lambda_function", _function(None, None), state) == []
    # a provider 3.x state records neither
    assert drifted("aws_lambda_function", _function(None, None), {"id": "api"}) == []


def test_another_image_is_drift() -> None:
    state = {"id": "api", "image_uri": IMAGE}
    other = IMAGE.replace("1.4.2", "1.4.3-hotfix")
    assert drifted("aws_lambda_function", _function(other, None), state) == ["image_uri"]


def test_signing_removed_or_added_is_drift() -> None:
    state = {"id": "api", "code_signing_config_arn": SIGNING}
    assert drifted("aws_lambda_function", _function(None, None), state) == [
        "code_signing_config_arn"
    ]
    unsigned = {"id": "api", "code_signing_config_arn": ""}
    assert drifted("aws_lambda_function", _function(None, SIGNING), unsigned) == [
        "code_signing_config_arn"
    ]


def test_not_asked_is_not_compared() -> None:
    state = {"id": "api", "image_uri": IMAGE, "code_signing_config_arn": SIGNING}
    assert drifted("aws_lambda_function", _function(None, None, asked=False), state) == []
