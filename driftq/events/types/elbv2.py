"""ELBv2: calls name load balancers, target groups and listeners by ARN (tag calls a list of
ARNs of any type: an ARN of another type matches nothing)."""

from driftq.events.mapping import on

SOURCE = "elasticloadbalancing.amazonaws.com"
_TAGGED = "requestParameters.resourceArns"

EVENTS = {
    "aws_lb": on("CreateLoadBalancer DeleteLoadBalancer ModifyLoadBalancerAttributes ModifyCapacityReservation SetSecurityGroups SetSubnets SetIpAddressType AddTags RemoveTags", "requestParameters.loadBalancerArn", "responseElements.loadBalancers[0].loadBalancerArn", _TAGGED),
    "aws_lb_target_group": on("CreateTargetGroup DeleteTargetGroup ModifyTargetGroup ModifyTargetGroupAttributes AddTags RemoveTags", "requestParameters.targetGroupArn", "responseElements.targetGroups[0].targetGroupArn", _TAGGED),
    "aws_lb_listener": on("CreateListener ModifyListener DeleteListener AddTags RemoveTags", "requestParameters.listenerArn", "responseElements.listeners[0].listenerArn", _TAGGED),
}  # fmt: skip
