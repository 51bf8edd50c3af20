"""Launch templates (`aws_launch_template`): the template and its default version's data.

Terraform's arguments describe the version it made the default (`default_version`); the
template's other versions are history. One DescribeLaunchTemplateVersions listing per unit
reads every template's default version.
"""

from __future__ import annotations

from typing import Any

from driftq.resources import ec2_launch_template_data as template_data
from driftq.resources.attributes import COMPUTED, TERRAFORM_ONLY, because, common
from driftq.resources.context import ScanContext
from driftq.resources.spec import Join, ListCall, ResourceSpec, Tags


def _flag(data: dict[str, Any], key: str) -> str:
    # the provider keeps `ebs_optimized` as a string: "" when the template does not say
    return "" if key not in data else str(bool(data[key])).lower()


# one-element blocks the template data holds only when configured: Terraform block ->
# (AWS key, {Terraform name: AWS name})
_BLOCKS = {
    "credit_specification": ("CreditSpecification", {"cpu_credits": "CpuCredits"}),
    "cpu_options": (
        "CpuOptions",
        {"core_count": "CoreCount", "threads_per_core": "ThreadsPerCore"},
    ),
    "enclave_options": ("EnclaveOptions", {"enabled": "Enabled"}),
    "hibernation_options": ("HibernationOptions", {"configured": "Configured"}),
    "maintenance_options": ("MaintenanceOptions", {"auto_recovery": "AutoRecovery"}),
}


def _blocks(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for block, (key, fields) in _BLOCKS.items():
        answer = data.get(key)
        out[block] = [{n: answer.get(a) for n, a in fields.items()}] if answer else []
    return out


def _project(block: str) -> Any:
    """Both sides reduced to the fields AWS answers (the provider adds others, e.g. a
    CPU option's `amd_sev_snp`, that the template data leaves out when not set)."""
    names = set(_BLOCKS[block][1])

    def form(value: Any) -> Any:
        return [
            {k: v for k, v in b.items() if k in names} for b in value or [] if isinstance(b, dict)
        ]

    return form


def _launch_template(item: dict[str, Any], ctx: ScanContext) -> dict[str, Any]:
    version = item.get("Version") or {}
    data = version.get("LaunchTemplateData") or {}
    profile = data.get("IamInstanceProfile") or {}
    monitoring = data.get("Monitoring")
    return {
        "id": item["LaunchTemplateId"],
        "name": item.get("LaunchTemplateName"),
        "default_version": item.get("DefaultVersionNumber"),
        "description": version.get("VersionDescription") or "",
        "image_id": data.get("ImageId") or "",
        "instance_type": data.get("InstanceType") or "",
        "key_name": data.get("KeyName") or "",
        "user_data": data.get("UserData") or "",
        "kernel_id": data.get("KernelId") or "",
        "ram_disk_id": data.get("RamDiskId") or "",
        "vpc_security_group_ids": list(data.get("SecurityGroupIds") or []),
        "security_group_names": list(data.get("SecurityGroups") or []),
        "ebs_optimized": _flag(data, "EbsOptimized"),
        "disable_api_termination": bool(data.get("DisableApiTermination")),
        "disable_api_stop": bool(data.get("DisableApiStop")),
        "instance_initiated_shutdown_behavior": data.get("InstanceInitiatedShutdownBehavior") or "",
        "iam_instance_profile": (
            [{"arn": profile.get("Arn") or "", "name": profile.get("Name") or ""}]
            if profile
            else []
        ),
        "monitoring": [{"enabled": bool(monitoring.get("Enabled"))}] if monitoring else [],
        **_blocks(data),
        **template_data.template_blocks(data),
    }


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_launch_template",
        service="ec2",
        list_call=ListCall(operation="DescribeLaunchTemplates", items="LaunchTemplates[]"),
        calls=(
            # one paginated listing of every template's default version (AWS's form for
            # all templates: `$Default` without a template id), not one call per template
            Join(
                source=ListCall(
                    operation="DescribeLaunchTemplateVersions",
                    items="LaunchTemplateVersions[]",
                    params={"Versions": ["$Default"]},
                ),
                on="LaunchTemplateId",
                key="LaunchTemplateId",
                into="Version",
            ),
        ),
        tags=Tags(),
        normalize=_launch_template,
        compared=(
            "name",
            "default_version",
            "description",
            "image_id",
            "instance_type",
            "key_name",
            "user_data",
            "kernel_id",
            "ram_disk_id",
            "vpc_security_group_ids",
            "security_group_names",
            "ebs_optimized",
            "disable_api_termination",
            "disable_api_stop",
            "instance_initiated_shutdown_behavior",
            "iam_instance_profile",
            "monitoring",
            *_BLOCKS,
            *template_data.BLOCKS,
            "tags",
        ),
        left_out=common("id", "region", "tags_all", "arn", "name_prefix")
        | because(COMPUTED, "latest_version")
        | because(TERRAFORM_ONLY, "update_default_version"),
        value_forms={name: _project(name) for name in _BLOCKS} | template_data.VALUE_FORMS,
        import_id_format="launch template id, e.g. lt-0abc123",
        doc="compares the default version's data",
    ),
]
