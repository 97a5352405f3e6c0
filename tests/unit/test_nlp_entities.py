"""Entities: gazetteer fixes, surname merging, slugs, actors."""

from __future__ import annotations

import pytest

from wirewatch.nlp.entities import clean_name, slug
from wirewatch.nlp.gazetteer import place_names
from wirewatch.nlp.model import shared_model
from wirewatch.nlp.pipeline import Enricher


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher(nlp=shared_model())


def ents(enricher: Enricher, text: str) -> dict[str, str]:
    return {e["text"]: e["label"] for e in enricher.enrich({"id": "t", "body": text})["entities"]}


def test_place_names_are_generated_from_data() -> None:
    names = place_names()
    assert {"Ukraine", "Belarus", "Kyiv", "Nairobi"} <= set(names)
    assert len(names) > 300


def test_capital_is_a_place_not_a_person(enricher: Enricher) -> None:
    got = ents(enricher, "Relief convoys reached Kyiv and Nairobi on Friday.")
    assert got.get("Kyiv") == "GPE"
    assert got.get("Nairobi") == "GPE"


def test_surname_tagged_org_becomes_person(enricher: Enricher) -> None:
    text = (
        "Glaciologist Ingrid Solberg measured the ice sheet.\n"
        '"The melt is accelerating," Solberg said after the expedition.'
    )
    out = enricher.enrich({"id": "t", "body": text})
    labels = {e["text"]: (e["label"], e["actor_id"]) for e in out["entities"]}
    assert labels["Solberg"] == ("PERSON", "ingrid-solberg")
    person = next(a for a in out["actors"] if a["id"] == "ingrid-solberg")
    assert person["mentions"] == 2 and len(person["statements"]) == 1


def test_slug_and_clean_name() -> None:
    assert slug("Jens Stoltenberg") == "jens-stoltenberg"
    assert slug("Société Générale") == "societe-generale"
    assert clean_name("the Defense Ministry's") == "Defense Ministry"
    assert clean_name("Mr. Obama") == "Obama"
