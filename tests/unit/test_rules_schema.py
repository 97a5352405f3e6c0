"""schemas/rules.schema.json and schemas/actors.schema.json describe the files the loaders accept."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from wirewatch.actors import ActorsFileError, load_actors, parse_actors
from wirewatch.rules import RulesError, load_rules, parse_rules

ROOT = Path(__file__).resolve().parents[2]
RULES_SCHEMA = json.loads((ROOT / "schemas" / "rules.schema.json").read_text())
ACTORS_SCHEMA = json.loads((ROOT / "schemas" / "actors.schema.json").read_text())


def rules_validator():
    jsonschema.Draft202012Validator.check_schema(RULES_SCHEMA)
    return jsonschema.Draft202012Validator(RULES_SCHEMA)


def test_schemas_are_draft_2020_12():
    for schema in (RULES_SCHEMA, ACTORS_SCHEMA):
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        jsonschema.Draft202012Validator.check_schema(schema)


def test_seed_rules_validate_against_schema_and_load():
    data = yaml.safe_load((ROOT / "seeds" / "rules.example.yaml").read_text())
    rules_validator().validate(data)
    assert len(load_rules(ROOT / "seeds" / "rules.example.yaml")) == len(data["rules"]) == 7


def test_seed_actors_validate_against_schema_and_load():
    data = yaml.safe_load((ROOT / "seeds" / "actors.example.yaml").read_text())
    jsonschema.Draft202012Validator(ACTORS_SCHEMA).validate(data)
    assert len(load_actors(ROOT / "seeds" / "actors.example.yaml")) == len(data["actors"])


GOOD_RULES = [
    {"id": "a", "keywords": "nuclear"},
    {"id": "b", "keywords": ["nuclear*", "combat jets", "u.n."]},
    {
        "id": "c",
        "keywords": {"any": "x", "all": ["y"], "none": ["z"]},
        "description": "d",
        "sinks": ["file"],
    },
    {"id": "d", "speaker": "Kuleba", "said": {"all": ["NATO"]}},
    {"id": "e", "speaker": ["Kuleba", "Zelensky"]},
    {"id": "f", "said": "retreat"},
    {"id": "g:1.x_y-z", "actors": {"all": ["IAEA"], "none": "Iran"}},
]

BAD_RULES = [
    {"id": "a"},  # no conditions
    {"keywords": "x"},  # no id
    {"id": "two words", "keywords": "x"},
    {"id": "a", "keywords": "x", "extra": 1},
    {"id": "a", "keywords": {"al": ["x"]}},
    {"id": "a", "keywords": {}},
    {"id": "a", "keywords": []},
    {"id": "a", "keywords": {"all": []}},
    {"id": "a", "keywords": [1]},
    {"id": "a", "keywords": ""},
    {"id": "a", "keywords": "  "},
    {"id": "a", "keywords": "nu*clear"},
    {"id": "a", "keywords": "*clear"},
    {"id": "a", "keywords": "*"},
    {"id": "a", "keywords": "nuclear *"},
    {"id": "a", "keywords": "nuclear**"},
    {"id": "a", "said": [True]},
    {"id": "a", "speaker": []},
    {"id": "a", "speaker": {"any": "x"}},
    {"id": "a", "speaker": ""},
    {"id": "a", "actors": ["..."]},
    {"id": "a", "actors": {"some": "x"}},
    {"id": "a", "keywords": "x", "sinks": ["pager"]},
    {"id": "a", "keywords": "x", "sinks": []},
    {"id": "a", "keywords": "x", "sinks": ["log", "log"]},
    {"id": "a", "keywords": "x", "description": 1},
]


@pytest.mark.parametrize("rule", GOOD_RULES, ids=lambda r: r["id"])
def test_schema_and_loader_accept_the_same_rules(rule):
    doc = {"rules": [rule]}
    rules_validator().validate(doc)
    assert len(parse_rules(doc)) == 1


@pytest.mark.parametrize("rule", BAD_RULES, ids=lambda r: json.dumps(r))
def test_schema_and_loader_reject_the_same_rules(rule):
    doc = {"rules": [rule]}
    assert list(rules_validator().iter_errors(doc)), "schema accepted it"
    with pytest.raises(RulesError):
        parse_rules(doc)


@pytest.mark.parametrize(
    "doc", [{}, {"rules": []}, {"rules": [GOOD_RULES[0]], "x": 1}, {"rules": {}}]
)
def test_schema_and_loader_reject_bad_documents(doc):
    assert list(rules_validator().iter_errors(doc))
    with pytest.raises(RulesError):
        parse_rules(doc)


@pytest.mark.parametrize(
    "doc",
    [
        {"actors": [{"id": "a"}]},
        {"actors": [{"id": "a", "name": " "}]},
        {"actors": [{"id": "a", "name": "A", "type": "company"}]},
        {"actors": [{"id": "a", "name": "A", "aliases": "B"}]},
        {"actors": [{"id": "a", "name": "A", "aliases": [""]}]},
        {"actors": [{"id": "a", "name": "A", "role": "x"}]},
        {"actors": [], "extra": 1},
        {"people": []},
    ],
)
def test_actors_schema_and_loader_reject_the_same_files(doc):
    assert list(jsonschema.Draft202012Validator(ACTORS_SCHEMA).iter_errors(doc))
    with pytest.raises(ActorsFileError):
        parse_actors(doc)
