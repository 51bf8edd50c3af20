"""The registry lint for events: every registered Terraform type is reachable from at least
one CloudTrail event name, or listed as not event-driven with a reason. Generic: a type added
to driftq/resources later fails here until its line exists."""

from __future__ import annotations

import jmespath

from driftq.events.mapping import is_read_only, tables, unreached
from driftq.resources import REGISTRY


def test_every_registered_type_is_event_driven_or_says_why_not() -> None:
    t = tables()
    missing = [
        rtype for rtype in REGISTRY if rtype not in t.by_type and rtype not in t.not_event_driven
    ]
    hints = [
        f'  {rtype}: add `"{rtype}": on("CreateX DeleteX UpdateX", "requestParameters.xId"),` '
        f"to EVENTS in driftq/events/types/{_module(REGISTRY[rtype].service)}.py, or "
        f'`"{rtype}": "why no event changes it",` to its NOT_EVENT_DRIVEN'
        for rtype in missing
    ]
    assert not missing, "types no CloudTrail event reaches:\n" + "\n".join(hints)


def _module(service: str) -> str:
    return "lambda_" if service == "lambda" else service  # `lambda` is a Python keyword


def test_reasons_are_sentences_and_services_match_the_registry() -> None:
    t = tables()
    for rtype, reason in t.not_event_driven.items():
        assert len(reason.split()) >= 3, f"{rtype}: say why it is not event-driven"
    for rtype, entry in t.by_type.items():
        if rtype in REGISTRY:
            assert entry.service == REGISTRY[rtype].service, f"{rtype}: in the wrong module"


def test_event_names_are_writes_and_id_paths_compile() -> None:
    for rtype, entry in tables().by_type.items():
        assert entry.on.names, f"{rtype}: no event name"
        for name in entry.on.names:
            assert name[:1].isupper() and name.isalnum(), f"{rtype}: {name!r} is no API name"
            assert not is_read_only(name), f"{rtype}: {name} is a read; reads change nothing"
        for expression in entry.on.ids:
            jmespath.compile(expression)
            assert expression.startswith(("requestParameters.", "responseElements.")), expression


def test_the_rule_pattern_lets_every_mapped_event_through() -> None:
    from driftq.events.mapping import rule_pattern

    pattern = rule_pattern()
    detail = pattern["detail"]
    exact = {n for n in detail["eventName"] if isinstance(n, str)}
    prefixes = [n["prefix"] for n in detail["eventName"] if isinstance(n, dict)]
    assert "UpdateFunctionConfiguration" in prefixes  # Lambda: versioned names
    for rtype, entry in tables().by_type.items():
        if rtype not in REGISTRY:
            continue
        assert entry.source in detail["eventSource"]
        assert "aws." + entry.source.split(".")[0] in pattern["source"]
        for name in entry.on.names:
            versioned = name + "20150331v2" if entry.service == "lambda" else name
            assert versioned in exact or any(versioned.startswith(p) for p in prefixes), name


def test_a_type_added_later_without_its_line_fails_the_lint() -> None:
    assert unreached([*REGISTRY, "aws_cloudwatch_log_group_added_later"]) == [
        "aws_cloudwatch_log_group_added_later"
    ]


def test_every_narrowed_type_is_registered_and_reads_its_resource_alone() -> None:
    """A narrowing line for a type the registry lost (or renamed) would silently list it
    whole: each names a registered listing spec, and narrows it for a sample id."""
    from driftq.aws.guard import allowed_operations
    from driftq.events.narrow import ENUMERATED, LISTED, NARROWING, READ_ONE, narrowed, operations

    for rtype in (*NARROWING, *LISTED, *READ_ONE):
        assert rtype in REGISTRY and REGISTRY[rtype].list_call is not None, rtype
    for rtype in ENUMERATED:  # their own reads: the spec's declared operations hold them
        assert rtype in REGISTRY and REGISTRY[rtype].list_call is None, rtype
    assert narrowed(REGISTRY["aws_route_table"], frozenset({"rtb-1"})) is not None
    assert narrowed(REGISTRY["aws_s3_bucket_versioning"], frozenset({"b"})) is not None
    assert narrowed(REGISTRY["aws_kms_key"], frozenset({"alias/x"})) is None  # matches no key
    assert operations() <= allowed_operations()  # the guard admits the single reads


def test_every_type_an_event_names_is_read_alone_or_says_why_not() -> None:
    """A type whose events name the resource is read alone by a targeted scan (its listing
    narrowed, the one item, its single-resource read, or its own reader of those ids); a
    type AWS has no such read for says why in narrow.py's LISTED_WHOLE."""
    from driftq.events.narrow import LISTED_WHOLE, narrowable

    whole = [
        rtype
        for rtype, entry in tables().by_type.items()
        if rtype in REGISTRY and entry.on.ids and not narrowable(REGISTRY[rtype])
    ]
    unexplained = [r for r in whole if r not in LISTED_WHOLE]
    assert not unexplained, (
        "types an event names but a targeted scan lists whole: add their narrowing to "
        f"driftq/events/narrow.py, or the reason to LISTED_WHOLE: {unexplained}"
    )
    for rtype, reason in LISTED_WHOLE.items():
        assert rtype in REGISTRY and len(reason.split()) >= 3, rtype
