"""driftq: Terraform drift detection across many AWS accounts."""

__version__ = "0.1.0"
