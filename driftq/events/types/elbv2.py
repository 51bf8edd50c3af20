"""ELBv2: calls name load balancers and target groups by ARN (tag calls a list of ARNs of
either type: an ARN of the other type matches nothing)."""

from driftq.events.mapping import on

SOURCE = "elasticloadbalancing.amazonaws.com"
_TAGGED = "requestParameters.resourceArns"

EVENTS = {
    "aws_lb": on("CreateLoadBalancer DeleteLoadBalancer ModifyLoadBalancerAttributes SetSecurityGroups SetSubnets SetIpAddressType AddTags RemoveTags", "requestParameters.loadBalancerArn", "responseElements.loadBalancers[0].loadBalancerArn", _TAGGED),
    "aws_lb_target_group": on("CreateTargetGroup DeleteTargetGroup ModifyTargetGroup ModifyTargetGroupAttributes AddTags RemoveTags", "requestParameters.targetGroupArn", "responseElements.targetGroups[0].targetGroupArn", _TAGGED),
}  # fmt: skip
