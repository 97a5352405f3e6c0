"""The extended rule language: near, quoted, entity labels, source/language, throttle/group_by;
the one-scan engine (statement keywords from body offsets); dedup and throttle policy; reload."""

from __future__ import annotations

import json
import random
from pathlib import Path

import jsonschema
import pytest
import yaml

from wirewatch.rules import RulesError, parse_rules
from wirewatch.rules.live import LiveRules
from wirewatch.rules.match import ArticleView, KeywordScanner
from wirewatch.rules.policy import AlertPolicy, event_time, throttle_key

ROOT = Path(__file__).resolve().parents[2]
RULES_SCHEMA = json.loads((ROOT / "schemas" / "rules.schema.json").read_text())
ALERT_SCHEMA = json.loads((ROOT / "schemas" / "alert.schema.json").read_text())

BODY = (
    "Officials said the drone attack hit a power plant near Kyiv on Monday. "
    '"We will restore the grid within days," Energy Minister Olena Koval said. '
    "NATO's Jens Stoltenberg was mentioned in passing."
)


def span(text: str) -> dict:
    start = BODY.index(text)
    return {"text": text, "start": start, "end": start + len(text)}


def article(**over) -> dict:
    doc = {
        "id": "a1", "version": 1, "uri": None, "headline": "Drone strike on plant", "body": BODY,
        "language": "en-GB", "source": "Reuters",
        "entities": [
            {"text": "Kyiv", "label": "GPE", "start": 0, "end": 1, "actor_id": None},
            {"text": "Olena Koval", "label": "PERSON", "start": 0, "end": 1, "actor_id": "koval"},
            {"text": "Jens Stoltenberg", "label": "PERSON", "start": 0, "end": 1, "actor_id": None},
        ],
        "actors": [{"id": "koval", "name": "Olena Koval", "type": "person", "mentions": 1,
                    "statements": ["s1"]}],
        "statements": [{
            "id": "s1", "kind": "direct", "cue": None, "reported_by": None, "confidence": 0.9,
            "speaker": {"text": "Energy Minister Olena Koval", "start": 0, "end": 1,
                        "name": "Olena Koval", "actor_id": "koval"},
            "content": span("We will restore the grid within days"),
        }],
    }  # fmt: skip
    doc.update(over)
    return doc


def fired(rules: list[dict], art: dict | None = None) -> list[str]:
    rs = parse_rules({"rules": rules}, source="t.yaml")
    return [a["rule_id"] for a in rs.match(art or article())]


# --------------------------------------------------------------------------- language


def test_near_within_n_words_either_order_not_across_headline_and_body():
    assert fired([{"id": "r", "near": {"terms": ["drone", "plant"], "within": 5}}]) == ["r"]
    assert fired([{"id": "r", "near": {"terms": ["plant", "drone*"], "within": 5}}]) == ["r"]
    assert fired([{"id": "r", "near": {"terms": ["drone", "plant"], "within": 2}}]) == []
    assert fired([{"id": "r", "near": [{"terms": ["drone", "attack"], "within": 1},
                                       {"terms": ["power plant", "kyiv"], "within": 3}]}]) == ["r"]  # fmt: skip
    # "strike" is only in the headline, "power" only in the body: never near each other.
    assert fired([{"id": "r", "near": {"terms": ["strike", "officials"], "within": 50}}]) == []


def test_quoted_true_false_and_alone():
    assert fired([{"id": "r", "actors": "Olena Koval", "quoted": True}]) == ["r"]
    assert fired([{"id": "r", "actors": "Stoltenberg", "quoted": True}]) == []
    assert fired([{"id": "r", "actors": "Stoltenberg", "quoted": False}]) == ["r"]
    assert fired([{"id": "r", "actors": "Koval", "quoted": False}]) == []
    assert fired([{"id": "r", "quoted": True}]) == ["r"]
    assert fired([{"id": "r", "quoted": True}], article(statements=[], actors=[])) == []


def test_entity_labels_source_and_language_filters():
    assert fired([{"id": "r", "entities": {"all": ["person", "GPE"], "none": "ORG"}}]) == ["r"]
    assert fired([{"id": "r", "entities": "ORG"}]) == []
    assert fired([{"id": "r", "source": ["reuters", "AP"], "keywords": "drone"}]) == ["r"]
    assert fired([{"id": "r", "source": {"none": "Reuters"}, "keywords": "drone"}]) == []
    assert fired([{"id": "r", "language": "en", "keywords": "grid"}]) == ["r"]  # en matches en-GB
    assert fired([{"id": "r", "language": "de", "keywords": "grid"}]) == []
    assert fired([{"id": "r", "language": "en"}], article(language=None)) == []


def test_said_uses_body_offsets_of_the_one_scan_and_agrees_with_a_separate_scan():
    rules = [{"id": "said", "speaker": "Koval", "said": {"all": ["restore", "grid"]}},
             {"id": "not-said", "speaker": "Koval", "said": "drone"}]  # fmt: skip
    assert fired(rules) == ["said"]
    # Offsets that do not point into the body: the statement is scanned on its own.
    bad = article()
    bad["statements"][0]["content"] = {"text": "we will restore the grid", "start": 0, "end": 3}
    assert fired(rules, bad) == ["said"]


def test_one_scan_statement_terms_equal_separate_scans_on_messy_whitespace():
    rng = random.Random(3)
    words = ["grid", "Grid", "power  plant", "power\n\nplant", "drone", "x", "\u2019s", "a\u00a0b"]
    scanner = KeywordScanner(["grid", "power plant", "drone*", "'s", "a b"])
    for _ in range(200):
        parts = [rng.choice(words) for _ in range(12)]
        body = ("  " if rng.random() < 0.5 else " \n").join(parts)
        s0 = body.index(rng.choice(parts))
        doc = {"id": "x", "headline": "H", "body": body, "statements": [
            {"id": "all", "content": {"text": body, "start": 0, "end": len(body)}},
            {"id": "sub", "content": {"text": body[s0:], "start": s0, "end": len(body)}}]}  # fmt: skip
        view = ArticleView(doc, scanner)
        by_id = {s.id: s.terms for s in view.statements}
        assert by_id["all"] == scanner.scan(body)
        assert by_id["sub"] == scanner.scan(body[s0:])
        assert view.text_terms == scanner.scan(body) | scanner.scan("H")


@pytest.mark.parametrize(
    ("rule", "field", "message"),
    [
        ({"id": "r", "near": {"terms": ["a"], "within": 3}}, "near.terms", "exactly two"),
        ({"id": "r", "near": {"terms": ["a", "b"], "within": 0}}, "near.within", "1 to 100"),
        ({"id": "r", "near": {"terms": ["a", "b*c"], "within": 2}}, "near.terms[1]", "only allowed at the end"),
        ({"id": "r", "near": [{"terms": ["a", "b"], "within": 2, "x": 1}]}, "near[0].x", "unknown key"),
        ({"id": "r", "quoted": "yes"}, "quoted", "true or false"),
        ({"id": "r", "entities": "two words"}, "entities", "one word"),
        ({"id": "r", "language": "12"}, "language", "language tag"),
        ({"id": "r", "source": ""}, "source", "non-empty"),
        ({"id": "r", "keywords": "a", "throttle": "ten minutes"}, "throttle", "not a duration"),
        ({"id": "r", "keywords": "a", "throttle": "10m", "group_by": "topic"}, "group_by", "speaker, actor"),
        ({"id": "r", "keywords": "a", "group_by": "speaker"}, "group_by", "throttle"),
        ({"id": "r", "keywords": "a", "sinks": [{"webhook": "ftp://x"}]}, "sinks[0].webhook", "http"),
        ({"id": "r", "keywords": "a", "sinks": [{"pager": "http://x"}]}, "sinks[0]", "{webhook: URL}"),
    ],
)  # fmt: skip
def test_errors_name_the_rule_and_the_field_and_schema_agrees(rule, field, message):
    with pytest.raises(RulesError) as info:
        parse_rules({"rules": [rule]}, source="t.yaml")
    assert info.value.rule_id == "r" and info.value.field == field
    assert message in str(info.value) and "t.yaml: rule 'r' (rules[0])" in str(info.value)
    if field != "group_by" or "throttle" not in message:  # a cross-field check the schema skips
        assert list(jsonschema.Draft202012Validator(RULES_SCHEMA).iter_errors({"rules": [rule]}))


def test_new_features_validate_against_schema_and_parse():
    doc = {"rules": [
        {"id": "a", "near": {"terms": ["drone", "plant"], "within": 5}, "throttle": "10m",
         "group_by": "speaker", "sinks": ["log", {"webhook": "https://example.org/h"}, "slack"]},
        {"id": "b", "actors": ["Koval"], "quoted": True, "entities": {"any": ["PERSON"]},
         "source": ["reuters"], "language": "en", "throttle": 90},
    ]}  # fmt: skip
    jsonschema.Draft202012Validator(RULES_SCHEMA).validate(doc)
    rs = parse_rules(doc)
    assert [r.throttle for r in rs] == [600.0, 90.0]
    alerts = rs.match(article())
    assert [a["rule_id"] for a in alerts] == ["a", "b"]
    assert alerts[0]["group"] == "koval"
    assert alerts[0]["sinks"] == ["log", {"webhook": "https://example.org/h"}, "slack"]
    for a in alerts:
        jsonschema.validate({**a, "suppressed": 0}, ALERT_SCHEMA)


def test_seed_rules_file_validates_and_keeps_firing():
    data = yaml.safe_load((ROOT / "seeds" / "rules.example.yaml").read_text())
    jsonschema.Draft202012Validator(RULES_SCHEMA).validate(data)


# --------------------------------------------------------------------------- dedup/throttle


def alert(rule="r", aid="a1", group=None, grouped=False) -> dict:
    out = {"id": f"{rule}:{aid}", "rule_id": rule, "article_id": aid}
    if grouped:
        out["group"] = group
    return out


def test_dedup_one_alert_per_rule_and_article_also_with_a_fresh_policy_over_the_same_stores():
    seen: dict = {}
    policy = AlertPolicy(seen, {})
    assert policy.admit(alert(), 1.0) is not None
    assert policy.admit(alert(), 2.0) is None
    restarted = AlertPolicy(seen, {})  # state lives in the stores (Faust tables live)
    assert restarted.admit(alert(), 3.0) is None
    assert restarted.admit(alert(aid="a2"), 3.0)["id"] == "r:a2"


def test_throttle_window_counts_suppressed_and_resets():
    policy = AlertPolicy({}, {}, {"r": 600})
    assert policy.admit(alert(aid="1"), 0)["suppressed"] == 0
    assert policy.admit(alert(aid="2"), 10) is None
    assert policy.admit(alert(aid="2"), 11) is None  # a re-delivery is not counted twice
    assert policy.admit(alert(aid="3"), 599) is None
    out = policy.admit(alert(aid="4"), 600)
    assert out["suppressed"] == 2
    assert policy.admit(alert(aid="5"), 700) is None
    assert policy.admit(alert(aid="6"), 1300)["suppressed"] == 1
    assert "suppressed" not in policy.admit(alert("other", aid="7"), 701)  # unthrottled rule


def test_throttle_per_group():
    policy = AlertPolicy({}, {}, {"r": 60})
    a = policy.admit(alert(aid="1", group="koval", grouped=True), 0)
    b = policy.admit(alert(aid="2", group="kuleba", grouped=True), 1)
    c = policy.admit(alert(aid="3", group="koval", grouped=True), 2)
    assert a and b and c is None
    assert throttle_key(alert(group="koval", grouped=True)) == "r|koval"


def test_decide_does_not_touch_state_until_commit():
    seen, windows = {}, {}
    policy = AlertPolicy(seen, windows, {"r": 60})
    decision = policy.decide(alert(), 0)
    assert decision.alert is not None and not seen and not windows
    policy.commit(decision)
    assert seen and windows


def test_event_time_from_published_at():
    assert event_time({"published_at": "2022-03-01T17:30:00Z"}) == 1646155800.0
    assert event_time({"published_at": "garbage"}) > 1.6e9


# --------------------------------------------------------------------------- reload


def test_live_rules_reload_file_and_keep_last_good_and_topic_rules(tmp_path, caplog):
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump({"rules": [{"id": "a", "keywords": "drone"}]}))
    live = LiveRules(path)
    assert [r.id for r in live.ruleset] == ["a"] and not live.reload_file()
    path.write_text(yaml.safe_dump({"rules": [{"id": "b", "keywords": "grid", "throttle": "1h"}]}))
    assert live.reload_file()
    assert [a["rule_id"] for a in live.ruleset.match(article())] == ["b"]
    path.write_text("rules: [{id: c}]\n  bad")
    assert not live.reload_file()  # keeps b, logs the error
    assert [r.id for r in live.ruleset] == ["b"]
    assert "not reloaded" in caplog.text
    live.set_topic_rules({"t": {"id": "t", "keywords": "plant"}, "bad": {"id": "bad"}})
    assert [r.id for r in live.ruleset] == ["b", "t"]
    assert "skipping rule 'bad'" in caplog.text


def test_seen_expiry_forgets_ids_older_than_the_ttl_per_partition():
    from wirewatch.rules.policy import SeenExpiry

    expiry = SeenExpiry(ttl=100.0)
    expiry.track(0, {"a": 10.0, "b": 50.0})
    expiry.track(1, {"c": 20.0})
    assert expiry.expired(0, 100.0) == []  # nothing is older than 100 s yet
    assert expiry.expired(0, 155.0) == ["a", "b"]
    assert expiry.expired(0, 155.0) == []  # forgotten once
    assert expiry.expired(1, 115.0) == []  # partition 1 keeps its own order
    assert expiry.expired(1, 121.0) == ["c"]


def test_seen_expiry_puts_restored_ids_first_and_a_zero_ttl_keeps_everything():
    from wirewatch.rules.policy import SeenExpiry

    expiry = SeenExpiry(ttl=100.0)
    expiry.track(2, {"new": 500.0})
    expiry.adopt([(2, "old-b", 300.0), (2, "old-a", 200.0), (2, "new", 500.0)])
    assert len(expiry) == 3
    assert expiry.expired(2, 450.0) == ["old-a", "old-b"]
    forever = SeenExpiry(ttl=0)
    forever.track(0, {"a": 1.0})
    assert forever.expired(0, 1e12) == [] and len(forever) == 0


def test_an_expired_alert_id_alerts_again_and_a_remembered_one_does_not():
    from wirewatch.rules.policy import AlertPolicy, SeenExpiry

    seen: dict = {}
    policy = AlertPolicy(seen, {})
    expiry = SeenExpiry(ttl=3600.0)
    alert = {"id": "al-1", "rule_id": "r1", "article_id": "a1"}
    other = {"id": "al-2", "rule_id": "r1", "article_id": "a2"}
    sent = []
    # As the agent does: decide, commit, then forget what is older than the TTL at this event's time.
    for at, a in ((1000.0, alert), (2000.0, alert), (4700.0, other), (5000.0, alert)):
        decision = policy.decide(a, at)
        policy.commit(decision)
        sent += [(at, decision.alert["id"])] if decision.alert else []
        expiry.track(0, decision.seen)
        for key in expiry.expired(0, at):
            seen.pop(key, None)
    # The repeat within the hour is dropped; at 4700 al-1 (from 1000) is forgotten, so it alerts again.
    assert sent == [(1000.0, "al-1"), (4700.0, "al-2"), (5000.0, "al-1")]
    assert set(seen) == {"al-1", "al-2"}
