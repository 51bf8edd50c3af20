"""The image and what it installs: a hashed lock file covering the package's runtime and
cluster dependencies, no AWS emulator in it, healthchecks on every compose service, and a
demo that says how to get its emulator when it is missing."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
# what the image installs besides the runtime dependencies (Makefile: IMAGE_EXTRAS)
IMAGE_EXTRAS = ("cluster", "postgres", "metrics")
_PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)")


def _pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _locked() -> dict[str, tuple[Version, list[str]]]:
    """name -> (version, hashes) for each pin in the lock file."""
    out: dict[str, tuple[Version, list[str]]] = {}
    current = ""
    for line in LOCK.read_text().splitlines():
        match = _PIN.match(line)
        if match:
            current = canonicalize_name(match.group(1))
            out[current] = (Version(match.group(2)), [])
        elif line.strip().startswith("--hash=sha256:") and current:
            out[current][1].append(line.strip().removesuffix("\\").strip())
    return out


def test_the_lock_pins_every_runtime_and_cluster_dependency_with_hashes() -> None:
    project = _pyproject()["project"]
    wanted = [Requirement(r) for r in project["dependencies"]]
    for extra in IMAGE_EXTRAS:
        wanted += [Requirement(r) for r in project["optional-dependencies"][extra]]
    locked = _locked()
    assert len(locked) > 20
    for requirement in wanted:
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{requirement} is not in requirements.lock: run `make lock`"
        version, _ = locked[name]
        assert requirement.specifier.contains(version, prereleases=True), (requirement, version)
        for extra_dep in requirement.extras:  # celery[redis] -> its redis transport
            assert extra_dep in locked or extra_dep == "binary" or name == "moto", requirement
    for name, (version, hashes) in locked.items():
        assert hashes and all(re.fullmatch(r"--hash=sha256:[0-9a-f]{64}", h) for h in hashes), (
            name,
            version,
        )


def test_the_image_has_no_aws_emulator_and_installs_only_from_the_lock() -> None:
    locked = _locked()
    for name in ("moto", "pytest", "responses", "flask"):
        assert name not in locked, name
    project = _pyproject()["project"]
    runtime = {canonicalize_name(Requirement(r).name) for r in project["dependencies"]}
    assert "moto" not in runtime
    demo = [Requirement(r) for r in project["optional-dependencies"]["demo"]]
    assert [r.name for r in demo] == ["moto"] and "server" in demo[0].extras
    dev = {canonicalize_name(Requirement(r).name) for r in project["optional-dependencies"]["dev"]}
    assert {"moto", "prometheus-client"} <= dev
    dockerfile = (ROOT / "Dockerfile").read_text()
    installs = [line for line in dockerfile.splitlines() if "pip install" in line]
    assert installs == [
        "RUN pip install --require-hashes -r requirements.lock",
        "RUN pip install --no-deps . \\",
    ]
    assert "COPY requirements.lock ./" in dockerfile
    makefile = (ROOT / "Makefile").read_text()
    assert "IMAGE_EXTRAS := " + " ".join(f"--extra {e}" for e in IMAGE_EXTRAS) in makefile
    assert "-e '.[demo]'" in makefile  # `make demo` installs the emulator


def test_every_compose_service_has_a_healthcheck() -> None:
    services = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    checks = {name: s.get("healthcheck", {}).get("test") for name, s in services.items()}
    assert checks.pop("submit") is None  # one-shot
    # the password comes from the environment, never the command line
    assert checks["redis"][0] == "CMD-SHELL" and "redis-cli ping" in checks["redis"][1]
    assert "REDISCLI_AUTH" in checks["redis"][1]
    # the worker pings itself (its node name is celery@<hostname>), not just any worker
    assert checks["worker"] == [
        "CMD-SHELL",
        "celery -A workers inspect ping -d celery@$$HOSTNAME --timeout 10",
    ]
    assert "/healthcheck" in checks["flower"][-1] and ":5555/" in checks["flower"][-1]
    assert "--port=5555" in " ".join(services["flower"]["command"])
    assert "DRIFTQ_REDIS_URL" in checks["beat"][-1] and ".ping()" in checks["beat"][-1]
    # the consumer's check reads the heartbeat file its command touches after every poll
    consumer = services["events-consumer"]
    beat_file = consumer["command"][consumer["command"].index("--heartbeat") + 1]
    assert f"'{beat_file}'" in checks["events-consumer"][-1]
    for name, service in services.items():
        if name != "submit":
            check = service["healthcheck"]
            assert check["interval"] and check["timeout"] and check["retries"] >= 3, name


def test_the_demo_without_its_emulator_says_how_to_install_it(tmp_path: Path) -> None:
    # moto unimportable, as in an install without the `demo` extra
    code = "import sys; sys.modules['moto'] = None; from driftq.cli import main; sys.exit(main())"
    run = subprocess.run(
        [sys.executable, "-c", code, "demo", "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        "driftq: error: the demo needs its AWS emulator: pip install 'driftq[demo]' "
        "(or run `make demo`)"
    ]
    assert not (tmp_path / "out").exists()
