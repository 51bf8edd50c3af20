"""IAM: global; every call is recorded in us-east-1."""

from driftq.events.mapping import on

_ROLE = "requestParameters.roleName"

EVENTS = {
    "aws_iam_role": on("CreateRole DeleteRole UpdateRole UpdateRoleDescription UpdateAssumeRolePolicy PutRolePermissionsBoundary DeleteRolePermissionsBoundary TagRole UntagRole AttachRolePolicy DetachRolePolicy PutRolePolicy DeleteRolePolicy", _ROLE, "responseElements.role.roleName"),
    "aws_iam_role_policy_attachment": on("AttachRolePolicy DetachRolePolicy", _ROLE),
    "aws_iam_policy": on("CreatePolicy DeletePolicy CreatePolicyVersion DeletePolicyVersion SetDefaultPolicyVersion TagPolicy UntagPolicy", "requestParameters.policyArn", "responseElements.policy.arn"),
    "aws_iam_user": on("CreateUser DeleteUser UpdateUser TagUser UntagUser PutUserPermissionsBoundary DeleteUserPermissionsBoundary", "requestParameters.userName", "responseElements.user.userName"),
    "aws_iam_role_policy": on("PutRolePolicy DeleteRolePolicy", _ROLE),
    "aws_iam_user_policy": on("PutUserPolicy DeleteUserPolicy", "requestParameters.userName"),
    "aws_iam_access_key": on("CreateAccessKey DeleteAccessKey UpdateAccessKey", "requestParameters.accessKeyId", "responseElements.accessKey.accessKeyId", "requestParameters.userName"),
    "aws_iam_group_policy": on("PutGroupPolicy DeleteGroupPolicy", "requestParameters.groupName"),
    "aws_iam_group_policy_attachment": on("AttachGroupPolicy DetachGroupPolicy", "requestParameters.groupName"),
    "aws_iam_user_policy_attachment": on("AttachUserPolicy DetachUserPolicy", "requestParameters.userName"),
    "aws_iam_policy_attachment": on("AttachRolePolicy DetachRolePolicy AttachUserPolicy DetachUserPolicy AttachGroupPolicy DetachGroupPolicy", "requestParameters.policyArn"),
    "aws_iam_group": on("CreateGroup DeleteGroup UpdateGroup", "requestParameters.groupName"),
    "aws_iam_instance_profile": on("CreateInstanceProfile DeleteInstanceProfile AddRoleToInstanceProfile RemoveRoleFromInstanceProfile TagInstanceProfile UntagInstanceProfile", "requestParameters.instanceProfileName"),
    "aws_iam_user_group_membership": on("AddUserToGroup RemoveUserFromGroup", "requestParameters.userName"),
    "aws_iam_openid_connect_provider": on("CreateOpenIDConnectProvider DeleteOpenIDConnectProvider UpdateOpenIDConnectProviderThumbprint AddClientIDToOpenIDConnectProvider RemoveClientIDFromOpenIDConnectProvider TagOpenIDConnectProvider UntagOpenIDConnectProvider", "requestParameters.openIDConnectProviderArn", "responseElements.openIDConnectProviderArn"),
}  # fmt: skip
