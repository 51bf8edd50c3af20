"""Terraform state: where it lives (sources), what it says (parse), what it holds (index)."""

from driftq.state.index import StateIndex
from driftq.state.parse import parse_state
from driftq.state.sources import StateDocument, read_states

__all__ = ["StateDocument", "StateIndex", "parse_state", "read_states"]
