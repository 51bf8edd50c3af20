"""EC2: CreateTags/DeleteTags name any EC2 resource, so each type keeps its own id prefix."""

from driftq.events.mapping import on

_TAGS = "CreateTags DeleteTags"
_TAGGED = "requestParameters.resourcesSet.items[].resourceId"
_SG_EVENTS = (
    "CreateSecurityGroup DeleteSecurityGroup AuthorizeSecurityGroupIngress "
    "AuthorizeSecurityGroupEgress RevokeSecurityGroupIngress RevokeSecurityGroupEgress "
    "ModifySecurityGroupRules UpdateSecurityGroupRuleDescriptionsIngress "
    "UpdateSecurityGroupRuleDescriptionsEgress"
)
_SG_IDS = (
    "requestParameters.groupId",
    "responseElements.groupId",
    "requestParameters.ModifySecurityGroupRulesRequest.GroupId",
)

EVENTS = {
    "aws_instance": on(f"RunInstances TerminateInstances StartInstances StopInstances ModifyInstanceAttribute ModifyInstanceMetadataOptions AssociateIamInstanceProfile {_TAGS}", "requestParameters.instanceId", "requestParameters.instancesSet.items[].instanceId", "responseElements.instancesSet.items[].instanceId", _TAGGED, prefix="i-"),
    "aws_vpc": on(f"CreateVpc DeleteVpc ModifyVpcAttribute AssociateVpcCidrBlock DisassociateVpcCidrBlock {_TAGS}", "requestParameters.vpcId", "responseElements.vpc.vpcId", _TAGGED, prefix="vpc-"),
    "aws_subnet": on(f"CreateSubnet DeleteSubnet ModifySubnetAttribute {_TAGS}", "requestParameters.subnetId", "responseElements.subnet.subnetId", _TAGGED, prefix="subnet-"),
    "aws_security_group": on(f"{_SG_EVENTS} {_TAGS}", *_SG_IDS, _TAGGED, prefix="sg-"),
    "aws_security_group_rule": on(_SG_EVENTS, *_SG_IDS, prefix="sg-"),
}  # fmt: skip
