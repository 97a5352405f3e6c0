"""Kafka security settings (TLS, SASL PLAIN/SCRAM) for every client wirewatch opens.

One place turns the ``WIREWATCH_KAFKA_*`` settings into aiokafka keyword arguments and Faust
broker credentials, so the producer CLI, the consumers and the agents connect the same way.
"""

from __future__ import annotations

import ssl
from typing import Any

from wirewatch.config import ConfigError, Settings

PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")


def check(settings: Settings) -> None:
    """Refuse combinations that cannot work, before any connection is tried."""
    proto = settings.kafka_security_protocol
    if proto not in PROTOCOLS:
        raise ConfigError(
            f"WIREWATCH_KAFKA_SECURITY_PROTOCOL={proto!r}: expected one of {', '.join(PROTOCOLS)}"
        )
    if proto.startswith("SASL_"):
        if settings.kafka_sasl_mechanism not in MECHANISMS:
            raise ConfigError(
                f"WIREWATCH_KAFKA_SASL_MECHANISM={settings.kafka_sasl_mechanism!r}: expected one of "
                f"{', '.join(MECHANISMS)}"
            )
        if not settings.kafka_sasl_username or not settings.kafka_sasl_password:
            raise ConfigError(
                f"{proto} needs WIREWATCH_KAFKA_SASL_USERNAME and WIREWATCH_KAFKA_SASL_PASSWORD"
            )


def ssl_context(settings: Settings) -> ssl.SSLContext | None:
    if not settings.kafka_security_protocol.endswith("SSL"):
        return None
    try:
        ctx = ssl.create_default_context(cafile=settings.kafka_ssl_cafile or None)
        if settings.kafka_ssl_certfile:
            ctx.load_cert_chain(settings.kafka_ssl_certfile, settings.kafka_ssl_keyfile or None)
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(
            f"cannot load TLS files (WIREWATCH_KAFKA_SSL_CAFILE/CERTFILE/KEYFILE): {exc}"
        ) from None
    return ctx


def aiokafka_kwargs(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for AIOKafkaProducer/Consumer/AdminClient."""
    check(settings)
    kwargs: dict[str, Any] = {
        "bootstrap_servers": settings.bootstrap,
        "security_protocol": settings.kafka_security_protocol,
    }
    ctx = ssl_context(settings)
    if ctx is not None:
        kwargs["ssl_context"] = ctx
    if settings.kafka_security_protocol.startswith("SASL_"):
        kwargs.update(
            sasl_mechanism=settings.kafka_sasl_mechanism,
            sasl_plain_username=settings.kafka_sasl_username,
            sasl_plain_password=settings.kafka_sasl_password,
        )
    return kwargs


def faust_credentials(settings: Settings) -> Any:
    """``broker_credentials`` for faust.App (None for PLAINTEXT)."""
    import faust

    check(settings)
    proto = settings.kafka_security_protocol
    if proto == "PLAINTEXT":
        return None
    ctx = ssl_context(settings)
    if proto == "SSL":
        return faust.SSLCredentials(ctx)
    return faust.SASLCredentials(
        username=settings.kafka_sasl_username,
        password=settings.kafka_sasl_password,
        ssl_context=ctx,
        mechanism=settings.kafka_sasl_mechanism,
    )
