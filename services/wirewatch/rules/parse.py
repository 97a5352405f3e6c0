"""Load and validate a rules file (YAML or JSON) into :class:`~wirewatch.rules.match.RuleSet`.

Validation is hand-written rather than delegated to ``schemas/rules.schema.json`` so that every
error names the file, the rule (id and index), the field and what to do. The schema describes the
same structure; a test keeps the two in step on the seed file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ..actors import normalize_name
from .match import RuleSet
from .model import (
    CONDITION_KEYS,
    RULE_KEYS,
    SINK_NAMES,
    TERM_MODES,
    Rule,
    RulesError,
    Terms,
    keyword_key,
    keyword_problem,
)

if TYPE_CHECKING:
    from ..actors import ActorIndex

_RULE_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-")


def load_rules(path: str | Path, actors: ActorIndex | None = None) -> RuleSet:
    """Read, validate and compile a rules file. ``.json`` is read as JSON, anything else as YAML.

    Raises :class:`RulesError` naming file, rule, field (and the YAML line when known).
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesError(f"cannot read rules file ({exc.strerror})", source=str(p)) from None
    is_json = p.suffix.lower() == ".json"
    try:
        data = json.loads(text) if is_json else yaml.load(text, Loader=_StrictLoader)  # noqa: S506
    except json.JSONDecodeError as exc:
        raise RulesError(f"not valid JSON: {exc}", source=str(p)) from None
    except yaml.YAMLError as exc:
        raise RulesError(f"not valid YAML: {exc}", source=str(p)) from None
    try:
        return parse_rules(data, actors=actors, source=str(p))
    except RulesError as exc:
        if is_json or exc.line is not None:
            raise
        raise exc.with_line(_yaml_line(text, exc)) from None


def parse_rules(data: Any, actors: ActorIndex | None = None, source: str = "<rules>") -> RuleSet:
    """Validate a decoded rules document (``{"rules": [...]}``) and compile it."""
    if data is None:
        raise RulesError("the file is empty; expected a mapping with a 'rules' list", source=source)
    if not isinstance(data, dict) or "rules" not in data:
        raise RulesError(
            "expected a mapping with a 'rules' list at the top level, e.g. 'rules: [{id: ..., keywords: ...}]'",
            source=source,
        )
    unknown = sorted(str(k) for k in data if k != "rules")
    if unknown:
        raise RulesError(
            f"unknown top-level key(s) {unknown}; only 'rules' is allowed",
            source=source,
            path=(unknown[0],),
        )
    items = data["rules"]
    if not isinstance(items, list):
        raise RulesError(
            f"expected a list of rules, got {_describe(items)}", source=source, path=("rules",)
        )
    if not items:
        raise RulesError("empty list; define at least one rule", source=source, path=("rules",))

    rules: list[Rule] = []
    first_seen: dict[str, int] = {}
    for index, item in enumerate(items):
        rule = _parse_rule(item, index, source)
        if rule.id in first_seen:
            raise RulesError(
                f"duplicate rule id; first defined at rules[{first_seen[rule.id]}]. Rule ids must be unique",
                source=source,
                rule_id=rule.id,
                index=index,
                path=("id",),
            )
        first_seen[rule.id] = index
        rules.append(rule)
    return RuleSet(rules, actors=actors, source=source)


# --------------------------------------------------------------------------- one rule


def _parse_rule(item: Any, index: int, source: str) -> Rule:
    def fail(message: str, *path: str | int, rule_id: str | None = None) -> RulesError:
        return RulesError(message, source=source, rule_id=rule_id, index=index, path=path)

    if not isinstance(item, dict):
        raise fail(f"expected a mapping with an 'id' and conditions, got {_describe(item)}")
    rid = item.get("id")
    if "id" not in item:
        raise fail("required; give the rule a unique id such as 'iaea-nuclear'", "id")
    if not isinstance(rid, str) or not rid.strip():
        raise fail(f"expected a non-empty string, got {_describe(rid)}", "id")
    rid = rid.strip()
    if not set(rid) <= _RULE_ID_CHARS:
        raise fail(f"{rid!r}: use letters, digits and . _ : - only (no spaces)", "id")

    def rfail(message: str, *path: str | int) -> RulesError:
        return fail(message, *path, rule_id=rid)

    for key in item:
        if key not in RULE_KEYS:
            raise rfail(f"unknown key; expected one of {', '.join(RULE_KEYS)}", str(key))
    if not any(key in item for key in CONDITION_KEYS):
        raise rfail(f"rule has no conditions; give at least one of {', '.join(CONDITION_KEYS)}")

    description = item.get("description")
    if description is not None and not isinstance(description, str):
        raise rfail(f"expected a string, got {_describe(description)}", "description")

    sinks: tuple[str, ...] = ()
    if "sinks" in item:
        raw = item["sinks"]
        if not isinstance(raw, list) or not raw:
            raise rfail(
                f"expected a non-empty list of sink names ({', '.join(SINK_NAMES)})", "sinks"
            )
        for i, name in enumerate(raw):
            if name not in SINK_NAMES:
                raise rfail(
                    f"unknown sink {name!r}; expected one of {', '.join(SINK_NAMES)}", "sinks", i
                )
            if name in raw[:i]:
                raise rfail(f"sink {name!r} listed twice", "sinks", i)
        sinks = tuple(raw)

    keywords = _parse_terms(item, "keywords", _check_keyword, rfail)
    said = _parse_terms(item, "said", _check_keyword, rfail)
    actors = _parse_terms(item, "actors", _check_name, rfail)

    speaker: tuple[str, ...] = ()
    if "speaker" in item:
        raw = item["speaker"]
        if isinstance(raw, str):
            raw, path = [raw], [("speaker",)]
        elif isinstance(raw, list) and raw:
            path = [("speaker", i) for i in range(len(raw))]
        else:
            raise rfail(
                f"expected an actor id/name or a non-empty list of them, got {_describe(raw)}",
                "speaker",
            )
        names = []
        for value, where in zip(raw, path, strict=True):
            problem = _check_name(value)
            if problem:
                raise rfail(problem, *where)
            names.append(value.strip())
        speaker = tuple(dict.fromkeys(names))

    return Rule(
        id=rid,
        index=index,
        description=description,
        sinks=sinks,
        keywords=keywords,
        said=said,
        speaker=speaker,
        actors=actors,
    )


def _parse_terms(item: dict, key: str, check, fail) -> Terms | None:
    """``str`` | ``[str, ...]`` (both mean any) | ``{any: ..., all: ..., none: ...}``."""
    if key not in item:
        return None
    raw = item[key]
    if isinstance(raw, str | list):
        modes = {"any": raw}
    elif isinstance(raw, dict):
        if not raw:
            raise fail("empty mapping; give at least one of any, all, none", key)
        for mode in raw:
            if mode not in TERM_MODES:
                raise fail(f"unknown key; expected {', '.join(TERM_MODES)}", key, str(mode))
        modes = raw
    else:
        raise fail(
            f"expected a string, a list, or a mapping with any/all/none; got {_describe(raw)}", key
        )

    out: dict[str, tuple[str, ...]] = {}
    where_of: dict[tuple[str, str], tuple[str | int, ...]] = {}
    for mode, values in modes.items():
        base: tuple[str | int, ...] = (key,) if modes is not raw else (key, mode)
        if isinstance(values, str):
            values, paths = [values], [base]
        elif isinstance(values, list):
            if not values:
                raise fail("empty list; give at least one entry or remove the key", *base)
            paths = [(*base, i) for i in range(len(values))]
        else:
            raise fail(f"expected a string or a list of strings, got {_describe(values)}", *base)
        terms = []
        for value, where in zip(values, paths, strict=True):
            problem = check(value)
            if problem:
                raise fail(problem, *where)
            terms.append(value.strip())
            where_of.setdefault((mode, value.strip()), where)
        out[mode] = tuple(dict.fromkeys(terms))

    terms = Terms(**out)
    norm = keyword_key if check is _check_keyword else normalize_name
    present = {norm(t) for t in (*terms.any, *terms.all)}
    for term in terms.none:
        if norm(term) in present:
            raise fail(
                f"{term!r} is both required and excluded, so the rule can never match",
                *where_of[("none", term)],
            )
    return terms


def _check_keyword(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"keywords must be strings, got {_describe(value)}"
    return keyword_problem(value.strip())


def _check_name(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"actor names must be strings, got {_describe(value)}"
    if not value.strip():
        return "empty actor name; give an actor id, name or alias"
    if not normalize_name(value):
        return f"{value!r} has no letters or digits; give an actor id, name or alias"
    return None


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null); fill it in or remove the key"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()} (YAML reads yes/no/on/off/true/false as booleans; quote it)"
    if isinstance(value, int | float):
        return f"number {value} (quote it to make it a string)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {value!r}"


# --------------------------------------------------------------------------- YAML details


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate mapping keys (PyYAML silently keeps the last one)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            duplicate = key in seen
        except TypeError:
            continue  # unhashable key; construct_mapping reports it
        if duplicate:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                f"found duplicate key {key!r}",
                key_node.start_mark,
            )
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _yaml_line(text: str, error: RulesError) -> int | None:
    """1-based line of the deepest node on the error's path (only computed when failing)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    steps: list[str | int] = []
    if error.index is not None:
        steps = ["rules", error.index, *error.path]
    elif error.path:
        steps = list(error.path)
    line = None
    for step in steps:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == step:
                    line, node = key_node.start_mark.line + 1, value_node
                    break
            else:
                return line
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value)
        ):
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            return line
    return line
