"""deploy/kubernetes, checked without a cluster: every manifest validates against the
Kubernetes schemas kubernetes-validate ships (offline, strict), then the properties behaviour
depends on: the worker groups consume every queue the code declares, probes, one beat,
Flower's auth, the CronJob's command, and every reference (Secret, ConfigMap, service
account, `$(VAR)`, the config's `${VAR}`s) resolves."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from driftq.config import parse_config
from workers.queues import all_queues

ROOT = Path(__file__).resolve().parents[1]
K8S = ROOT / "deploy" / "kubernetes"


def _kustomization() -> dict[str, Any]:
    return yaml.safe_load((K8S / "kustomization.yaml").read_text())  # type: ignore[no-any-return]


def _documents() -> list[dict[str, Any]]:
    docs = []
    for name in _kustomization()["resources"]:
        docs += [d for d in yaml.safe_load_all((K8S / name).read_text()) if d]
    return docs


DOCS = _documents()


def _kind(kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in DOCS if d["kind"] == kind}


def _pod_specs() -> dict[str, dict[str, Any]]:
    """Every pod template by its workload's name."""
    out = {}
    for doc in DOCS:
        spec = doc.get("spec", {})
        if doc["kind"] in ("Deployment", "StatefulSet"):
            out[doc["metadata"]["name"]] = spec["template"]["spec"]
        elif doc["kind"] == "CronJob":
            out[doc["metadata"]["name"]] = spec["jobTemplate"]["spec"]["template"]["spec"]
    return out


def _workers() -> dict[str, list[str]]:
    """worker Deployment -> the queues its `-Q` names."""
    out = {}
    for name, pod in _pod_specs().items():
        command = pod["containers"][0]["command"]
        if command[:4] == ["celery", "-A", "workers", "worker"]:
            out[name] = command[command.index("-Q") + 1].split(",")
    return out


def test_the_kustomization_lists_every_manifest() -> None:
    listed = set(_kustomization()["resources"])
    on_disk = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == on_disk


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: f"{d['kind']}/{d['metadata']['name']}")
def test_every_manifest_validates_against_the_kubernetes_schema(doc: dict[str, Any]) -> None:
    version = kubernetes_validate.latest_version()
    try:
        kubernetes_validate.validate(doc, version, strict=True)
    except kubernetes_validate.ValidationError as exc:
        pytest.fail(f"{doc['kind']}/{doc['metadata']['name']}: {exc.message} at {list(exc.path)}")


def test_the_worker_groups_together_consume_every_queue() -> None:
    workers = _workers()
    assert len(workers) >= 3
    queues = [q for group in workers.values() for q in group]
    assert sorted(queues) == sorted(all_queues())  # each exactly once


def test_workers_have_a_liveness_ping_and_time_to_finish_units() -> None:
    for name in _workers():
        pod = _pod_specs()[name]
        probe = pod["containers"][0]["livenessProbe"]["exec"]["command"]
        assert probe[:2] == ["sh", "-c"], name
        assert "celery -A workers inspect ping -d celery@$HOSTNAME" in probe[2], name
        assert pod["terminationGracePeriodSeconds"] >= 60, name
    for name, pod in _pod_specs().items():
        if name != "submit":  # a Job ends by itself
            assert "livenessProbe" in pod["containers"][0], name


def test_one_beat_replaced_not_rolled() -> None:
    beat = _kind("Deployment")["beat"]
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}
    assert beat["spec"]["template"]["spec"]["containers"][0]["command"][:4] == [
        "celery", "-A", "workers", "beat",
    ]  # fmt: skip


def test_flower_has_basic_auth_from_the_secret_and_stays_inside_the_cluster() -> None:
    container = _pod_specs()["flower"]["containers"][0]
    env = {e["name"]: e for e in container["env"]}
    assert env["FLOWER_BASIC_AUTH"]["valueFrom"]["secretKeyRef"]["name"] == "driftq-secrets"
    script = container["command"][2]
    assert script.startswith('test -n "$FLOWER_BASIC_AUTH" ||')  # no auth: no Flower
    assert "exec celery -A workers flower" in script
    assert _kind("Service")["flower"]["spec"]["type"] == "ClusterIP"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthcheck"


def test_the_cronjob_submits_and_waits_one_at_a_time() -> None:
    cron = _kind("CronJob")["submit"]
    assert cron["spec"]["concurrencyPolicy"] == "Forbid"
    command = _pod_specs()["submit"]["containers"][0]["command"]
    assert command[:2] == ["driftq", "submit"] and "--wait" in command
    assert command[command.index("--config") + 1] == "/config/driftq.yaml"


def test_only_pods_that_call_aws_get_the_irsa_service_account() -> None:
    accounts = _kind("ServiceAccount")
    assert accounts["driftq-scanner"]["metadata"]["annotations"][
        "eks.amazonaws.com/role-arn"
    ].startswith("arn:aws:iam::")
    uses = {name: pod["serviceAccountName"] for name, pod in _pod_specs().items()}
    scanner = {name for name, account in uses.items() if account == "driftq-scanner"}
    assert scanner == {*_workers(), "submit"}
    # the events consumer reads its SQS queue with an identity of its own, not the scanner's
    assert {n for n, a in uses.items() if a == "driftq-events"} == {"events-consumer"}
    irsa = {n for n, a in accounts.items() if "annotations" in a["metadata"]}
    assert irsa == {"driftq-scanner", "driftq-events"}
    for name, pod in _pod_specs().items():
        assert pod["serviceAccountName"] in accounts, name
        assert pod["automountServiceAccountToken"] is (pod["serviceAccountName"] in irsa), name


def test_every_reference_resolves() -> None:
    secrets = {n: set(d.get("stringData", {})) | set(d.get("data", {})) for n, d in
               _kind("Secret").items()}  # fmt: skip
    config_maps = {n: set(d["data"]) for n, d in _kind("ConfigMap").items()}
    claims = {
        d["metadata"]["name"]: {
            c["metadata"]["name"]: {} for c in d["spec"]["volumeClaimTemplates"]
        }
        for d in DOCS
        if d["kind"] == "StatefulSet"
    }
    for name, pod in _pod_specs().items():
        volumes = {v["name"]: v for v in pod.get("volumes", [])} | claims.get(name, {})
        for volume in volumes.values():
            if "configMap" in volume:
                cm = volume["configMap"]
                assert cm["name"] in config_maps, name
                assert {i["key"] for i in cm.get("items", [])} <= config_maps[cm["name"]], name
            if "secret" in volume:
                assert volume["secret"]["secretName"] in secrets, name
        for container in pod["containers"]:
            for mount in container.get("volumeMounts", []):
                assert mount["name"] in volumes, (name, mount["name"])
            defined: set[str] = set()
            for env in container.get("env", []):
                ref = env.get("valueFrom", {})
                if "secretKeyRef" in ref:
                    s = ref["secretKeyRef"]
                    assert s["key"] in secrets[s["name"]], (name, s)
                if "configMapKeyRef" in ref:
                    c = ref["configMapKeyRef"]
                    assert c["key"] in config_maps[c["name"]], (name, c)
                # $(VAR) expands only variables defined above it
                for var in re.findall(r"\$\(([A-Z_][A-Z0-9_]*)\)", env.get("value", "")):
                    assert var in defined, (name, env["name"], var)
                defined.add(env["name"])
            ports = {p["name"] for p in container.get("ports", [])}
            for probe in ("livenessProbe", "readinessProbe"):
                http = container.get(probe, {}).get("httpGet")
                if http and isinstance(http["port"], str):
                    assert http["port"] in ports, (name, probe)
    services = _kind("Service")
    for name, service in services.items():
        selector = service["spec"]["selector"]
        matched = [
            d for d in DOCS if d["kind"] in ("Deployment", "StatefulSet")
            and selector.items() <= d["spec"]["template"]["metadata"]["labels"].items()
        ]  # fmt: skip
        assert matched, name


def test_pods_that_load_the_config_mount_it_and_have_its_variables() -> None:
    text = _kind("ConfigMap")["driftq-config"]["data"]["driftq.yaml"]
    variables = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)", text))
    env = {v: "https://hooks.example/x" for v in variables}
    config = parse_config(text, source="configmap", env=env)  # driftq accepts it
    assert config.accounts_from is not None and config.defaults.role_arn
    for name, pod in _pod_specs().items():
        container = pod["containers"][0]
        names = {e["name"] for e in container["env"]}
        command = container["command"]
        path = next(
            (e["value"] for e in container["env"] if e["name"] == "DRIFTQ_CONFIG"), None
        ) or (command[command.index("--config") + 1] if "--config" in command else None)
        if path is None:
            continue
        mounts = {m["mountPath"] for m in container["volumeMounts"]}
        assert str(Path(path).parent) in mounts, name
        # each pod loads the config with what its own environment holds: workers all of it;
        # beat and the submit job without the secrets of notifications and outputs
        worker = name in _workers()
        if worker:
            assert variables <= names, (name, variables - names)
        held = {v: "https://hooks.example/x" for v in variables & names}
        parse_config(text, source=f"configmap in {name}", env=held, secrets=worker)


def test_secrets_are_not_written_down() -> None:
    for name, secret in _kind("Secret").items():
        assert set(secret["stringData"].values()) == {""}, name
    for name in ("redis", "flower"):  # refuse to start without theirs
        pod = _pod_specs()[name]
        assert "test -n" in " ".join(pod["containers"][0].get("args", []) +
                                     pod["containers"][0]["command"]), name  # fmt: skip


def test_only_workers_get_the_notification_secrets() -> None:
    """Beat and the submit CronJob plan runs (they load the config without the secrets of
    notifications and outputs); workers send, so only they hold them."""
    secret_keys = {"SLACK_WEBHOOK_URL", "PAGERDUTY_KEY"}
    for name, pod in _pod_specs().items():
        for container in pod["containers"]:
            refs = {
                e["valueFrom"]["secretKeyRef"]["key"]
                for e in container.get("env", [])
                if "secretKeyRef" in e.get("valueFrom", {})
            }
            held = refs & secret_keys
            if name in _workers():
                assert held == secret_keys, name
            else:
                assert not held, name


def test_the_events_receiver_and_consumer_queue_scans_for_the_workers() -> None:
    """`driftq serve-events` behind a ClusterIP Service, its shared secret from the Secret;
    `driftq events consume` with the queue URL from a ConfigMap and a heartbeat its liveness
    probe reads; both commands are ones our parser accepts, and a worker consumes the
    `events` queue they feed."""
    from driftq.cli import build_parser

    parser = build_parser()
    receiver = _pod_specs()["events-receiver"]["containers"][0]
    args = parser.parse_args(receiver["command"][1:])
    assert (args.command, args.address, args.port) == ("serve-events", "0.0.0.0", 8080)
    assert not args.in_process  # queues on the cluster
    assert {p["name"]: p["containerPort"] for p in receiver["ports"]} == {"http": 8080}
    env = {e["name"]: e for e in receiver["env"]}
    assert env["DRIFTQ_EVENTS_SECRET"]["valueFrom"]["secretKeyRef"] == {
        "name": "driftq-secrets",
        "key": "DRIFTQ_EVENTS_SECRET",
    }
    assert receiver["readinessProbe"]["httpGet"]["path"] == "/healthz"
    service = _kind("Service")["events-receiver"]["spec"]
    assert service["type"] == "ClusterIP"
    assert service["selector"] == {"app.kubernetes.io/name": "events-receiver"}
    assert service["ports"][0]["targetPort"] == "http"

    consumer = _pod_specs()["events-consumer"]["containers"][0]
    env = {e["name"]: e for e in consumer["env"]}
    ref = env["DRIFTQ_EVENTS_QUEUE_URL"]["valueFrom"]["configMapKeyRef"]
    queue_url = _kind("ConfigMap")[ref["name"]]["data"][ref["key"]]
    assert queue_url.startswith("https://sqs.")
    args = parser.parse_args([*consumer["command"][1:], "--queue-url", queue_url])
    assert (args.command, args.events_command, args.in_process) == ("events", "consume", False)
    assert args.heartbeat in consumer["livenessProbe"]["exec"]["command"][2]
    assert not any(e["name"] == "DRIFTQ_EVENTS_SECRET" for e in consumer["env"])

    assert [name for name, queues in _workers().items() if "events" in queues]
