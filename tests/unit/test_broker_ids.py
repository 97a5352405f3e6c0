"""The local broker's cluster id: Kafka's Uuid text form, never starting with "-"."""

from __future__ import annotations

import base64
import uuid

from wirewatch import broker


def test_cluster_id_is_kafkas_uuid_form():
    cid = broker._new_cluster_id()
    assert len(cid) == 22 and "=" not in cid
    assert len(base64.urlsafe_b64decode(cid + "==")) == 16


def test_cluster_id_never_starts_with_a_dash(monkeypatch):
    # 0xF8 encodes to "-" first: the storage tool would read the id as a missing value
    draws = iter([uuid.UUID(bytes=b"\xf8" + b"\x00" * 15), uuid.UUID(bytes=b"\x10" * 16)])
    monkeypatch.setattr(broker.uuid, "uuid4", lambda: next(draws))
    assert base64.urlsafe_b64encode(b"\xf8" + b"\x00" * 15).decode().startswith("-")
    cid = broker._new_cluster_id()
    assert not cid.startswith("-")
    assert cid == base64.urlsafe_b64encode(b"\x10" * 16).decode().rstrip("=")
