"""Loading and validating rule files: every error names the file, the rule and the field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wirewatch.actors import parse_actors
from wirewatch.rules import Rule, RulesError, RuleSet, Terms, load_rules, parse_rules


def parse(*items, **kw):
    return parse_rules({"rules": list(items)}, source="rules.yaml", **kw)


def error_of(*items) -> RulesError:
    with pytest.raises(RulesError) as info:
        parse(*items)
    return info.value


OK = {"id": "ok", "keywords": "nuclear"}


# --------------------------------------------------------------------------- the happy path


def test_parse_normalises_shorthands():
    rs = parse(
        {"id": "a", "keywords": "nuclear", "said": ["troops", "jets"], "speaker": "Stoltenberg"},
        {
            "id": "b",
            "actors": {"all": "IAEA", "none": ["Iran", "Iran"]},
            "description": "d",
            "sinks": ["log", "file"],
        },
        {"id": "  c  ", "keywords": {"any": ["  nuclear* "]}},
    )
    a, b, c = rs
    assert a == Rule(
        id="a",
        index=0,
        keywords=Terms(any=("nuclear",)),
        said=Terms(any=("troops", "jets")),
        speaker=("Stoltenberg",),
    )
    assert b.actors == Terms(all=("IAEA",), none=("Iran",))  # duplicates dropped
    assert (b.description, b.sinks, b.index) == ("d", ("log", "file"), 1)
    assert (c.id, c.keywords.any) == ("c", ("nuclear*",))
    assert len(rs) == 3


def test_load_yaml_and_json_agree(tmp_path: Path):
    doc = {"rules": [{"id": "x", "speaker": ["Kuleba", "Zelensky"], "said": {"all": ["NATO"]}}]}
    (tmp_path / "r.json").write_text(json.dumps(doc))
    (tmp_path / "r.yaml").write_text(
        "rules:\n  - id: x\n    speaker: [Kuleba, Zelensky]\n    said: {all: [NATO]}\n"
    )
    from_json, from_yaml = load_rules(tmp_path / "r.json"), load_rules(str(tmp_path / "r.yaml"))
    assert list(from_json) == list(from_yaml)
    assert from_json.source.endswith("r.json")


def test_actors_are_passed_through(tmp_path: Path):
    index = parse_actors({"actors": [{"id": "nato", "name": "NATO"}]})
    (tmp_path / "r.yaml").write_text("rules: [{id: x, actors: NATO}]\n")
    assert load_rules(tmp_path / "r.yaml", actors=index).actors is index


def test_said_alone_is_allowed():
    (rule,) = parse({"id": "anyone", "said": "retreat"})
    assert rule.said == Terms(any=("retreat",)) and rule.speaker == ()


# --------------------------------------------------------------------------- errors per field


@pytest.mark.parametrize(
    ("rule", "field", "fragment"),
    [
        (
            {"id": "r", "keywords": {"al": ["a"]}},
            "keywords.al",
            "unknown key; expected any, all, none",
        ),
        ({"id": "r", "said": {"every": "a"}, "speaker": "x"}, "said.every", "unknown key"),
        ({"id": "r", "actors": {"some": "NATO"}}, "actors.some", "unknown key"),
        ({"id": "r", "keyword": "a"}, "keyword", "unknown key; expected one of id, description"),
        ({"id": "r", "keywords": [1]}, "keywords[0]", "keywords must be strings, got number 1"),
        ({"id": "r", "keywords": {"all": ["a", False]}}, "keywords.all[1]", "boolean false"),
        ({"id": "r", "keywords": {"none": None}}, "keywords.none", "null"),
        ({"id": "r", "keywords": ""}, "keywords", "empty keyword"),
        ({"id": "r", "keywords": ["a", "   "]}, "keywords[1]", "empty keyword"),
        ({"id": "r", "keywords": "nu*clear"}, "keywords", "'*' is only allowed at the end"),
        ({"id": "r", "keywords": "*clear"}, "keywords", "'*' is only allowed at the end"),
        ({"id": "r", "keywords": "*"}, "keywords", "needs at least one character before '*'"),
        ({"id": "r", "keywords": "nuclear **"}, "keywords", "'*' is only allowed at the end"),
        ({"id": "r", "keywords": "nuclear *"}, "keywords", "no space before the trailing '*'"),
        (
            {"id": "r", "said": {"any": ["troops*x"]}},
            "said.any[0]",
            "'*' is only allowed at the end",
        ),
        ({"id": "r", "keywords": []}, "keywords", "empty list"),
        ({"id": "r", "keywords": {}}, "keywords", "empty mapping"),
        ({"id": "r", "keywords": {"all": []}}, "keywords.all", "empty list"),
        ({"id": "r", "keywords": 5}, "keywords", "expected a string, a list, or a mapping"),
        ({"id": "r", "keywords": {"all": {"x": 1}}}, "keywords.all", "expected a string or a list"),
        (
            {"id": "r", "keywords": {"all": ["Iran"], "none": ["iran"]}},
            "keywords.none[0]",
            "both required and excluded",
        ),
        (
            {"id": "r", "said": {"any": "jets", "none": "JETS"}, "speaker": "x"},
            "said.none",
            "both required and excluded",
        ),
        (
            {"id": "r", "actors": {"any": ["NATO", "y"], "none": ["x", "the NATO"]}},
            "actors.none[1]",
            "both required and excluded",
        ),
        ({"id": "r", "actors": ["NATO", ""]}, "actors[1]", "empty actor name"),
        ({"id": "r", "actors": ["..."]}, "actors[0]", "no letters or digits"),
        ({"id": "r", "actors": {"all": [3]}}, "actors.all[0]", "actor names must be strings"),
        ({"id": "r", "speaker": []}, "speaker", "non-empty list"),
        ({"id": "r", "speaker": {"any": "x"}}, "speaker", "expected an actor id/name"),
        ({"id": "r", "speaker": ["Kuleba", None]}, "speaker[1]", "actor names must be strings"),
        ({"id": "r", "speaker": "  "}, "speaker", "empty actor name"),
        ({"id": "r", "keywords": "a", "description": 3}, "description", "expected a string"),
        ({"id": "r", "keywords": "a", "sinks": "log"}, "sinks", "non-empty list of sink names"),
        ({"id": "r", "keywords": "a", "sinks": []}, "sinks", "non-empty list"),
        (
            {"id": "r", "keywords": "a", "sinks": ["log", "pager"]},
            "sinks[1]",
            "unknown sink 'pager'; expected one of log, file, webhook, slack",
        ),
        ({"id": "r", "keywords": "a", "sinks": ["log", "log"]}, "sinks[1]", "listed twice"),
    ],
)
def test_field_errors_name_file_rule_and_field(rule, field, fragment):
    err = error_of(OK, rule)
    text = str(err)
    assert text.startswith(f"rules.yaml: rule 'r' (rules[1]): field '{field}': "), text
    assert fragment in text
    assert (err.rule_id, err.index, err.field, err.source) == ("r", 1, field, "rules.yaml")


def test_the_documented_example_message():
    err = error_of(OK, {"id": "iaea-nuclear", "keywords": {"al": ["nuclear"]}})
    assert str(err) == (
        "rules.yaml: rule 'iaea-nuclear' (rules[1]): field 'keywords.al': unknown key; expected any, all, none"
    )


def test_rule_without_conditions():
    err = error_of({"id": "empty", "description": "nothing to match"})
    assert str(err).startswith("rules.yaml: rule 'empty' (rules[0]): rule has no conditions")
    assert "keywords, near, said, speaker, actors" in str(err)


@pytest.mark.parametrize(
    ("rule", "fragment"),
    [
        ({"keywords": "a"}, "field 'id': required"),
        ({"id": "", "keywords": "a"}, "field 'id': expected a non-empty string"),
        ({"id": 7, "keywords": "a"}, "field 'id': expected a non-empty string, got number 7"),
        ({"id": "two words", "keywords": "a"}, "field 'id': 'two words': use letters, digits"),
        ("just a string", "expected a mapping"),
        (None, "expected a mapping"),
    ],
)
def test_rule_without_usable_id_is_named_by_index(rule, fragment):
    err = error_of(OK, rule)
    assert str(err).startswith("rules.yaml: rules[1]: ")
    assert fragment in str(err)
    assert err.rule_id is None and err.index == 1


def test_duplicate_rule_ids():
    err = error_of(
        {"id": "a", "keywords": "x"}, {"id": "b", "keywords": "y"}, {"id": "a", "keywords": "z"}
    )
    assert str(err).startswith(
        "rules.yaml: rule 'a' (rules[2]): field 'id': duplicate rule id; first defined at rules[0]"
    )


def test_ruleset_constructor_rejects_duplicate_ids_too():
    with pytest.raises(RulesError, match="duplicate rule id"):
        RuleSet(
            [Rule("a", 0, keywords=Terms(any=("x",))), Rule("a", 1, keywords=Terms(any=("y",)))]
        )


@pytest.mark.parametrize(
    ("doc", "fragment"),
    [
        (None, "the file is empty"),
        ([], "expected a mapping with a 'rules' list"),
        ({"rule": []}, "expected a mapping with a 'rules' list"),
        ({"rules": []}, "field 'rules': empty list; define at least one rule"),
        ({"rules": {"id": "a"}}, "field 'rules': expected a list of rules, got a mapping"),
        ({"rules": [OK], "version": 2}, "unknown top-level key(s) ['version']"),
    ],
)
def test_document_level_errors(doc, fragment):
    with pytest.raises(RulesError) as info:
        parse_rules(doc, source="rules.yaml")
    assert str(info.value).startswith("rules.yaml: ")
    assert fragment in str(info.value)


# --------------------------------------------------------------------------- files


def test_yaml_errors_carry_the_line(tmp_path: Path):
    path = tmp_path / "rules.yaml"
    path.write_text(
        "rules:\n"
        "  - id: ok\n"
        "    keywords: nuclear\n"
        "  - id: iaea-nuclear\n"
        "    actors: IAEA\n"
        "    keywords:\n"
        "      al: [nuclear]\n"
    )
    with pytest.raises(RulesError) as info:
        load_rules(path)
    assert str(info.value) == (
        f"{path}: rule 'iaea-nuclear' (rules[1]): field 'keywords.al': unknown key; "
        "expected any, all, none (line 7)"
    )
    assert info.value.line == 7


def test_yaml_line_for_list_item_and_rule(tmp_path: Path):
    path = tmp_path / "rules.yaml"
    path.write_text(
        "rules:\n  - id: a\n    keywords:\n      - fine\n      - bad*word\n  - {id: b}\n"
    )
    with pytest.raises(RulesError) as info:
        load_rules(path)
    assert info.value.field == "keywords[1]" and info.value.line == 5
    path.write_text("rules:\n  - id: a\n    keywords: x\n  - {id: b}\n")
    with pytest.raises(RulesError) as info:
        load_rules(path)
    assert "rule 'b' (rules[1]): rule has no conditions" in str(info.value) and info.value.line == 4


def test_yaml_booleans_get_a_quoting_hint(tmp_path: Path):
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  - id: a\n    keywords: [yes, no]\n")
    with pytest.raises(
        RulesError,
        match=r"field 'keywords\[0\]': keywords must be strings, got boolean true .*quote it",
    ):
        load_rules(path)


def test_yaml_duplicate_keys_are_rejected(tmp_path: Path):
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  - id: a\n    keywords: x\n    keywords: y\n")
    with pytest.raises(RulesError) as info:
        load_rules(path)
    assert "not valid YAML" in str(info.value) and "duplicate key 'keywords'" in str(info.value)
    assert "line 4" in str(info.value)


def test_unreadable_and_malformed_files(tmp_path: Path):
    with pytest.raises(RulesError, match=r"missing\.yaml: cannot read rules file"):
        load_rules(tmp_path / "missing.yaml")
    bad_json = tmp_path / "r.json"
    bad_json.write_text("{rules: ")
    with pytest.raises(RulesError, match=r"r\.json: not valid JSON"):
        load_rules(bad_json)
    bad_yaml = tmp_path / "r.yaml"
    bad_yaml.write_text("rules: [\n")
    with pytest.raises(RulesError, match=r"r\.yaml: not valid YAML"):
        load_rules(bad_yaml)
    empty = tmp_path / "e.yaml"
    empty.write_text("# nothing\n")
    with pytest.raises(RulesError, match=r"e\.yaml: the file is empty"):
        load_rules(empty)


def test_json_errors_have_no_line(tmp_path: Path):
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"rules": [{"id": "a", "sinks": ["pager"], "keywords": "x"}]}))
    with pytest.raises(RulesError) as info:
        load_rules(path)
    assert info.value.line is None
    assert (
        str(info.value)
        == f"{path}: rule 'a' (rules[0]): field 'sinks[0]': unknown sink 'pager'; expected one of log, file, webhook, slack or {{webhook: URL}}"
    )


def test_rules_error_is_a_value_error():
    assert issubclass(RulesError, ValueError)
