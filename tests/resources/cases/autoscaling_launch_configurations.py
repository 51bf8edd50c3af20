"""Launch configuration case: an AMI's root volume resized, one extra EBS volume and one
instance-store volume, user data, a spot price and IMDSv2 required."""

from __future__ import annotations

import hashlib
from typing import Any

from tests.resources.harness import Built, Res, TypeCase
from tests.support.estate import unique

USER_DATA = "#!/bin/sh\necho hello\n"


def _launch_configuration(account: Any) -> Built:
    ec2 = account.client("ec2")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]
    root = image["RootDeviceName"]
    name = unique("web")
    account.client("autoscaling").create_launch_configuration(
        LaunchConfigurationName=name,
        ImageId=image["ImageId"],
        InstanceType="t3.micro",
        KeyName="deployer",
        SecurityGroups=["sg-0123456789abcdef0"],
        IamInstanceProfile="web-profile",
        UserData=USER_DATA,  # botocore sends it base64-encoded, as the provider does
        SpotPrice="0.05",
        InstanceMonitoring={"Enabled": True},
        MetadataOptions={
            "HttpTokens": "required",
            "HttpPutResponseHopLimit": 2,
            "HttpEndpoint": "enabled",
        },
        BlockDeviceMappings=[
            {"DeviceName": root, "Ebs": {"VolumeSize": 16, "VolumeType": "gp3"}},
            {"DeviceName": "/dev/sdb", "Ebs": {"VolumeSize": 20, "VolumeType": "gp3"}},
            {"DeviceName": "/dev/sdc", "VirtualName": "ephemeral0"},
        ],
    )
    state = {
        "id": name,
        "name": name,
        "name_prefix": "",
        "arn": f"arn:aws:autoscaling:us-east-1:{account.id}:launchConfiguration:x:"
        f"launchConfigurationName/{name}",
        "image_id": image["ImageId"],
        "instance_type": "t3.micro",
        "key_name": "deployer",
        "security_groups": ["sg-0123456789abcdef0"],
        "iam_instance_profile": "web-profile",
        "associate_public_ip_address": False,
        "ebs_optimized": False,
        "enable_monitoring": True,
        "placement_tenancy": None,
        "spot_price": "0.05",
        # the provider keeps the SHA-1 of the user data, not the data
        "user_data": hashlib.sha1(USER_DATA.encode()).hexdigest(),
        "user_data_base64": None,
        "metadata_options": [
            {
                "http_endpoint": "enabled",
                "http_put_response_hop_limit": 2,
                "http_tokens": "required",
            }
        ],
        "root_block_device": [
            {
                "delete_on_termination": True,
                "encrypted": False,
                "iops": 0,
                "throughput": 0,
                "volume_size": 16,
                "volume_type": "gp3",
            }
        ],
        "ebs_block_device": [
            {
                "delete_on_termination": True,
                "device_name": "/dev/sdb",
                "encrypted": False,
                "iops": 0,
                "no_device": False,
                "snapshot_id": "",
                "throughput": 0,
                "volume_size": 20,
                "volume_type": "gp3",
            }
        ],
        "ephemeral_block_device": [
            {"device_name": "/dev/sdc", "no_device": False, "virtual_name": "ephemeral0"}
        ],
        "vpc_classic_link_id": "",  # provider 3.x
        "vpc_classic_link_security_groups": None,
    }
    return Built([Res("aws_launch_configuration", "web", state)], import_id=name)


CASES = [
    TypeCase(
        type="aws_launch_configuration",
        build=_launch_configuration,
        mutations={"spot_price": "0.07", "placement_tenancy": "dedicated"},
    )
]
