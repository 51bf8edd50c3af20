"""Auto Scaling: calls name the group (tag calls name it as each tag's resourceId)."""

from driftq.events.mapping import on

EVENTS = {
    "aws_autoscaling_group": on("CreateAutoScalingGroup UpdateAutoScalingGroup DeleteAutoScalingGroup SetDesiredCapacity CreateOrUpdateTags DeleteTags SuspendProcesses ResumeProcesses AttachLoadBalancerTargetGroups DetachLoadBalancerTargetGroups AttachLoadBalancers DetachLoadBalancers EnableMetricsCollection DisableMetricsCollection PutLifecycleHook DeleteLifecycleHook PutWarmPool DeleteWarmPool AttachTrafficSources DetachTrafficSources", "requestParameters.autoScalingGroupName", "requestParameters.tags[].resourceId"),
    "aws_launch_configuration": on("CreateLaunchConfiguration DeleteLaunchConfiguration", "requestParameters.launchConfigurationName"),
}  # fmt: skip
