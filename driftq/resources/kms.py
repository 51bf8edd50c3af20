"""Specs for this service's Terraform types (filled in by its own change)."""

from __future__ import annotations

from driftq.resources.spec import ResourceSpec

SPECS: list[ResourceSpec] = []
