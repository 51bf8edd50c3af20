"""Per-service tables of the CloudTrail events that change each Terraform type (see
driftq/events/mapping.py). A new service is a new module here; it is found by existing."""
