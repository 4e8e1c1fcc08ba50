"""Secret per-person iCal feed tokens: create, verify, revoke; only hashes are stored."""

from __future__ import annotations

import json

from planner.export.feeds import FeedStore


def test_create_verify_revoke(tmp_path):
    path = tmp_path / "private" / "feeds.json"
    store = FeedStore.open(path)
    token = store.create("M1")
    assert len(token) >= 40 and store.verify(token) == "M1"
    assert token not in path.read_text("utf-8")  # only the hash is stored
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    reopened = FeedStore.open(path)
    assert reopened.verify(token) == "M1" and reopened.active("M1")
    assert reopened.revoke("M1") == 1
    assert reopened.verify(token) is None and not reopened.active("M1")
    assert FeedStore.open(path).verify(token) is None  # revocation is saved


def test_new_token_replaces_old_and_revoke_by_token():
    store = FeedStore()
    old = store.create("M1")
    new = store.create("M1")
    other = store.create("M2")
    assert store.verify(old) is None and store.verify(new) == "M1"
    assert store.revoke(token=other) == 1 and store.verify(other) is None and store.verify(new) == "M1"
    assert store.verify("") is None and store.verify("x" * 500) is None and store.verify("raden") is None


def test_passed_in_mapping_is_used():
    backing: dict = {}
    token = FeedStore(backing).create("M7")
    assert list(backing.values())[0]["staff_id"] == "M7"
    assert FeedStore(backing).verify(token) == "M7"
    json.dumps(backing)  # plain JSON-able records
