"""Auto Scaling: calls name the group (tag calls name it as each tag's resourceId)."""

from driftq.events.mapping import on

EVENTS = {
    "aws_autoscaling_group": on("CreateAutoScalingGroup UpdateAutoScalingGroup DeleteAutoScalingGroup SetDesiredCapacity SuspendProcesses ResumeProcesses AttachLoadBalancerTargetGroups DetachLoadBalancerTargetGroups AttachLoadBalancers DetachLoadBalancers EnableMetricsCollection DisableMetricsCollection PutLifecycleHook DeleteLifecycleHook", "requestParameters.autoScalingGroupName"),
    "aws_launch_configuration": on("CreateLaunchConfiguration DeleteLaunchConfiguration", "requestParameters.launchConfigurationName"),
}  # fmt: skip
