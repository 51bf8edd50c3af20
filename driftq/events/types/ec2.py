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
    "aws_vpc_security_group_ingress_rule": on(_SG_EVENTS, *_SG_IDS, prefix="sg-"),
    "aws_vpc_security_group_egress_rule": on(_SG_EVENTS, *_SG_IDS, prefix="sg-"),
    "aws_default_security_group": on(f"{_SG_EVENTS} {_TAGS}", *_SG_IDS, _TAGGED, prefix="sg-"),
    "aws_default_vpc": on(f"DeleteVpc ModifyVpcAttribute AssociateVpcCidrBlock DisassociateVpcCidrBlock {_TAGS}", "requestParameters.vpcId", _TAGGED, prefix="vpc-"),
    "aws_ebs_volume": on(f"CreateVolume DeleteVolume ModifyVolume {_TAGS}", "requestParameters.volumeId", "requestParameters.ModifyVolumeRequest.VolumeId", "responseElements.volumeId", _TAGGED, prefix="vol-"),
    "aws_eip": on(f"AllocateAddress ReleaseAddress AssociateAddress DisassociateAddress {_TAGS}", "requestParameters.allocationId", "responseElements.allocationId", _TAGGED, prefix="eipalloc-"),
    "aws_internet_gateway": on(f"CreateInternetGateway DeleteInternetGateway AttachInternetGateway DetachInternetGateway {_TAGS}", "requestParameters.internetGatewayId", "responseElements.internetGateway.internetGatewayId", _TAGGED, prefix="igw-"),
    "aws_key_pair": on("CreateKeyPair ImportKeyPair DeleteKeyPair", "requestParameters.keyName", "responseElements.keyName"),
    "aws_launch_template": on(f"CreateLaunchTemplate CreateLaunchTemplateVersion ModifyLaunchTemplate DeleteLaunchTemplate DeleteLaunchTemplateVersions {_TAGS}", "requestParameters.CreateLaunchTemplateVersionRequest.LaunchTemplateId", "requestParameters.ModifyLaunchTemplateRequest.LaunchTemplateId", "requestParameters.DeleteLaunchTemplateRequest.LaunchTemplateId", "responseElements.CreateLaunchTemplateResponse.launchTemplate.launchTemplateId", _TAGGED, prefix="lt-"),
    "aws_nat_gateway": on(f"CreateNatGateway DeleteNatGateway {_TAGS}", "requestParameters.DeleteNatGatewayRequest.NatGatewayId", "responseElements.CreateNatGatewayResponse.natGateway.natGatewayId", _TAGGED, prefix="nat-"),
    "aws_network_acl": on(f"CreateNetworkAcl DeleteNetworkAcl CreateNetworkAclEntry DeleteNetworkAclEntry ReplaceNetworkAclEntry ReplaceNetworkAclAssociation {_TAGS}", "requestParameters.networkAclId", "responseElements.networkAcl.networkAclId", _TAGGED, prefix="acl-"),
    "aws_network_acl_rule": on("CreateNetworkAclEntry DeleteNetworkAclEntry ReplaceNetworkAclEntry", "requestParameters.networkAclId", prefix="acl-"),
    "aws_route_table": on(f"CreateRouteTable DeleteRouteTable CreateRoute DeleteRoute ReplaceRoute AssociateRouteTable DisassociateRouteTable ReplaceRouteTableAssociation EnableVgwRoutePropagation DisableVgwRoutePropagation {_TAGS}", "requestParameters.routeTableId", "responseElements.routeTable.routeTableId", _TAGGED, prefix="rtb-"),
    "aws_route": on("CreateRoute DeleteRoute ReplaceRoute", "requestParameters.routeTableId", prefix="rtb-"),
    # Disassociate names only the association (rtbassoc-): the type is rescanned whole
    "aws_route_table_association": on("AssociateRouteTable DisassociateRouteTable ReplaceRouteTableAssociation", "requestParameters.routeTableId", prefix="rtb-"),
    "aws_default_route_table": on(f"CreateRoute DeleteRoute ReplaceRoute EnableVgwRoutePropagation DisableVgwRoutePropagation {_TAGS}", "requestParameters.routeTableId", _TAGGED, prefix="rtb-"),
    "aws_default_network_acl": on(f"CreateNetworkAclEntry DeleteNetworkAclEntry ReplaceNetworkAclEntry ReplaceNetworkAclAssociation {_TAGS}", "requestParameters.networkAclId", _TAGGED, prefix="acl-"),
    # the first path found wins: AssociateAddress names the address (its allocation id),
    # so the association it replaced is compared too (missing), not only the new one
    "aws_eip_association": on("AssociateAddress DisassociateAddress", "requestParameters.associationId", "requestParameters.allocationId", "responseElements.associationId"),
    # one per region: the events name no resource, the region's setting is rescanned
    "aws_ebs_encryption_by_default": on("EnableEbsEncryptionByDefault DisableEbsEncryptionByDefault"),
    "aws_vpc_endpoint": on(f"CreateVpcEndpoint ModifyVpcEndpoint DeleteVpcEndpoints {_TAGS}", "requestParameters.ModifyVpcEndpointRequest.VpcEndpointId", "requestParameters.DeleteVpcEndpointsRequest.VpcEndpointId[]", "responseElements.CreateVpcEndpointResponse.vpcEndpoint.vpcEndpointId", _TAGGED, prefix="vpce-"),
}  # fmt: skip
