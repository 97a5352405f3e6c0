"""Unit-test fixtures: ``engine`` runs a test once per rule matching engine."""

from __future__ import annotations

import os

import pytest

from wirewatch.rules.match import ENGINE_ENV, native_available


def native_required() -> bool:
    """``make test``/``make unit`` (and CI) must not skip the native engine's tests silently."""
    return os.environ.get("WIREWATCH_REQUIRE_NATIVE", "") not in ("", "0") or (
        os.environ.get("CI", "").lower() == "true"
    )


def need_native() -> None:
    if native_available():
        return
    if native_required():
        pytest.fail(
            "the native rule matcher (wirewatch_match) is not importable but is required "
            "(WIREWATCH_REQUIRE_NATIVE / CI): run `make install` with Rust (cargo) installed, "
            "or WIREWATCH_REQUIRE_NATIVE=0 to test the pure-Python engine only"
        )
    pytest.skip("wirewatch_match not built (make install builds it; needs cargo)")


@pytest.fixture(params=["python", "native"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Rule sets built in the test use this engine (``WIREWATCH_MATCH_ENGINE``)."""
    if request.param == "native":
        need_native()
    monkeypatch.setenv(ENGINE_ENV, request.param)
    return request.param


@pytest.fixture
def native() -> None:
    """The test needs the native engine (skipped, or failed where it is required)."""
    need_native()


@pytest.fixture
def native_is_required() -> bool:
    return native_required()
