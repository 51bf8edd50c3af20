"""Hostile and careless configs: each one a ConfigError naming the problem, fast and small.

(benchmarks/hostile_inputs.py tries these and more through the installed command.)
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from driftq.config import load_config, parse_config
from driftq.durations import parse_duration
from driftq.errors import ConfigError

BASE = """version: "1.0"
defaults: {services: [sqs], parallel_workers: 2, timeout: 60s}
accounts:
  - name: main
    account_id: "123456789012"
    regions: [us-east-1]
    state_backend: {type: local, path: s.tfstate}
"""
TWIN = BASE.split("accounts:\n", 1)[1].replace("name: main", "name: other")


def bomb(levels: int) -> str:
    """``levels`` levels of nine aliases of the level below: 9**levels values when expanded."""
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


def refused(text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, source="c.yaml", env={})
    message = str(caught.value)
    assert "\n" not in message and message.startswith("c.yaml")
    return message


def test_an_alias_bomb_is_refused_before_it_is_expanded() -> None:
    text = bomb(9) + BASE  # 442 bytes of aliases: 387 million values
    started = time.process_time()
    message = refused(text)
    # counted, not expanded: a fraction of a second of CPU, whatever the machine's load
    assert time.process_time() - started < 5
    assert "expands to more than 1,000,000 values" in message
    assert message.startswith("c.yaml:7:")  # 9**7 values: the first level past the bound


def test_aliases_within_bounds_still_work() -> None:
    text = BASE.replace("timeout: 60s}", "timeout: &t 90s}") + "monitoring: {interval: *t}\n"
    config = parse_config(text, env={})
    assert config.defaults.timeout == config.monitoring.interval == 90


def test_an_alias_cycle_is_refused() -> None:
    assert "refers to a node that contains it" in refused(BASE + "x: &a [1, *a]\n")


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ("x: " + "[" * 20000 + "]" * 20000 + "\n", "nesting depth"),
        ("x: " + "[" * 100 + "]" * 100 + "\n", "nested more than 64 levels"),
        # aliases that stack shallow lists into a deep one
        (
            "".join(
                f"d{i}: &d{i} " + "[" * 30 + (f"*d{i - 1}" if i else "") + "]" * 30 + "\n"
                for i in range(5)
            ),
            "nested more than 64 levels",
        ),
        ("x: " + "9" * 4301 + "\n", "an integer of more than 4300 digits"),
        ("x: !!python/object/apply:os.system [id]\n", "could not determine a constructor"),
        ("defaults: {}\n", "key `defaults` appears twice in one mapping (first on line 2)"),
        ("x: 2020-13-45\n", "invalid value"),
    ],
)
def test_structures_python_cannot_or_should_not_build(extra: str, says: str) -> None:
    assert says in refused(BASE + extra)


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("timeout: 60s", "timeout: .inf", "at most 366 days"),
        ("timeout: 60s", "timeout: .nan", "a duration must be a number"),
        ("timeout: 60s", "timeout: 99999999999999999999d", "at most 366 days"),
        ("timeout: 60s", "timeout: [1, 2]", "expected a duration"),
        ("timeout: 60s", "timeout: true", "expected a duration"),
        ("timeout: 60s", "timeout: -5s", "is not a duration"),
        ("parallel_workers: 2", "parallel_workers: true", "not true/false"),
        ("parallel_workers: 2", "parallel_workers: " + "9" * 5000, "more than 4300 digits"),
        ("services: [sqs]", "services: [sqs, sqs]", "service 'sqs' is listed twice"),
        ("regions: [us-east-1]", "regions: [us-east-1, us-east-1]", "a region is listed twice"),
        ("name: main", "name: ..", "not a usable account name"),
        ("name: main", 'name: "a/../b"', "not a usable account name"),
        ("name: main", "name: -rf", "not a usable account name"),
        ("name: main", 'name: "x\\e]52;c;aGk=\\a"', "not a usable account name"),
        ("name: main", "name: " + "x" * 65, "at most 64 characters"),
    ],
)
def test_bad_values(old: str, new: str, says: str) -> None:
    assert old in BASE
    assert says in refused(BASE.replace(old, new))


def test_infinite_or_nan_rates_are_refused() -> None:
    for value in (".inf", ".nan"):
        text = (
            BASE
            + f"monitoring: {{rate_limits: {{sqs: {{burst: 1, refill_per_second: {value}}}}}}}\n"
        )
        assert "finite number" in refused(text)


def test_one_account_under_two_names_is_refused() -> None:
    message = refused(BASE + TWIN)
    assert "account 123456789012 is listed twice ('main' and 'other')" in message


def test_a_number_from_an_environment_variable_is_still_a_number() -> None:
    text = BASE.replace("parallel_workers: 2", "parallel_workers: '${WORKERS}'")
    assert parse_config(text, env={"WORKERS": "8"}).defaults.parallel_workers == 8


def test_durations_are_bounded() -> None:
    assert parse_duration("1.5h") == 5400
    assert parse_duration(366 * 86400) == 366 * 86400
    for bad in (10**400, float("inf"), float("nan"), "367d", [], None, b"1s"):
        with pytest.raises(ValueError):
            parse_duration(bad)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "the config file is empty"),
        (bytes(range(256)), "is not UTF-8 text (byte 0x80 at offset 128)"),
        (BASE.encode("utf-16"), "is UTF-16 text"),
        (BASE.encode() + b"\x00", "contains a NUL byte"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes, says: str) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes(content)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert says in str(caught.value)


def test_a_utf8_byte_order_mark_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + BASE.encode())
    assert load_config(path).accounts[0].name == "main"


def test_a_fifo_nobody_writes_reads_as_empty_instead_of_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "c.yaml"
    os.mkfifo(fifo)
    with pytest.raises(ConfigError, match="the config file is empty"):
        load_config(fifo)


def test_a_huge_file_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    with path.open("w") as out:
        out.write(BASE)
        out.write(("# " + "x" * 1000 + "\n") * 17000)
    with pytest.raises(ConfigError, match="larger than 16 MB"):
        load_config(path)


def test_a_directory_is_not_a_config(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is a directory"):
        load_config(tmp_path)


@pytest.mark.parametrize("key", ["'['", "''", "'a[0]'", "'function-after[x]'"])
def test_odd_unknown_keys_are_named(key: str) -> None:
    """Found by fuzzing: keys that look like pydantic's own location names."""
    message = refused(BASE + f"{key}: 1\n")
    assert "unknown key `" in message


@pytest.mark.parametrize("limit", ["-1", "0", "9" * 30, "x", "²", "100001"])
def test_history_limit_is_a_sane_count(limit: str, capsys: pytest.CaptureFixture[str]) -> None:
    from driftq.cli import main

    with pytest.raises(SystemExit) as caught:
        main(["history", "--limit", limit])
    assert caught.value.code == 2
    assert "is not a whole number from 1 to 100000" in capsys.readouterr().err
