"""Property: any config, state or set of report files gives a result or our own error, never
another exception. A small run here; benchmarks/fuzz_inputs.py runs 10,000 examples each."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from tests.support import fuzz

SMALL = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SMALL
@given(fuzz.yaml_texts())
def test_config_loader(text: str) -> None:
    assert fuzz.check_config(text) in ("parsed", "refused")


@SMALL
@given(fuzz.json_texts(fuzz.STATE))
def test_state_parser(text: str | bytes) -> None:
    assert fuzz.check_state(text) in ("parsed", "refused")


@SMALL
@given(fuzz.report_sets())
def test_report_consolidation(texts: list[str | bytes]) -> None:
    assert fuzz.check_reports(texts) in ("parsed", "refused")


def test_the_unmutated_documents_parse() -> None:
    """The generators start from valid documents: the properties are not all refusals."""
    import json

    import yaml

    assert fuzz.check_config(yaml.safe_dump(fuzz.CONFIG)) == "parsed"
    assert fuzz.check_state(json.dumps(fuzz.STATE)) == "parsed"
    assert fuzz.check_reports([json.dumps(fuzz.REPORT)]) == "parsed"
