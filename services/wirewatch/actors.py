"""Known actors (people, organisations, places) from an actors file.

Pure: reads a YAML or JSON file, validates it, and answers "which actor is this name?".
Both the NLP room (resolving speakers) and the rules room (actor conditions) use it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ACTOR_TYPES = ("person", "organization", "place", "group", "other")


class ActorsFileError(ValueError):
    """The actors file is unreadable or malformed; the message names file, entry and field."""


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    type: str = "person"
    aliases: tuple[str, ...] = field(default_factory=tuple)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def normalize_name(text: str) -> str:
    """Case- and punctuation-insensitive key: "the U.N." and "the UN" compare equal."""
    text = text.lower().replace("\u2019", "'")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[^\w\s-]", "", text)
    text = re.sub(r"^(the)\s+", "", text.strip())
    return re.sub(r"[\s-]+", " ", text).strip()


class ActorIndex:
    """Lookup of actors by id, name or alias (normalised)."""

    def __init__(self, actors: Iterable[Actor] = ()) -> None:
        self.actors: list[Actor] = list(actors)
        self._by_id = {a.id: a for a in self.actors}
        self._by_key: dict[str, Actor] = {}
        for actor in self.actors:
            for name in actor.names:
                self._by_key.setdefault(normalize_name(name), actor)

    def __len__(self) -> int:
        return len(self.actors)

    def __iter__(self):
        return iter(self.actors)

    def get(self, actor_id: str) -> Actor | None:
        return self._by_id.get(actor_id)

    def lookup(self, name: str) -> Actor | None:
        """The actor whose id, name or alias is ``name``, else None."""
        return self._by_id.get(name) or self._by_key.get(normalize_name(name))


def parse_actors(data: object, source: str = "<actors>") -> ActorIndex:
    """Validate a decoded actors document (``{"actors": [...]}``) and index it."""
    if not isinstance(data, dict) or not isinstance(data.get("actors"), list):
        raise ActorsFileError(
            f"{source}: expected a mapping with an 'actors' list at the top level"
        )
    unknown_top = set(data) - {"actors"}
    if unknown_top:
        raise ActorsFileError(
            f"{source}: unknown top-level key(s) {sorted(unknown_top)}; only 'actors' is allowed"
        )
    actors: list[Actor] = []
    seen: set[str] = set()
    for i, entry in enumerate(data["actors"]):
        where = f"{source}: actors[{i}]"
        if not isinstance(entry, dict):
            raise ActorsFileError(f"{where}: expected a mapping with id, name, type, aliases")
        unknown = set(entry) - {"id", "name", "type", "aliases"}
        if unknown:
            raise ActorsFileError(
                f"{where}: unknown key(s) {sorted(unknown)}; allowed: id, name, type, aliases"
            )
        for key in ("id", "name"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise ActorsFileError(f"{where}.{key}: required non-empty string")
        if entry["id"] in seen:
            raise ActorsFileError(f"{where}.id: duplicate id {entry['id']!r}")
        seen.add(entry["id"])
        atype = entry.get("type", "person")
        if atype not in ACTOR_TYPES:
            raise ActorsFileError(f"{where}.type: {atype!r} is not one of {', '.join(ACTOR_TYPES)}")
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list) or not all(
            isinstance(a, str) and a.strip() for a in aliases
        ):
            raise ActorsFileError(f"{where}.aliases: expected a list of non-empty strings")
        actors.append(Actor(entry["id"], entry["name"], atype, tuple(aliases)))
    return ActorIndex(actors)


def load_actors(path: str | Path | None) -> ActorIndex:
    """Read an actors file (YAML or JSON). ``None`` or "" gives an empty index."""
    if not path:
        return ActorIndex()
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ActorsFileError(f"{p}: cannot read actors file ({exc.strerror})") from None
    try:
        data = json.loads(text) if p.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ActorsFileError(
            f"{p}: not valid {'JSON' if p.suffix == '.json' else 'YAML'}: {exc}"
        ) from None
    return parse_actors(data, str(p))
