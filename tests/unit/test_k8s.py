"""deploy/k8s: the manifests parse, hang together, and validate against Kubernetes' own schemas.

Three layers, each failing on a different mistake:

1. structure and cross-references checked here by hand (selectors, ports, ConfigMap names,
   container args that the real `wirewatch` parser accepts, rules that really load);
2. Kubernetes' OpenAPI schemas (strict: unknown fields are errors), shipped offline by the
   ``kubernetes-validate`` package;
3. ``kubeconform`` on the same offline schemas, when the binary is installed
   (``go install github.com/yannh/kubeconform/cmd/kubeconform@latest``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml

from wirewatch.actors import load_actors
from wirewatch.cli import build_parser
from wirewatch.config import Settings
from wirewatch.rules import load_rules

K8S = Path(__file__).resolve().parents[2] / "deploy" / "k8s"
K8S_VERSION = "1.33.0"
MANIFESTS = sorted(p for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")

# Minimal shape every manifest must have, beyond what Kubernetes' schemas require.
_LABELS = {"type": "object", "required": ["app.kubernetes.io/name", "app.kubernetes.io/part-of"]}
_META = {"type": "object", "required": ["name", "labels"], "properties": {"labels": _LABELS}}
SHAPE = {
    "Deployment": {
        "type": "object",
        "required": ["apiVersion", "kind", "metadata", "spec"],
        "properties": {
            "apiVersion": {"const": "apps/v1"},
            "metadata": _META,
            "spec": {
                "type": "object",
                "required": ["replicas", "selector", "template"],
                "properties": {
                    "replicas": {"type": "integer", "minimum": 1},
                    "template": {
                        "type": "object",
                        "required": ["metadata", "spec"],
                        "properties": {
                            "spec": {
                                "type": "object",
                                "required": ["containers"],
                                "properties": {
                                    "containers": {
                                        "type": "array",
                                        "minItems": 1,
                                        "items": {
                                            "type": "object",
                                            "required": [
                                                "name",
                                                "image",
                                                "args",
                                                "envFrom",
                                                "ports",
                                                "resources",
                                                "readinessProbe",
                                                "livenessProbe",
                                            ],
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
    "Service": {
        "type": "object",
        "required": ["apiVersion", "kind", "metadata", "spec"],
        "properties": {
            "apiVersion": {"const": "v1"},
            "metadata": _META,
            "spec": {"type": "object", "required": ["selector", "ports"]},
        },
    },
    "ConfigMap": {
        "type": "object",
        "required": ["apiVersion", "kind", "metadata", "data"],
        "properties": {
            "apiVersion": {"const": "v1"},
            "metadata": _META,
            "data": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    },
}


@pytest.fixture(scope="module")
def docs() -> list[dict]:
    out = []
    for path in MANIFESTS:
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                doc["_file"] = path.name
                out.append(doc)
    return out


def by(docs: list[dict], kind: str, name: str) -> dict:
    [doc] = [d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name]
    return doc


def clean(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k != "_file"}


def test_every_manifest_has_the_expected_shape(docs):
    kinds = sorted((d["kind"], d["metadata"]["name"]) for d in docs)
    assert kinds == [
        ("ConfigMap", "wirewatch-config"),
        ("ConfigMap", "wirewatch-rules"),
        ("Deployment", "wirewatch-alerter"),
        ("Deployment", "wirewatch-enricher"),
        ("Service", "wirewatch-metrics"),
    ]
    for d in docs:
        jsonschema.validate(clean(d), SHAPE[d["kind"]])
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    assert sorted(kustomization["resources"]) == [p.name for p in MANIFESTS]


def test_deployments_hang_together(docs):
    configmaps = {d["metadata"]["name"]: d for d in docs if d["kind"] == "ConfigMap"}
    parser = build_parser()
    enricher = by(docs, "Deployment", "wirewatch-enricher")
    alerter = by(docs, "Deployment", "wirewatch-alerter")
    assert enricher["spec"]["replicas"] == 2 and alerter["spec"]["replicas"] == 1
    for dep, command in ((enricher, "enricher"), (alerter, "alerter")):
        spec = dep["spec"]
        pod_labels = spec["template"]["metadata"]["labels"]
        assert spec["selector"]["matchLabels"].items() <= pod_labels.items(), dep["_file"]
        [container] = spec["template"]["spec"]["containers"]
        # The args are a command the real CLI accepts.
        args = parser.parse_args(container["args"])
        assert args.command == command
        assert {"name": "metrics", "containerPort": 9100, "protocol": "TCP"} in container["ports"]
        for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
            assert container[probe]["httpGet"]["port"] == "metrics", (dep["_file"], probe)
        for ref in container["envFrom"]:
            assert ref["configMapRef"]["name"] in configmaps
        volumes = {v["name"]: v for v in spec["template"]["spec"]["volumes"]}
        mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
        # Every file the args name lives in a mounted ConfigMap under that key.
        for value in container["args"]:
            if value.startswith("/etc/wirewatch/"):
                cm = volumes[mounts["/etc/wirewatch"]]["configMap"]["name"]
                assert value.removeprefix("/etc/wirewatch/") in configmaps[cm]["data"], value
        # State is written somewhere writable even with a read-only root filesystem.
        state_dir = configmaps["wirewatch-config"]["data"]["WIREWATCH_STATE_DIR"]
        assert container["securityContext"]["readOnlyRootFilesystem"] is True
        assert state_dir in mounts and "emptyDir" in volumes[mounts[state_dir]]


def test_metrics_service_reaches_both_components(docs):
    svc = by(docs, "Service", "wirewatch-metrics")
    [port] = svc["spec"]["ports"]
    assert port["port"] == 9100 and port["targetPort"] == "metrics"
    for name in ("wirewatch-enricher", "wirewatch-alerter"):
        labels = by(docs, "Deployment", name)["spec"]["template"]["metadata"]["labels"]
        assert svc["spec"]["selector"].items() <= labels.items(), name


def test_config_is_valid_settings_and_rules_load(docs, tmp_path, monkeypatch):
    data = by(docs, "ConfigMap", "wirewatch-config")["data"]
    known = {
        f"WIREWATCH_{n}"
        for n in (
            "KAFKA_BOOTSTRAP",
            "TOPIC_PREFIX",
            "PARTITIONS",
            "METRICS_PORT",
            "STATE_DIR",
            "CACHE_DIR",
            "ACTORS",
            "RULES",
            "LOG_LEVEL",
        )
    }
    assert set(data) <= known, set(data) - known
    assert data["WIREWATCH_METRICS_PORT"] == "9100"
    for key, value in data.items():
        monkeypatch.setenv(key, value)
    settings = Settings.from_env()
    assert settings.external_broker and settings.partitions >= 2  # room for both enricher replicas

    rules = by(docs, "ConfigMap", "wirewatch-rules")["data"]
    (tmp_path / "rules.yaml").write_text(rules["rules.yaml"])
    (tmp_path / "actors.yaml").write_text(rules["actors.yaml"])
    ruleset = load_rules(
        str(tmp_path / "rules.yaml"), actors=load_actors(str(tmp_path / "actors.yaml"))
    )
    assert len(ruleset) >= 1


def _schema_dir() -> Path:
    kv = pytest.importorskip(
        "kubernetes_validate", reason="kubernetes-validate (dev dependency) not installed"
    )
    return Path(kv.__file__).parent / "kubernetes-json-schema" / f"v{K8S_VERSION}-local-strict"


def test_manifests_validate_against_kubernetes_schemas(docs):
    import kubernetes_validate

    _schema_dir()
    for d in docs:
        kubernetes_validate.validate(clean(d), K8S_VERSION, strict=True)
    broken = clean(by(docs, "Deployment", "wirewatch-enricher"))
    broken["spec"] = {**broken["spec"], "replica": 2}  # a typo must fail strict validation
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, K8S_VERSION, strict=True)


def _kubeconform() -> str | None:
    found = shutil.which("kubeconform")
    if found:
        return found
    local = Path(__file__).resolve().parents[2] / ".cache" / "bin" / "kubeconform"  # `make tools`
    if local.exists():
        return str(local)
    gopath = Path(os.environ.get("GOPATH", Path.home() / "go"))
    candidate = gopath / "bin" / "kubeconform"
    return str(candidate) if candidate.exists() else None


def test_kubeconform_offline(docs, tmp_path):
    binary = _kubeconform()
    if binary is None:
        pytest.skip(
            "kubeconform not installed (go install github.com/yannh/kubeconform/cmd/kubeconform@latest)"
        )
    # kubeconform fetches schemas over HTTP by default; give it kubernetes-validate's offline
    # copies instead, with the shared definitions inlined so each file stands alone.
    src = _schema_dir()
    definitions = json.loads((src / "_definitions.json").read_text())["$defs"]
    for name in ("configmap-v1", "service-v1", "deployment-apps-v1"):
        schema = json.loads((src / f"{name}.json").read_text())
        text = json.dumps({**schema, "$defs": definitions}).replace(
            '"/api/_definitions.json#/$defs/', '"#/$defs/'
        )
        (tmp_path / f"{name}.json").write_text(text)
    location = str(tmp_path / "{{ .ResourceKind }}{{ .KindSuffix }}.json")
    cmd = [binary, "-strict", "-summary", "-schema-location", location]
    done = subprocess.run([*cmd, *map(str, MANIFESTS)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Valid: {len(docs)}, Invalid: 0, Errors: 0" in done.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text((K8S / "enricher.yaml").read_text().replace("replicas: 2", 'replicas: "two"'))
    done = subprocess.run([*cmd, str(bad)], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "/spec/replicas" in done.stdout
