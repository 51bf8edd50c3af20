"""compose.yaml, checked for what it does (no Docker engine here).

The file must validate against the Compose Specification's JSON schema (compose-spec.json
beside this file, from github.com/compose-spec/compose-spec, commit 170098b, Apache-2.0),
which is what `docker compose config` enforces. Then its behaviour, with compose's own
variable interpolation applied: the Redis service's command is run as its container would
run it (a real redis-server), and it must refuse clients without the password and accept the
URL every driftq service is given; its health check must pass; Flower's and Redis's guards
must stop a container that has no password; the secrets the config refers to reach the
workers, which use them, and neither beat, submit nor Flower (each still does its job); only workers reach AWS; `submit`'s command line
is one our own parser accepts.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
import redis
import yaml
from redis.backoff import NoBackoff
from redis.retry import Retry

from driftq.cli import build_parser
from driftq.config import load_config
from driftq.errors import ConfigError
from driftq.plan import Selection
from tests.support.moto import free_port
from tests.workers.cluster import REDIS_SERVER, wait_for
from workers.dispatch import prepare
from workers.queues import all_queues
from workers.schedule import SCHEDULED_TASK, monitoring_entry

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "compose.yaml"
DRIFTQ_SERVICES = ("worker", "beat", "flower", "submit", "events-receiver", "events-consumer")
_VARIABLE = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}")
_ANY_INTERPOLATION = re.compile(r"\$\{([^}]*)\}")
PASSWORD = "5a1f0c9e-compose-test-password"


def interpolate(value: Any, env: dict[str, str]) -> Any:
    """Compose's `${VAR}` / `${VAR:-default}` (and `$$` for a literal `$`), recursively."""
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value
    text = _VARIABLE.sub(lambda m: env.get(m.group(1)) or (m.group(2) or ""), value)
    return text.replace("$$", "$")


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def services(raw: dict[str, Any]) -> dict[str, Any]:
    """The services as `docker compose config` shows them with REDIS_PASSWORD set."""
    return interpolate(raw["services"], {"REDIS_PASSWORD": PASSWORD})  # type: ignore[no-any-return]


def config_variables() -> set[str]:
    """The variables the example config's values refer to: the secrets of its notifications."""

    def strings(value: Any) -> Iterator[str]:
        if isinstance(value, dict):
            for item in value.values():
                yield from strings(item)
        elif isinstance(value, list):
            for item in value:
                yield from strings(item)
        elif isinstance(value, str):
            yield value

    config = yaml.safe_load((ROOT / "config" / "driftq.example.yaml").read_text())
    return {m.group(1) for text in strings(config) for m in _VARIABLE.finditer(text)}


def test_the_file_follows_the_compose_specification(raw: dict[str, Any]) -> None:
    schema = yaml.safe_load((Path(__file__).parent / "compose-spec.json").read_text())
    schema.pop("$schema")  # draft-07, which jsonschema knows by class rather than by URL
    errors = [
        f"{'/'.join(map(str, e.path))}: {e.message}"
        for e in jsonschema.Draft7Validator(schema).iter_errors(raw)
    ]
    assert errors == []


def test_interpolations_need_no_variable_to_be_set() -> None:
    # ${VAR} and ${VAR:-default} only: `:?` would make `docker compose config` fail without it
    for expression in _ANY_INTERPOLATION.findall(COMPOSE.read_text()):
        assert re.fullmatch(r"[A-Z_][A-Z0-9_]*(:-[^}]*)?", expression), expression


def shell_command(service: dict[str, Any]) -> str:
    command = service["command"]
    assert command[:2] == ["sh", "-c"]
    return str(command[2])


@pytest.fixture(scope="module")
def shims(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`docker-entrypoint.sh` and `redis-cli` as in the redis image, on a private port."""
    folder = tmp_path_factory.mktemp("shims")
    port = free_port()
    data = folder / "data"
    data.mkdir()
    # the image's entrypoint runs its arguments (as the redis user): `redis-server ...`
    (folder / "docker-entrypoint.sh").write_text(
        f'#!/bin/sh\ntest "$1" = redis-server || exit 64\nshift\n'
        f'exec {REDIS_SERVER} "$@" --bind 127.0.0.1 --port {port} --dir {data}\n'
    )
    (folder / "redis-cli").write_text(f'#!/bin/sh\nexec /usr/bin/redis-cli -p {port} "$@"\n')
    (folder / "celery").write_text('#!/bin/sh\necho "celery $*"\n')
    for shim in folder.iterdir():
        shim.chmod(0o755)
    (folder / "port").write_text(str(port))
    return folder


def run_service_shell(
    script: str, env: dict[str, str], shims: Path, **kwargs: Any
) -> subprocess.Popen[str]:
    path = f"{shims}:{os.environ.get('PATH', '')}"
    return subprocess.Popen(
        ["sh", "-c", script],
        env={**env, "PATH": path},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


@pytest.fixture(scope="module")
def compose_redis(services: dict[str, Any], shims: Path) -> Iterator[int]:
    """The redis service's own command, run as its container runs it."""
    service = services["redis"]
    process = run_service_shell(shell_command(service), service["environment"], shims)
    port = int((shims / "port").read_text())
    probe = redis.Redis(port=port, password=PASSWORD)

    def up() -> bool:
        try:
            return bool(probe.ping())
        except redis.exceptions.ConnectionError:
            return False

    try:
        wait_for("the compose redis", up, 15)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_redis_refuses_clients_without_the_password(compose_redis: int) -> None:
    once = Retry(NoBackoff(), 0)  # an auth error is a ConnectionError: no retries
    with pytest.raises(redis.exceptions.AuthenticationError):
        redis.Redis(port=compose_redis, retry=once).ping()
    with pytest.raises(redis.exceptions.AuthenticationError):
        redis.Redis(port=compose_redis, password="wrong", retry=once).ping()


def test_every_driftq_service_reaches_redis_with_its_url(
    services: dict[str, Any], compose_redis: int
) -> None:
    for name in DRIFTQ_SERVICES:
        url = urlsplit(services[name]["environment"]["DRIFTQ_REDIS_URL"])
        assert url.hostname == "redis" and "backend" in services[name]["networks"], name
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy", name
        client = redis.Redis(port=compose_redis, password=url.password, db=int(url.path[1:]))
        assert client.ping(), name


def test_redis_health_check_passes_and_nothing_is_evicted(
    services: dict[str, Any], compose_redis: int, shims: Path
) -> None:
    service = services["redis"]
    kind, script = service["healthcheck"]["test"]
    assert kind == "CMD-SHELL"
    check = run_service_shell(script, service["environment"], shims)
    assert check.wait(timeout=10) == 0, check.communicate()
    client = redis.Redis(port=compose_redis, password=PASSWORD)
    assert client.config_get("maxmemory-policy") == {"maxmemory-policy": "noeviction"}
    assert client.config_get("appendonly") == {"appendonly": "yes"}
    assert "ports" not in service and service["networks"] == ["backend"]


def test_redis_and_flower_refuse_to_start_without_a_password(
    raw: dict[str, Any], shims: Path
) -> None:
    bare = interpolate(raw["services"], {})  # neither REDIS_PASSWORD nor FLOWER_BASIC_AUTH
    for name, says in (("redis", "set REDIS_PASSWORD"), ("flower", "set FLOWER_BASIC_AUTH")):
        service = bare[name]
        process = run_service_shell(shell_command(service), service["environment"], shims)
        out, err = process.communicate(timeout=15)
        assert process.returncode == 1 and says in err and out == "", name
    flower = interpolate(raw["services"]["flower"], {"FLOWER_BASIC_AUTH": "ops:pw"})
    started = run_service_shell(shell_command(flower), flower["environment"], shims)
    out, _ = started.communicate(timeout=15)
    assert started.returncode == 0 and out.startswith("celery -A workers flower")


def container_env(service: dict[str, Any], host: dict[str, str]) -> dict[str, str]:
    """The environment a container gets: values as written, `KEY:` (None) passed through
    from the host when set there."""
    out: dict[str, str] = {}
    for key, value in (service.get("environment") or {}).items():
        if value is None:
            if key in host:
                out[key] = host[key]
        else:
            out[key] = str(value)
    return out


def test_only_the_processes_that_notify_get_the_configs_secrets(
    services: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With every secret set on the host: workers (which notify and publish outputs) load
    the example config with the host's values; beat and submit load it (beat's schedule,
    submit's plan) without holding any of them; Flower reads no config and holds none."""
    example = ROOT / "config" / "driftq.example.yaml"
    secrets = config_variables()
    assert {"SLACK_WEBHOOK_URL", "PAGERDUTY_KEY", "SMTP_PASSWORD"} <= secrets
    host = {name: f"sentinel-{name.lower()}-0451" for name in secrets}

    worker = container_env(services["worker"], host)
    assert {k: worker[k] for k in secrets} == host
    config = load_config(example, env=worker)
    assert config.notifications.slack is not None
    assert config.notifications.slack.webhook_url == host["SLACK_WEBHOOK_URL"]

    for name in ("beat", "submit"):
        env = container_env(services[name], host)
        assert not set(env.values()) & set(host.values()), name
        assert "./config:/config:ro" in services[name]["volumes"], name
        assert env["DRIFTQ_CONFIG"].startswith("/config/"), name
        # what the process does with the config, in that environment
        for key in list(os.environ):
            monkeypatch.delenv(key)
        for key, value in {**env, "DRIFTQ_CONFIG": str(example)}.items():
            monkeypatch.setenv(key, value)
        if name == "beat":
            entry = monitoring_entry()
            assert entry is not None and entry["task"] == SCHEDULED_TASK
        else:
            assert prepare(example, Selection()).units
        with pytest.raises(ConfigError, match="SLACK_WEBHOOK_URL"):
            load_config(example)  # a process that notifies could not run like this

    flower = container_env(services["flower"], host)
    assert not set(flower.values()) & set(host.values())
    assert "DRIFTQ_CONFIG" not in flower and "volumes" not in services["flower"]


def test_only_workers_reach_aws(raw: dict[str, Any], services: dict[str, Any]) -> None:
    assert raw["networks"]["backend"]["internal"] is True
    for name, service in services.items():
        env = service.get("environment") or {}
        holds_aws = any(key.startswith("AWS_") and key != "AWS_DEFAULT_REGION" for key in env)
        egress = "egress" in service.get("networks", [])
        # the events consumer reads its SQS queue with the host's credentials
        assert holds_aws == egress == (name in ("worker", "events-consumer")), name
    for name in ("worker", "events-consumer"):
        assert services[name]["environment"]["AWS_SECRET_ACCESS_KEY"] is None  # the host's


def test_flower_and_the_events_receiver_are_published_on_loopback_only(
    services: dict[str, Any],
) -> None:
    for name, service in services.items():
        for port in service.get("ports", []):
            assert name in ("flower", "events-receiver"), (name, port)
            assert str(port).startswith("127.0.0.1:"), (name, port)


def test_the_events_services_are_optional_and_take_the_secret_from_a_file(
    raw: dict[str, Any], services: dict[str, Any]
) -> None:
    """`--profile events`: the receiver (`serve-events` on the published port, its shared
    secret a compose secret file) and the SQS consumer (its queue from the host's
    DRIFTQ_EVENTS_QUEUE_URL); both queue scans for the workers, whose plain `worker`
    consumes the `events` queue too."""
    parser = build_parser()
    receiver, consumer = services["events-receiver"], services["events-consumer"]
    assert receiver["profiles"] == consumer["profiles"] == ["events"]
    args = parser.parse_args(receiver["command"][1:])
    assert (args.command, args.address, args.port, args.in_process) == (
        "serve-events", "0.0.0.0", 8080, False,
    )  # fmt: skip
    assert args.config.startswith("/config/")
    assert receiver["ports"] == ["127.0.0.1:8080:8080"]
    assert "/healthz" in receiver["healthcheck"]["test"][-1]
    # the secret: a file mounted at /run/secrets/<name>, never a value in the file or env
    (secret,) = receiver["secrets"]
    assert raw["secrets"][secret]["file"].endswith("events-secret}")
    env = receiver["environment"]
    assert env["DRIFTQ_EVENTS_SECRET_FILE"] == f"/run/secrets/{secret}"
    assert (
        "DRIFTQ_EVENTS_SECRET" not in env and "DRIFTQ_EVENTS_SECRET" not in consumer["environment"]
    )
    assert "config/events-secret" in (ROOT / ".gitignore").read_text()

    args = parser.parse_args([*consumer["command"][1:], "--queue-url", "https://sqs.x/1/q"])
    assert (args.command, args.events_command, args.in_process) == ("events", "consume", False)
    assert consumer["environment"]["DRIFTQ_EVENTS_QUEUE_URL"] == ""  # the host's, when set
    assert "events" in all_queues() and "-Q" not in services["worker"]["command"]


def test_processes_are_our_commands(services: dict[str, Any]) -> None:
    for name in ("worker", "beat"):
        assert services[name]["command"][:4] == ["celery", "-A", "workers", name]
    # a plain worker consumes every declared queue
    assert "-Q" not in services["worker"]["command"]
    submit = services["submit"]
    args = build_parser().parse_args([*submit["entrypoint"][1:], *submit["command"]])
    assert (args.command, args.wait) == ("submit", True)
    assert args.config.startswith("/config/") and submit["restart"] == "no"
    for name in DRIFTQ_SERVICES:
        assert services[name]["build"] == "." and services[name]["image"] == "driftq:local"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --require-hashes -r requirements.lock" in dockerfile
    assert "\nUSER " in dockerfile


def test_references_resolve(raw: dict[str, Any], services: dict[str, Any]) -> None:
    for name, service in services.items():
        for network in service.get("networks", []):
            assert network in raw["networks"], (name, network)
        for dependency in service.get("depends_on", {}):
            assert dependency in services, (name, dependency)
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if not source.startswith((".", "/")):
                assert source in raw["volumes"], (name, source)
            else:
                assert (ROOT / source).exists() or source == "./reports", (name, source)
