"""The only place that builds boto3 clients (see ``access.AwsAccess``)."""

from driftq.aws.access import AwsAccess, Identity, session_name
from driftq.aws.errors import translate_client_error

__all__ = ["AwsAccess", "Identity", "session_name", "translate_client_error"]
