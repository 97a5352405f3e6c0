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
    GROUP_BY,
    RULE_KEYS,
    SINK_NAMES,
    TERM_MODES,
    Near,
    Rule,
    RulesError,
    SinkSpec,
    Terms,
    keyword_key,
    keyword_problem,
    label_key,
    lang_key,
    parse_duration,
    source_key,
)

#: Sinks that accept their own URL in a rule: ``sinks: [{webhook: https://...}]``.
URL_SINKS = ("webhook", "slack")
MAX_NEAR = 100

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


def parse_rules(
    data: Any,
    actors: ActorIndex | None = None,
    source: str = "<rules>",
    engine: str | None = None,
) -> RuleSet:
    """Validate a decoded rules document (``{"rules": [...]}``) and compile it (``engine``: see
    :class:`RuleSet`; default from ``WIREWATCH_MATCH_ENGINE``, else native when built)."""
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
    return RuleSet(rules, actors=actors, source=source, engine=engine)


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

    sinks = _parse_sinks(item, rfail)
    keywords = _parse_terms(item, "keywords", _check_keyword, rfail)
    said = _parse_terms(item, "said", _check_keyword, rfail)
    actors = _parse_terms(item, "actors", _check_name, rfail)
    entities = _parse_terms(item, "entities", _check_label, rfail)
    sources = _parse_terms(item, "source", _check_plain, rfail)
    language = _parse_terms(item, "language", _check_language, rfail)
    near = _parse_near(item, rfail)

    quoted = item.get("quoted")
    if "quoted" in item and not isinstance(quoted, bool):
        raise rfail(f"expected true or false, got {_describe(quoted)}", "quoted")

    throttle = None
    if "throttle" in item:
        throttle = parse_duration(item["throttle"])
        if throttle is None:
            raise rfail(
                f"{item['throttle']!r} is not a duration; write e.g. 10m, 90s, 1h, 1d (or seconds)",
                "throttle",
            )
    group_by = item.get("group_by")
    if "group_by" in item:
        if group_by not in GROUP_BY:
            raise rfail(f"expected one of {', '.join(GROUP_BY)}, got {_describe(group_by)}",
                        "group_by")  # fmt: skip
        if throttle is None:
            raise rfail("group_by only shapes throttling; add e.g. 'throttle: 10m'", "group_by")

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
        near=near,
        quoted=quoted,
        entities=entities,
        source=sources,
        language=language,
        throttle=throttle,
        group_by=group_by,
    )


def _parse_sinks(item: dict, fail) -> tuple[str | SinkSpec, ...]:
    """``[log, file, webhook, slack]``; ``{webhook: URL}`` / ``{slack: URL}`` for a rule's own."""
    if "sinks" not in item:
        return ()
    raw = item["sinks"]
    if not isinstance(raw, list) or not raw:
        raise fail(f"expected a non-empty list of sink names ({', '.join(SINK_NAMES)})", "sinks")
    out: list[str | SinkSpec] = []
    for i, entry in enumerate(raw):
        if isinstance(entry, dict):
            if len(entry) != 1 or next(iter(entry)) not in URL_SINKS:
                raise fail(
                    f"a sink with its own URL is written {{webhook: URL}} or {{slack: URL}}, "
                    f"got keys {sorted(map(str, entry))}",
                    "sinks",
                    i,
                )
            name, url = next(iter(entry.items()))
            problem = url_problem(url)
            if problem:
                raise fail(problem, "sinks", i, name)
            spec: str | SinkSpec = SinkSpec(name, url.strip())
        elif entry in SINK_NAMES:
            spec = entry
        else:
            raise fail(f"unknown sink {entry!r}; expected one of {', '.join(SINK_NAMES)} "
                       "or {webhook: URL}", "sinks", i)  # fmt: skip
        if spec in out:
            raise fail(f"sink {entry!r} listed twice", "sinks", i)
        out.append(spec)
    return tuple(out)


def url_problem(url: Any) -> str | None:
    """Why ``url`` is not usable for a webhook: only absolute http(s) URLs are."""
    from urllib.parse import urlsplit

    if not isinstance(url, str) or not url.strip():
        return f"expected an http(s) URL, got {_describe(url)}"
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"{url!r}: only absolute http:// or https:// URLs are allowed"
    return None


def _parse_near(item: dict, fail) -> tuple[Near, ...]:
    """``{terms: [a, b], within: N}`` or a list of them (all must hold)."""
    if "near" not in item:
        return ()
    raw = item["near"]
    entries, paths = (raw, [("near", i) for i in range(len(raw))]) if isinstance(raw, list) else (
        [raw], [("near",)])  # fmt: skip
    if not entries:
        raise fail("empty list; give {terms: [a, b], within: N}", "near")
    out = []
    for entry, where in zip(entries, paths, strict=True):
        if not isinstance(entry, dict):
            raise fail(f"expected {{terms: [a, b], within: N}}, got {_describe(entry)}", *where)
        unknown = sorted(str(k) for k in entry if k not in ("terms", "within"))
        if unknown:
            raise fail("unknown key; expected terms, within", *where, unknown[0])
        terms = entry.get("terms")
        if not isinstance(terms, list) or len(terms) != 2:
            raise fail("expected a list of exactly two keywords", *where, "terms")
        for i, term in enumerate(terms):
            problem = _check_keyword(term)
            if problem:
                raise fail(problem, *where, "terms", i)
        within = entry.get("within")
        if isinstance(within, bool) or not isinstance(within, int) or not 1 <= within <= MAX_NEAR:
            raise fail(f"expected a whole number of words from 1 to {MAX_NEAR}, got "
                       f"{_describe(within)}", *where, "within")  # fmt: skip
        out.append(Near(terms[0].strip(), terms[1].strip(), within))
    return tuple(out)


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
    norm = _NORMS.get(check, normalize_name)
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


def _check_label(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return f"entity labels are non-empty strings like PERSON, ORG, GPE; got {_describe(value)}"
    if not value.strip().replace("_", "").isalnum():
        return f"{value!r}: an entity label is one word like PERSON, ORG, GPE"
    return None


def _check_plain(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return f"expected a non-empty string, got {_describe(value)}"
    return None


def _check_language(value: Any) -> str | None:
    problem = _check_plain(value)
    if problem:
        return problem
    if not lang_key(value).isalpha():
        return f"{value!r}: expected a language tag like en, de or en-GB"
    return None


def _check_name(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"actor names must be strings, got {_describe(value)}"
    if not value.strip():
        return "empty actor name; give an actor id, name or alias"
    if not normalize_name(value):
        return f"{value!r} has no letters or digits; give an actor id, name or alias"
    return None


_NORMS = {
    _check_keyword: keyword_key,
    _check_label: label_key,
    _check_plain: source_key,
    _check_language: lang_key,
}


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
