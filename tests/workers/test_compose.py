"""compose.yaml, checked the way `docker compose config` would see it (no Docker here).

PyYAML resolves the anchors and merge keys as compose does. The file must validate against
the Compose Specification's JSON schema (compose-spec.json beside this file, from
github.com/compose-spec/compose-spec, commit 170098b, Apache-2.0), which is what `docker
compose config` enforces; then the checks a reviewer would make: every service's command,
environment, volumes and networks; Redis never evicts; Flower has basic auth and is not
published on a public address; no secret in the file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "compose.yaml"
DRIFTQ_SERVICES = ("worker", "beat", "flower", "submit")
# ${VAR} and ${VAR:-default} only: `:?` would make `docker compose config` fail without it
_INTERPOLATION = re.compile(r"\$\{([^}]*)\}")
_ALLOWED = re.compile(r"^[A-Z_][A-Z0-9_]*(:-[^}]*)?$")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, Any]:
    return compose["services"]  # type: ignore[no-any-return]


def test_the_file_follows_the_compose_specification(compose: dict[str, Any]) -> None:
    schema = json.loads((Path(__file__).parent / "compose-spec.json").read_text())
    schema.pop("$schema")  # draft-07, which jsonschema knows by class rather than by URL
    errors = [
        f"{'/'.join(map(str, e.path))}: {e.message}"
        for e in jsonschema.Draft7Validator(schema).iter_errors(compose)
    ]
    assert errors == []


def test_the_services(services: dict[str, Any]) -> None:
    assert set(services) == {"redis", "worker", "beat", "flower", "submit"}


def test_driftq_services_build_the_dockerfile(services: dict[str, Any]) -> None:
    assert (ROOT / "Dockerfile").is_file()
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --require-hashes -r requirements.lock" in dockerfile
    assert "\nUSER " in dockerfile
    for name in DRIFTQ_SERVICES:
        assert services[name]["build"] == "." and services[name]["image"] == "driftq:local"


def test_commands(services: dict[str, Any]) -> None:
    # a plain worker consumes every queue: no -Q
    assert services["worker"]["command"] == ["celery", "-A", "workers", "worker", "--loglevel=INFO"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "workers", "beat"]
    flower = " ".join(services["flower"]["command"])
    assert "exec celery -A workers flower" in flower
    submit = services["submit"]
    assert submit["entrypoint"] == [
        "driftq",
        "submit",
        "--config",
        "/config/${DRIFTQ_CONFIG_FILE:-driftq.yaml}",
    ]
    assert submit["command"] == ["--wait"]
    assert submit["profiles"] == ["submit"] and submit["restart"] == "no"  # one-shot


def test_redis_never_evicts_and_is_not_published(services: dict[str, Any]) -> None:
    redis = services["redis"]
    command = redis["command"]
    assert command[command.index("--maxmemory-policy") + 1] == "noeviction"
    assert "ports" not in redis
    assert redis["networks"] == ["backend"]
    assert redis["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]


def test_every_driftq_service_finds_redis_and_the_config(services: dict[str, Any]) -> None:
    for name in DRIFTQ_SERVICES:
        env = services[name]["environment"]
        assert env["DRIFTQ_REDIS_URL"] == "redis://redis:6379/0", name
        assert env["DRIFTQ_CONFIG"] == "/config/${DRIFTQ_CONFIG_FILE:-driftq.yaml}", name
        assert "./config:/config:ro" in services[name]["volumes"], name
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy"


def test_only_workers_reach_aws_and_no_secret_is_written_down(
    compose: dict[str, Any], services: dict[str, Any]
) -> None:
    for name, service in services.items():
        env = service.get("environment") or {}
        for key, value in env.items():
            if any(word in key for word in ("SECRET", "TOKEN", "PASSWORD", "KEY", "WEBHOOK")):
                assert value is None or str(value).startswith("${"), (name, key)
        if name != "worker":
            assert "egress" not in service.get("networks", []), name
            assert "AWS_SECRET_ACCESS_KEY" not in env, name
    assert compose["networks"]["backend"]["internal"] is True
    assert "egress" in services["worker"]["networks"]
    assert services["worker"]["environment"]["AWS_SECRET_ACCESS_KEY"] is None  # from the host


def test_flower_has_basic_auth_and_no_public_port(services: dict[str, Any]) -> None:
    flower = services["flower"]
    assert flower["environment"]["FLOWER_BASIC_AUTH"] == "${FLOWER_BASIC_AUTH:-}"
    # an empty FLOWER_BASIC_AUTH stops the container instead of serving without auth
    assert 'test -n "$$FLOWER_BASIC_AUTH" ||' in " ".join(flower["command"])
    assert "backend" in flower["networks"]
    for port in flower.get("ports", []):
        assert str(port).startswith("127.0.0.1:"), port
    for name, service in services.items():
        if name != "flower":
            assert "ports" not in service, name


def test_references_resolve(compose: dict[str, Any], services: dict[str, Any]) -> None:
    for name, service in services.items():
        for network in service.get("networks", []):
            assert network in compose["networks"], (name, network)
        for dependency in service.get("depends_on", {}):
            assert dependency in services, (name, dependency)
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if not source.startswith((".", "/")):
                assert source in compose["volumes"], (name, source)
            else:
                assert (ROOT / source).exists() or source == "./reports", (name, source)


def test_interpolations_need_no_variable_to_be_set() -> None:
    for expression in _INTERPOLATION.findall(COMPOSE.read_text()):
        assert _ALLOWED.match(expression), expression
