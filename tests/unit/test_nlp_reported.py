"""Indirect and mixed speech: reporting verbs, participles, "according to", nesting."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from wirewatch.nlp.model import shared_model
from wirewatch.nlp.pipeline import Enricher


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher(nlp=shared_model())


def spoken(enricher: Enricher, text: str) -> list[tuple[str, str]]:
    """(speaker as written, content) of every statement, in order."""
    out = enricher.enrich({"id": "t", "body": text})
    return [(s["speaker"]["text"], s["content"]["text"]) for s in out["statements"]]


def said(enricher: Enricher, text: str) -> list[tuple[str | None, str, str]]:
    out = enricher.enrich({"id": "t", "body": text})
    return [
        ((s["speaker"] or {}).get("name"), s["content"]["text"], s["kind"])
        for s in out["statements"]
    ]


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "Finance Minister Olga Petrenko said the budget deficit would narrow next year.",
            "Olga Petrenko",
            "the budget deficit would narrow next year",
        ),
        (
            "Acme Corp warned that quarterly profit would miss analyst forecasts.",
            "Acme Corp",
            "quarterly profit would miss analyst forecasts",
        ),
        (
            "Researcher Hugo Brandt argued that the new alloy could replace titanium in jet engines.",
            "Hugo Brandt",
            "the new alloy could replace titanium in jet engines",
        ),
        (
            "Senator Alan Brooks denied that he had met the lobbyists before the vote.",
            "Alan Brooks",
            "he had met the lobbyists before the vote",
        ),
        (
            "The magnitude 6.1 quake damaged hundreds of homes, the Civil Protection Agency said.",
            "Civil Protection Agency",
            "The magnitude 6.1 quake damaged hundreds of homes",
        ),
    ],
)
def test_reporting_verbs(enricher: Enricher, text: str, speaker: str, content: str) -> None:
    assert said(enricher, text) == [(speaker, content, "indirect")]


def test_told_with_addressee(enricher: Enricher) -> None:
    text = "Chief executive Mia Wong told shareholders the chip plant would open in 2026."
    assert said(enricher, text) == [("Mia Wong", "the chip plant would open in 2026", "indirect")]


def test_quoted_as_saying(enricher: Enricher) -> None:
    text = "Central bank chief Ivan Horak was quoted as saying that interest rates had peaked."
    assert said(enricher, text) == [("Ivan Horak", "interest rates had peaked", "indirect")]


def test_participle_saying_takes_subject_of_main_verb(enricher: Enricher) -> None:
    text = "The airline cancelled 300 flights on Friday, saying the snowstorm had closed two hubs."
    assert said(enricher, text) == [
        ("airline", "the snowstorm had closed two hubs", "indirect")
    ] or said(enricher, text)[0][1:] == ("the snowstorm had closed two hubs", "indirect")


def test_adding_that_after_said(enricher: Enricher) -> None:
    text = "Engineers said the bridge was safe, adding that repairs would start in May."
    assert said(enricher, text) == [
        ("Engineers", "the bridge was safe", "indirect"),
        ("Engineers", "repairs would start in May", "indirect"),
    ]


def test_according_to(enricher: Enricher) -> None:
    text = "Unemployment rose to 7 percent in March, according to the national statistics office."
    [(speaker, content, kind)] = said(enricher, text)
    assert content == "Unemployment rose to 7 percent in March"
    assert "statistics office" in speaker


def test_mixed_statement_with_partial_quote(enricher: Enricher) -> None:
    text = 'The regulator said the merger posed "a serious threat" to competition.'
    assert said(enricher, text) == [
        ("The regulator", 'the merger posed "a serious threat" to competition', "mixed")
    ]


def test_nested_report_links_inner_to_outer(enricher: Enricher) -> None:
    text = "Reuters reported that the Health Ministry said the outbreak was under control."
    out = enricher.enrich({"id": "t", "body": text})
    by_content = {s["content"]["text"]: s for s in out["statements"]}
    inner = by_content["the outbreak was under control"]
    outer = by_content["the Health Ministry said the outbreak was under control"]
    assert inner["speaker"]["name"] == "Health Ministry"
    assert outer["speaker"]["name"] == "Reuters"
    assert inner["reported_by"] == outer["id"]
    assert outer["reported_by"] is None


@pytest.mark.parametrize(
    ("text", "speaker", "inner", "outer", "name"),
    [
        (
            "The Courier reported that a police spokesman said detectives were working abroad.",
            "a police spokesman",
            "detectives were working abroad",
            "a police spokesman said detectives were working abroad",
            None,
        ),
        (
            # the outlet reporting the words is not the company that spoke them
            "Toyota Motor Corp cut its forecast on Tuesday. "
            "Reuters reported that the company said it would cut jobs.",
            "the company",
            "it would cut jobs",
            "the company said it would cut jobs",
            "Toyota Motor Corp",
        ),
        (
            # a participle of saying with a clause of its own
            "Chile has asked the tribunal to rule on the tariffs, arguing that the measures break "
            "trade rules, the tribunal said on Friday.",
            "Chile",
            "the measures break trade rules",
            "Chile has asked the tribunal to rule on the tariffs, arguing that the measures break "
            "trade rules",
            None,
        ),
    ],
)
def test_nested_report_without_a_plain_name_links_inner_to_outer(
    enricher: Enricher, text: str, speaker: str, inner: str, outer: str, name: str | None
) -> None:
    out = enricher.enrich({"id": "t", "body": text})
    by_content = {s["content"]["text"]: s for s in out["statements"]}
    st, wrapper = by_content[inner], by_content[outer]
    assert st["speaker"]["text"] == speaker
    assert st["reported_by"] == wrapper["id"]
    assert st["speaker"]["name"] != wrapper["speaker"]["name"]
    if name is not None:
        assert st["speaker"]["name"] == name


def test_cue_after_clause_with_mid_sentence_speaker(enricher: Enricher) -> None:
    text = "The vaccine, Dr. Anna Keller said, reduced hospital admissions by half."
    [(speaker, content, _)] = said(enricher, text)
    assert speaker == "Anna Keller"
    assert content.startswith("The vaccine") and content.endswith("by half")


def test_no_statement_without_reporting(enricher: Enricher) -> None:
    text = "The storm hit the coast on Sunday and flooded the harbour. Shares of Nordvolt rose 4 percent."
    assert said(enricher, text) == []


def test_colon_introduced_reported_text(enricher: Enricher) -> None:
    text = "The central bank governor added: Inflation is falling, but wages are not keeping up."
    [(speaker, content, kind)] = said(enricher, text)
    assert content == "Inflation is falling, but wages are not keeping up"
    assert speaker == "The central bank governor"
    assert kind == "indirect"


def test_as_x_said(enricher: Enricher) -> None:
    text = "The reactor was shut down safely, as the operator said."
    [(speaker, content, _)] = said(enricher, text)
    assert content == "The reactor was shut down safely"
    assert speaker == "the operator"


def test_object_content_for_report_verbs(enricher: Enricher) -> None:
    text = "The new survey indicates a sharp fall in consumer confidence."
    [(_, content, _)] = said(enricher, text)
    assert content == "a sharp fall in consumer confidence"


def test_intention_inside_reported_words_is_not_separate(enricher: Enricher) -> None:
    text = "The carmaker said it plans to build a battery plant in Ohio."
    assert said(enricher, text) == [
        ("The carmaker", "it plans to build a battery plant in Ohio", "indirect")
    ]


def test_intention_verb_on_its_own(enricher: Enricher) -> None:
    text = "Mayor Lena Ortiz wants to ban diesel buses from the city centre."
    assert said(enricher, text) == [
        ("Lena Ortiz", "to ban diesel buses from the city centre", "indirect")
    ]


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "The appeals court ruled that the parking ban was unconstitutional.",
            "The appeals court",
            "the parking ban was unconstitutional",
        ),
        (
            "Local farmers suspect that the drought will last another year.",
            "Local farmers",
            "the drought will last another year",
        ),
    ],
)
def test_any_verb_with_a_that_clause(
    enricher: Enricher, text: str, speaker: str, content: str
) -> None:
    assert said(enricher, text) == [(speaker, content, "indirect")]


def test_that_clause_of_result_verbs_is_not_a_statement(enricher: Enricher) -> None:
    assert said(enricher, "The new rota makes sure that every ward has a night nurse.") == []


@pytest.mark.parametrize(
    "text",
    [
        "The new evidence proves that the driver was not at fault.",
        "The surge in orders demonstrates that demand has recovered.",
        "The vote established that the council can veto the budget.",
    ],
)
def test_that_clause_of_a_thing_is_not_a_statement(enricher: Enricher, text: str) -> None:
    # only someone who can state or believe it reports a clause through an arbitrary verb
    assert said(enricher, text) == []


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "Local farmers reckon that the drought will last another year.",
            "Local farmers",
            "the drought will last another year",
        ),
        (
            "An economist at the Halden Institute, Rosa Quint, reckons that wages will stall.",
            "Rosa Quint",
            "wages will stall",
        ),
        (
            "She reckons that the ferry will resume in May.",
            None,
            "the ferry will resume in May",
        ),
    ],
)
def test_that_clause_of_a_person_is_a_statement(
    enricher: Enricher, text: str, speaker: str | None, content: str
) -> None:
    assert said(enricher, text) == [(speaker, content, "indirect")]


def test_complement_after_a_time_phrase(enricher: Enricher) -> None:
    # the parser hangs the clause on "said" as an adverbial once a time phrase sits between
    text = "Trump said after the rally he would not debate again."
    assert said(enricher, text) == [("Trump", "he would not debate again", "indirect")]


def test_participle_adjunct_of_a_passive_clause(enricher: Enricher) -> None:
    text = "After saying the bridge was unsafe, the inspector was removed from the project."
    assert said(enricher, text) == [("the inspector", "the bridge was unsafe", "indirect")]


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "Officials were confident the bridge would reopen by Friday.",
            "Officials",
            "the bridge would reopen by Friday",
        ),
        ("The union is determined to block the merger.", "The union", "to block the merger"),
        (
            "The senator was critical of the new tariff on steel.",
            "The senator",
            "the new tariff on steel",
        ),
    ],
)
def test_attitude_adjective_after_a_copula(
    enricher: Enricher, text: str, speaker: str, content: str
) -> None:
    assert said(enricher, text) == [(speaker, content, "indirect")]


def test_plain_predicate_adjective_is_not_a_statement(enricher: Enricher) -> None:
    assert said(enricher, "The harbour was calm and the ferries were full.") == []


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        ("The plan was criticized by several economists.", "several economists", "The plan"),
        (
            "The mayor has been called a coward by his rivals.",
            "his rivals",
            "The mayor has been called a coward",
        ),
    ],
)
def test_passive_cue_with_by_agent(
    enricher: Enricher, text: str, speaker: str, content: str
) -> None:
    assert said(enricher, text) == [(speaker, content, "indirect")]


def test_passive_cue_without_agent_has_no_speaker(enricher: Enricher) -> None:
    assert said(enricher, "The plan was criticized last week.") == []


def test_called_object_and_predicate(enricher: Enricher) -> None:
    assert said(enricher, "Cruz called Trump a liar.") == [("Cruz", "Trump a liar", "indirect")]


def test_that_clause_hung_on_the_addressee(enricher: Enricher) -> None:
    text = "Governor Lena Ortiz told a meeting of farmers that grain prices would rise."
    assert said(enricher, text) == [("Lena Ortiz", "grain prices would rise", "indirect")]


def _case(id_: str, text: str, *expected: tuple[str, str]) -> object:
    return pytest.param(text, list(expected), id=id_)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a that-clause the parser hangs on the occasion of saying is what was said
        _case(
            "occasion-participle",
            "Holt said in a statement released Monday that she would resign.",
            ("Holt", "she would resign"),
        ),
        _case(
            "occasion-participle-report",
            "The ministry said in a report published on Friday that exports had fallen by 4 "
            "percent.",
            ("The ministry", "exports had fallen by 4 percent"),
        ),
        _case(
            "occasion-letter",
            "Ruiz wrote in a letter sent to staff that the plant would close.",
            ("Ruiz", "the plant would close"),
        ),
        # "that" is the subject of the relative clause: nothing is said
        _case("occasion-relative", "Holt said in a statement that was released on Monday."),
        # a sentence that opens with someone's view gives it
        _case(
            "view-possessor",
            "In Holt's view, the agreement is a mistake.",
            ("Holt", "the agreement is a mistake"),
        ),
        _case(
            "view-of",
            "In the view of the board, the merger would hurt consumers.",
            ("the board", "the merger would hurt consumers"),
        ),
        _case(
            "view-eyes",
            "In the eyes of many voters, the governor has failed.",
            ("many voters", "the governor has failed"),
        ),
        # not a view: "in view of" is "because of"
        _case("in-view-of", "In view of the risks, the bank raised its reserves."),
        # hearsay passives give the speaker of the infinitive
        _case(
            "hearsay-said",
            "Holt is said to have told aides that she would resign.",
            ("Holt", "she would resign"),
        ),
        _case(
            "hearsay-reported",
            "The minister is reported to have said that talks had collapsed.",
            ("The minister", "talks had collapsed"),
        ),
        # a prospect, not hearsay about something said
        _case("expected-to", "Holt is expected to announce her decision on Friday."),
        # a date before the reported subject says when it was said, not what
        _case(
            "date-before-subject",
            "The bank said late on Tuesday it had raised $2 billion.",
            ("The bank", "it had raised $2 billion"),
        ),
        _case(
            "month-before-subject",
            "Police said in June the suspect had fled.",
            ("Police", "the suspect had fled"),
        ),
        # after "that" the time is part of what was said
        _case(
            "date-after-that",
            "Holt said that on Monday she would resign.",
            ("Holt", "on Monday she would resign"),
        ),
        # a role and its name closed off by a comma, hung on the opening phrase, still speak
        _case(
            "stranded-role-and-name",
            "In a letter to the council, the city's budget director, Maria Okafor, wrote that "
            "the new rules imposed heavy costs.",
            ("the city's budget director, Maria Okafor", "the new rules imposed heavy costs"),
        ),
        # "with traders saying ...": people speaking in an absolute phrase
        _case(
            "with-people-saying",
            "Shares fell 3% by midday, with traders saying the warning had overshadowed the "
            "results.",
            ("traders", "the warning had overshadowed the results"),
        ),
        # the name a group gives itself is no statement
        _case(
            "calling-itself",
            'A hacker group calling itself "RedMoth" claimed that it had stolen the files.',
            ("A hacker group", "it had stolen the files"),
        ),
        # after a mid-sentence cue, a verbless comment is the writer's, not the speaker's
        _case(
            "mid-cue-verbless-tail",
            "Revenue rose 14% to 3.1 billion euros, the carrier said, ahead of the average "
            "analyst forecast of 2.9 billion euros.",
            ("the carrier", "Revenue rose 14% to 3.1 billion euros"),
        ),
        # ... but a clause after it is still what was said
        _case(
            "mid-cue-clause-tail",
            "The vaccine, Dr. Anna Keller said, reduced hospital admissions by half.",
            (
                "Dr. Anna Keller",
                "The vaccine, Dr. Anna Keller said, reduced hospital admissions by half",
            ),
        ),
        # "said A and called B C": the label is a second statement, not more of the first
        _case(
            "said-and-called",
            "Health Minister Ada Obi said measles killed thousands of children a year and called "
            'the vaccine "a tool we have waited decades for".',
            ("Health Minister Ada Obi", "measles killed thousands of children a year"),
            ("Health Minister Ada Obi", 'the vaccine "a tool we have waited decades for"'),
        ),
        # the writer's word on what was said, closing it, is not part of it
        _case(
            "closing-account-aside",
            'Hale told the court he was "the victim of a rogue team", an account the judge found '
            'to be "unsupported by a single document".',
            ("Hale", 'he was "the victim of a rogue team"'),
        ),
        # a closing "without giving details" is how it was said, not what
        _case(
            "without-details",
            "The ministry said troops had repelled an attack, without giving details.",
            ("The ministry", "troops had repelled an attack"),
        ),
        _case(
            "without-evidence",
            "Trump claimed the election had been stolen, without providing evidence.",
            ("Trump", "the election had been stolen"),
        ),
        # "without" inside the clause is part of what was said
        _case(
            "without-in-clause",
            "He said the country could not survive without foreign aid.",
            ("He", "the country could not survive without foreign aid"),
        ),
    ],
)
def test_newswire_framings_of_what_was_said(
    enricher: Enricher, text: str, expected: list[tuple[str, str]]
) -> None:
    assert spoken(enricher, text) == expected


def test_a_view_with_its_own_reporting_verb_is_that_report(enricher: Enricher) -> None:
    assert [sp for sp, _ in spoken(enricher, "In my view, Holt said, the deal is dead.")] == [
        "Holt"
    ]


def test_that_object_of_the_occasion_verb_is_not_the_content(enricher: Enricher) -> None:
    # "that the company issued": "that" is what was issued; the later clause is what Holt said
    text = "Holt said in a statement that the company issued late on Monday that she would resign."
    assert ("Holt", "she would resign") in spoken(enricher, text)


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "The senator likened the new tax to highway robbery.",
            "The senator",
            "the new tax to highway robbery",
        ),
        (
            "Teachers encouraged parents to read with their children.",
            "Teachers",
            "parents to read with their children",
        ),
        (
            "The union echoed the nurses' concerns about staffing.",
            "The union",
            "the nurses' concerns about staffing",
        ),
        # the small model lemmatizes "hopes" as "hop"
        (
            "The mayor hopes the tunnel will open in May.",
            "The mayor",
            "the tunnel will open in May",
        ),
    ],
)
def test_judgement_persuasion_and_belief_verbs(
    enricher: Enricher, text: str, speaker: str, content: str
) -> None:
    assert said(enricher, text) == [(speaker, content, "indirect")]


def test_possessed_statement_noun_with_a_clause(enricher: Enricher) -> None:
    text = "Prime Minister Ana Silva's pledge that taxes would not rise was broken."
    assert said(enricher, text) == [("Ana Silva", "taxes would not rise", "indirect")]


def test_statement_noun_without_owner_is_not_a_statement(enricher: Enricher) -> None:
    assert said(enricher, "The plan to close the bridge was dropped.") == []


def test_belief_verbs_with_a_plain_object_are_not_statements(enricher: Enricher) -> None:
    text = "The new governor assumed the post in January and found a way to cut costs."
    assert said(enricher, text) == []


def test_single_name_as_object_content(enricher: Enricher) -> None:
    text = "The nurses' union endorsed Okafor on Monday."
    assert said(enricher, text) == [("The nurses' union", "Okafor", "indirect")]


def test_agree_with_prepositional_content(enricher: Enricher) -> None:
    text = "Most economists agreed with the central bank's decision to raise rates."
    assert said(enricher, text) == [
        ("Most economists", "the central bank's decision to raise rates", "indirect")
    ]


def test_plural_statement_noun_is_a_summary_not_a_statement(enricher: Enricher) -> None:
    text = "Amid the rebels' repeated threats that the dam could be attacked, engineers left."
    assert said(enricher, text) == []


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "The senator went on to criticize the new tariff on steel.",
            "The senator",
            "the new tariff on steel",
        ),
        (
            "The board forced the chief executive to admit that the accounts were wrong.",
            "the chief executive",
            "the accounts were wrong",
        ),
    ],
)
def test_infinitive_cue_takes_its_controller_as_speaker(
    enricher: Enricher, text: str, speaker: str, content: str
) -> None:
    assert said(enricher, text) == [(speaker, content, "indirect")]


def test_infinitive_under_a_cue_is_the_cues_content(enricher: Enricher) -> None:
    assert said(enricher, "The mayor wants to close the bridge.") == [
        ("The mayor", "to close the bridge", "indirect")
    ]


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "As one adviser pointed out, Hawaii rarely gets two hurricanes in a row.",
            "one adviser",
            "Hawaii rarely gets two hurricanes in a row",
        ),
        (
            "As the mayor put it, the ferry is the town's lifeline.",
            "the mayor",
            "the ferry is the town's lifeline",
        ),
    ],
)
def test_sentence_initial_as_clause(
    enricher: Enricher, text: str, speaker: str, content: str
) -> None:
    assert said(enricher, text) == [(speaker, content, "indirect")]


def test_gerund_complement(enricher: Enricher) -> None:
    text = "The governor proposed dropping the fuel tax for a year."
    assert said(enricher, text) == [
        ("The governor", "dropping the fuel tax for a year", "indirect")
    ]


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "The mayor wants to cut fares, add buses and build a tram line.",
            "The mayor",
            "to cut fares, add buses and build a tram line",
        ),
        (
            "The tax office says the change would cut revenue at first, but would add $8 billion over ten years.",
            "The tax office",
            "the change would cut revenue at first, but would add $8 billion over ten years",
        ),
    ],
)
def test_conjuncts_hung_on_the_cue_continue_the_content(
    enricher: Enricher, text: str, speaker: str, content: str
) -> None:
    assert said(enricher, text) == [(speaker, content, "indirect")]


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "The minister made the case that the bridge was needed.",
            "The minister",
            "the bridge was needed",
        ),
        ("Many voters have reservations about the new tax.", "Many voters", "the new tax"),
        (
            "Critics see the program as an easy way to buy citizenship.",
            "Critics",
            "the program as an easy way to buy citizenship",
        ),
    ],
)
def test_opinion_phrases_with_light_verbs(
    enricher: Enricher, text: str, speaker: str, content: str
) -> None:
    assert said(enricher, text) == [(speaker, content, "indirect")]


def test_light_verb_with_a_plain_object_is_not_a_statement(enricher: Enricher) -> None:
    assert said(enricher, "The family has a dog and made a cake for the party.") == []


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "According to conservative radio host Dan Miller, the move reeks of fear.",
            "conservative radio host Dan Miller",
            "the move reeks of fear",
        ),
        (
            "The bridge, according to engineers, is safe.",
            "engineers",
            "The bridge, according to engineers, is safe",
        ),
    ],
)
def test_according_to_positions(enricher: Enricher, text: str, speaker: str, content: str) -> None:
    out = enricher.enrich({"id": "t", "body": text})["statements"]
    assert [(s["speaker"]["text"], s["content"]["text"]) for s in out] == [(speaker, content)]


def test_time_clause_before_the_cue_is_not_content(enricher: Enricher) -> None:
    text = "But when the council cut the funding two years later, the mayor said enough."
    assert said(enricher, text) == []


def test_object_keeps_the_prepositional_phrase_hung_on_the_verb(enricher: Enricher) -> None:
    text = "The senator unveiled a roster of backers from retired admirals."
    assert said(enricher, text) == [
        ("The senator", "a roster of backers from retired admirals", "indirect")
    ]


def test_sentence_initial_in_a_poll(enricher: Enricher) -> None:
    assert said(enricher, "In the latest poll, the mayor leads her rival by three points.") == [
        ("the latest poll", "the mayor leads her rival by three points", "indirect")
    ]


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "In a statement on Tuesday, Senator Ruth Okafor was more cautious than her colleagues.",
            "Ruth Okafor",
            "was more cautious than her colleagues",
        ),
        (
            "Okafor was more cautious than her colleagues in a statement.",
            "Okafor",
            "was more cautious than her colleagues",
        ),
    ],
)
def test_statement_or_interview_is_its_issuers(
    enricher: Enricher, text: str, speaker: str, content: str
) -> None:
    # a statement speaks for the one who issued it; a poll's subject is only what was measured
    assert said(enricher, text) == [(speaker, content, "indirect")]


def test_in_a_statement_with_its_own_cue_is_one_statement(enricher: Enricher) -> None:
    assert said(enricher, "In a statement, the ministry said the talks had failed.") == [
        ("the ministry", "the talks had failed", "indirect")
    ]


def test_possessed_view_is_that(enricher: Enricher) -> None:
    assert said(enricher, "The mayor's view is that the ferry must be saved.") == [
        ("The mayor", "the ferry must be saved", "indirect")
    ]


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "The senator was criticized for saying that the ferry was useless.",
            "The senator",
            "the ferry was useless",
        ),
        (
            "The mayor stopped short of calling the strike illegal.",
            "The mayor",
            "the strike illegal",
        ),
    ],
)
def test_gerund_after_a_preposition_takes_the_clause_subject(
    enricher: Enricher, text: str, speaker: str, content: str
) -> None:
    assert said(enricher, text) == [(speaker, content, "indirect")]


def test_relative_pronoun_object_reports_the_whole_phrase(enricher: Enricher) -> None:
    text = "Twenty people were hurt by an explosion that the mayor described as an intentional act."
    assert said(enricher, text) == [
        ("the mayor", "an explosion that the mayor described as an intentional act", "indirect")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The mayor refused to release the audit.",
        "Volunteers pushed the cart up the hill.",
    ],
)
def test_actions_are_not_statements(enricher: Enricher, text: str) -> None:
    assert said(enricher, text) == []


def test_prepositional_cue_keeps_its_preposition(enricher: Enricher) -> None:
    assert said(enricher, "The union pushed for a shorter week.") == [
        ("The union", "a shorter week", "indirect")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The foundation maintains a program for young leaders.",
        "She wrote a memoir about her years in office.",
    ],
)
def test_plain_objects_of_ambiguous_cues_are_not_statements(enricher: Enricher, text: str) -> None:
    assert said(enricher, text) == []


def test_stance_noun_after_a_copula(enricher: Enricher) -> None:
    text = "The senator has been a staunch opponent of the new pipeline."
    assert said(enricher, text) == [("The senator", "the new pipeline", "indirect")]


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "The senator spoke at a rally to discuss clean energy.",
            "The senator",
            "clean energy",
        ),
        (
            "Governor Lena Ortiz was able to tout her record on jobs.",
            "Lena Ortiz",
            "her record on jobs",
        ),
    ],
)
def test_purpose_and_adjective_infinitives_take_the_clause_subject(
    enricher: Enricher, text: str, speaker: str, content: str
) -> None:
    assert said(enricher, text) == [(speaker, content, "indirect")]


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "In her speech, Mayor Ana Ruiz urged residents to conserve water this summer.",
            "Ana Ruiz",  # the title is not part of her name
            "residents to conserve water this summer",
        ),
        (
            "On Tuesday, the union called on members to reject the offer.",
            "the union",
            "members to reject the offer",
        ),
    ],
)
def test_fronted_adjunct_is_not_the_addressee_of_an_infinitive_cue(
    enricher: Enricher, text: str, speaker: str, content: str
) -> None:
    assert said(enricher, text) == [(speaker, content, "indirect")]


def test_second_speech_verb_on_the_reported_clause_is_the_reporters(enricher: Enricher) -> None:
    text = "The agency said it was firmly opposed to the merger and urged regulators to block it."
    assert said(enricher, text) == [
        ("The agency", "it was firmly opposed to the merger", "indirect"),
        ("The agency", "regulators to block it", "indirect"),
    ]


def test_second_speech_verb_cuts_the_first_content(enricher: Enricher) -> None:
    text = "The minister said the reform would start in May and warned against long delays."
    assert said(enricher, text)[0] == ("The minister", "the reform would start in May", "indirect")


def test_expressed_opinion_noun_reports_its_topic(enricher: Enricher) -> None:
    text = "Several senators expressed concern over the cost of the program."
    assert said(enricher, text) == [("Several senators", "the cost of the program", "indirect")]


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "The governor praised the new budget, which passed on Monday.",
            "The governor",
            "the new budget",
        ),
        (
            "The senator complained about the tariffs, which hurt farmers in her state.",
            "The senator",
            "the tariffs",
        ),
        (
            "New surveys show a tight race in Ohio, where 18 electoral votes are at stake.",
            "New surveys",
            "a tight race in Ohio",
        ),
    ],
)
def test_relative_clause_after_an_object_is_the_writers_aside(
    enricher: Enricher, text: str, speaker: str, content: str
) -> None:
    assert said(enricher, text) == [(speaker, content, "indirect")]


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "The coach said the team was tired, but the players were ready for the final.",
            "the team was tired, but the players were ready for the final",
        ),
        # a different tense is the writer's narrative going on
        (
            "The coach said the team had lost, and the club fired him on Monday.",
            "the team had lost",
        ),
    ],
)
def test_coordinated_clause_in_the_reported_tense_is_still_reported(
    enricher: Enricher, text: str, content: str
) -> None:
    assert said(enricher, text) == [("The coach", content, "indirect")]


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "The board released a report criticizing the hospital's safety record.",
            "The board",
            "the hospital's safety record",
        ),
        (
            "Protesters marched through the capital, with farmers demanding lower fuel taxes.",
            "farmers",
            "lower fuel taxes",
        ),
        ("A new poll showing a tight race unsettled the campaign.", "A new poll", "a tight race"),
    ],
)
def test_participle_on_a_noun_speaks_for_the_noun(
    enricher: Enricher, text: str, speaker: str, content: str
) -> None:
    assert said(enricher, text) == [(speaker, content, "indirect")]


def test_participle_after_the_reported_clause_is_the_reporters_next_statement(
    enricher: Enricher,
) -> None:
    text = (
        "The senator said she had doubts about the bill, arguing that it would raise costs "
        "for farmers."
    )
    assert said(enricher, text) == [
        ("The senator", "she had doubts about the bill", "indirect"),
        ("The senator", "it would raise costs for farmers", "indirect"),
    ]


def test_participle_inside_a_quotation_stays_in_the_content(enricher: Enricher) -> None:
    text = 'The veteran said he had served "with pride, knowing that the war was wrong."'
    assert said(enricher, text)[0] == (
        "The veteran",
        'he had served "with pride, knowing that the war was wrong."',
        "mixed",
    )


def test_closing_concession_is_the_writers(enricher: Enricher) -> None:
    text = "The minister said the economy was recovering, although unemployment rose again in June."
    assert said(enricher, text) == [("The minister", "the economy was recovering", "indirect")]


def test_modal_conjunct_with_a_cue_verb_stays_in_the_content(enricher: Enricher) -> None:
    text = (
        "The budget office says the plan would lower revenue in the first years as buyers "
        "delayed purchases, but would eventually add billions."
    )
    assert said(enricher, text) == [
        (
            "The budget office",
            "the plan would lower revenue in the first years as buyers delayed purchases, "
            "but would eventually add billions",
            "indirect",
        )
    ]


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "The governor's remarks on the teachers' strike angered the union.",
            "The governor",
            "the teachers' strike",
        ),
        (
            "The company's claims about the safety of its battery have not been tested.",
            "The company",
            "the safety of its battery",
        ),
    ],
)
def test_possessed_opinion_noun_about_a_topic(
    enricher: Enricher, text: str, speaker: str, content: str
) -> None:
    assert said(enricher, text) == [(speaker, content, "indirect")]


def test_possessed_remarks_on_a_date_are_not_a_topic(enricher: Enricher) -> None:
    assert said(enricher, "The governor's remarks on Saturday angered the union.") == []


def test_according_to_with_a_long_apposition_reports_what_comes_before(
    enricher: Enricher,
) -> None:
    text = (
        "Reading aloud to toddlers doubles their vocabulary, according to Ana Silva, a "
        "linguist at the University of Porto, and her colleagues."
    )
    assert said(enricher, text) == [
        ("Ana Silva", "Reading aloud to toddlers doubles their vocabulary", "indirect")
    ]


def test_that_clause_hung_on_an_adjunct_of_told(enricher: Enricher) -> None:
    text = (
        "Coach Ramon Diaz told one of his young players on a regular basis that patience "
        "wins games."
    )
    assert said(enricher, text) == [("Ramon Diaz", "patience wins games", "indirect")]


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "The spokeswoman noted that clients are beginning to demand faster delivery.",
            "The spokeswoman",
            "clients are beginning to demand faster delivery",
        ),
        (
            "Analysts said the company announced on Friday that profits would fall.",
            "Analysts",
            "the company announced on Friday that profits would fall",
        ),
    ],
)
def test_cue_inside_reported_words_is_part_of_them(
    enricher: Enricher, text: str, speaker: str, content: str
) -> None:
    assert said(enricher, text) == [(speaker, content, "indirect")]


def test_wish_verbs_do_not_report_a_clause_before_them(enricher: Enricher) -> None:
    assert said(enricher, "The board will meet on Monday, the chairman wants.") == []
    assert said(enricher, "The storm will weaken by Friday, forecasters believe.") == [
        ("forecasters", "The storm will weaken by Friday", "indirect")
    ]


def test_compared_to_keeps_both_sides(enricher: Enricher) -> None:
    text = "The coach often compares her to a young Serena Williams."
    assert said(enricher, text) == [("The coach", "her to a young Serena Williams", "indirect")]


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "The agency warned local officials to check their voting machines after hackers "
            "struck two states.",
            "The agency",
            "local officials to check their voting machines",
        ),
        (
            "The mayor pledged to cut bus fares if the council approved the budget.",
            "The mayor",
            "to cut bus fares if the council approved the budget",
        ),
        (
            "The coach encouraged her players to rest before the final.",
            "The coach",
            "her players to rest before the final",
        ),
    ],
)
def test_urging_verbs_with_an_infinitive(
    enricher: Enricher, text: str, speaker: str, content: str
) -> None:
    assert said(enricher, text) == [(speaker, content, "indirect")]


def test_mid_sentence_cue_with_its_own_adjunct_keeps_the_whole_sentence(
    enricher: Enricher,
) -> None:
    text = (
        "The middle bracket paid 9 percent of earnings, the office said in a March study, and "
        "the lowest paid 1 percent."
    )
    assert said(enricher, text) == [("the office", text[:-1], "indirect")]


def test_content_that_opens_a_quotation_runs_to_its_closing_mark(enricher: Enricher) -> None:
    text = (
        'The minister called the reform "a rare bright spot at a time when so many of our '
        'neighbours are slipping back."'
    )
    assert said(enricher, text) == [
        (
            "The minister",
            'the reform "a rare bright spot at a time when so many of our neighbours are '
            'slipping back."',
            "mixed",
        )
    ]


def test_further_predicate_hung_on_the_cue_stays_in_the_object(enricher: Enricher) -> None:
    text = (
        'The council condemned the launch as "reckless and dangerous" and a "grave threat" to '
        "the region."
    )
    assert said(enricher, text) == [
        (
            "The council",
            'the launch as "reckless and dangerous" and a "grave threat" to the region',
            "mixed",
        )
    ]


def test_urged_a_course_of_action(enricher: Enricher) -> None:
    text = "The envoy urged restraint on both sides of the border."
    assert said(enricher, text) == [
        ("The envoy", "restraint on both sides of the border", "indirect")
    ]


def test_spoke_on_a_date_is_not_a_topic(enricher: Enricher) -> None:
    assert said(enricher, "The mayor spoke on Monday.") == []


def test_quotation_after_that_runs_over_its_sentences(enricher: Enricher) -> None:
    text = 'The coach told reporters that "we lost our focus. We will fix it before the final."'
    assert said(enricher, text) == [
        ("The coach", '"we lost our focus. We will fix it before the final."', "mixed")
    ]


def test_quotation_introduced_by_someone_else_is_not_extended(enricher: Enricher) -> None:
    text = (
        'The agent said the deal was off, and when asked why, the player replied, "I want to '
        'stay here."'
    )
    assert ("the player", "I want to stay here.", "direct") in said(enricher, text)
    assert not any(c.endswith('stay here."') for _, c, _ in said(enricher, text))


def test_colon_after_the_content_spells_it_out(enricher: Enricher) -> None:
    text = (
        "The economist notes that several things are happening together: prices are rising, "
        "rates are low and banks are lending."
    )
    assert said(enricher, text) == [("The economist", text[25:-1], "indirect")]


def test_time_phrase_before_the_reported_subject_is_not_content(enricher: Enricher) -> None:
    text = (
        "The mayor told young voters on Sunday she would take it as a personal slight if they "
        "stayed home."
    )
    assert said(enricher, text) == [
        ("The mayor", "she would take it as a personal slight if they stayed home", "indirect")
    ]


def test_concession_after_a_mid_sentence_cue_is_the_writers(enricher: Enricher) -> None:
    text = (
        "The new engine, the company said, was its most efficient yet, although independent "
        "tests may take months."
    )
    assert said(enricher, text) == [
        ("the company", "The new engine, the company said, was its most efficient yet", "indirect")
    ]


def test_apposition_glossing_a_name_at_the_end_is_the_writers(enricher: Enricher) -> None:
    text = "The senator said she would not endorse Mr. Blake, the party's nominee for governor."
    assert said(enricher, text) == [("The senator", "she would not endorse Mr. Blake", "indirect")]


def test_apposition_inside_an_object_is_part_of_it(enricher: Enricher) -> None:
    text = "The union criticized Ms. Varga, the new transport minister."
    assert said(enricher, text) == [
        ("The union", "Ms. Varga, the new transport minister", "indirect")
    ]


def _tagged(enricher: Enricher, rows: list[tuple[str, str, str, str, int, str]]) -> Doc:
    """A Doc with a given tagging and parse (word, tag, pos, dep, head, lemma), to pin down a
    tagger slip whatever the model version."""
    w, tags, pos, deps, heads, lemmas = (list(x) for x in zip(*rows, strict=True))
    return Doc(
        enricher.nlp.vocab, words=w, tags=tags, pos=pos, deps=deps, heads=heads, lemmas=lemmas
    )


def test_cue_verb_tagged_as_plural_noun_with_a_subject(enricher: Enricher) -> None:
    doc = _tagged(
        enricher,
        [
            ("The", "DT", "DET", "det", 1, "the"),
            ("union", "NN", "NOUN", "nsubj", 2, "union"),
            ("plans", "NNS", "NOUN", "ROOT", 2, "plan"),
            ("to", "TO", "PART", "aux", 4, "to"),
            ("strike", "VB", "VERB", "xcomp", 2, "strike"),
            ("on", "IN", "ADP", "prep", 4, "on"),
            ("Monday", "NNP", "PROPN", "pobj", 5, "Monday"),
            (".", ".", "PUNCT", "punct", 2, "."),
        ],
    )
    out = enricher.analyze(doc, {"id": "t", "body": doc.text})
    assert [(s["speaker"]["name"], s["content"]["text"]) for s in out["statements"]] == [
        ("The union", "to strike on Monday")
    ]


def test_plural_noun_without_a_subject_stays_a_noun(enricher: Enricher) -> None:
    doc = _tagged(
        enricher,
        [
            ("Her", "PRP$", "PRON", "poss", 1, "her"),
            ("plans", "NNS", "NOUN", "nsubj", 2, "plan"),
            ("failed", "VBD", "VERB", "ROOT", 2, "fail"),
            (".", ".", "PUNCT", "punct", 2, "."),
        ],
    )
    enricher.analyze(doc, {"id": "t", "body": doc.text})
    assert doc[1].tag_ == "NNS"


def test_closing_report_with_its_own_speaker_is_not_the_first_ones(enricher: Enricher) -> None:
    text = (
        "Officials say they are increasingly worried the agency mishandled the case and "
        "lawmakers accused the board of hiding it."
    )
    assert said(enricher, text) == [
        ("Officials", "they are increasingly worried the agency mishandled the case", "indirect"),
        ("lawmakers", "hiding it", "indirect"),
    ]


def test_second_that_clause_is_still_reported(enricher: Enricher) -> None:
    text = "The mayor said the budget was balanced and that the city would hire more teachers."
    assert said(enricher, text) == [
        (
            "The mayor",
            "the budget was balanced and that the city would hire more teachers",
            "indirect",
        )
    ]


def test_wh_clause_right_after_a_speech_verb_is_what_was_not_said(enricher: Enricher) -> None:
    text = "Officials have not said when the bridge would reopen."
    assert said(enricher, text) == [("Officials", "when the bridge would reopen", "indirect")]


def test_convinced_after_a_copula_is_an_attitude(enricher: Enricher) -> None:
    text = "After years abroad, we are convinced our town is the finest place on earth."
    # "we" stays unresolved without a named antecedent
    assert said(enricher, text) == [(None, "our town is the finest place on earth", "indirect")]


def test_infinitive_conjunct_read_as_present_tense_continues_the_content(
    enricher: Enricher,
) -> None:
    text = "The mayor promised to keep and in some districts exceed the quotas."
    assert said(enricher, text) == [
        ("The mayor", "to keep and in some districts exceed the quotas", "indirect")
    ]


def test_survey_named_at_the_end_of_a_clause_states_it(enricher: Enricher) -> None:
    text = "Senator Ortiz holds a narrow lead in the latest university poll."
    assert said(enricher, text) == [
        ("the latest university poll", "Senator Ortiz holds a narrow lead", "indirect")
    ]


def test_time_in_a_report_period_is_not_a_source(enricher: Enricher) -> None:
    assert said(enricher, "Prices rose sharply in the report period.") == []


def test_infinitive_after_an_addressee_and_an_adjunct_is_what_was_told(
    enricher: Enricher,
) -> None:
    text = "Smith tells his supporters at an Ohio rally to “go to the polls early.”"
    assert said(enricher, text) == [
        ("Smith", "his supporters at an Ohio rally to “go to the polls early.”", "mixed")
    ]


def test_infinitive_of_purpose_after_a_thing_is_not_told(enricher: Enricher) -> None:
    assert said(enricher, "She told jokes to lighten the mood.") == []


def test_one_of_the_surveys_is_a_source_too(enricher: Enricher) -> None:
    text = "Despite the early hype, the senator did not gain ground in one of the first polls."
    assert said(enricher, text) == [
        (
            "one of the first polls",
            "Despite the early hype, the senator did not gain ground",
            "indirect",
        )
    ]


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "Spending in most member states falls below the targets recommended by the committee.",
            "the committee",
            "the targets",
        ),
        (
            "Fuel taxes remain unpopular, criticized by the union and the party alike.",
            "the union and the party",
            "Fuel taxes",
        ),
    ],
)
def test_participle_with_a_by_agent_is_a_passive_judgement(
    enricher: Enricher, text: str, speaker: str, content: str
) -> None:
    assert said(enricher, text) == [(speaker, content, "indirect")]


def test_participle_seen_by_many_is_no_judgement(enricher: Enricher) -> None:
    assert said(enricher, "The speech was followed by a dinner viewed by millions of people.") == []


def test_object_standing_with_a_margin_is_part_of_what_a_poll_shows(enricher: Enricher) -> None:
    text = "The latest state average shows Smith likewise ahead by four points."
    assert said(enricher, text) == [
        ("The latest state average", "Smith likewise ahead by four points", "indirect")
    ]


def test_predicate_read_as_a_second_object_stays_in_the_content(enricher: Enricher) -> None:
    text = "The senator labeled the plan a disaster on Tuesday on a morning radio show."
    assert said(enricher, text) == [("The senator", "the plan a disaster", "indirect")]


def test_person_read_as_a_first_object_is_to_whom_not_what(enricher: Enricher) -> None:
    doc = _tagged(
        enricher,
        [
            ("The", "DT", "DET", "det", 1, "the"),
            ("agency", "NN", "NOUN", "nsubj", 2, "agency"),
            ("offered", "VBD", "VERB", "ROOT", 2, "offer"),
            ("the", "DT", "DET", "det", 4, "the"),
            ("workers", "NNS", "NOUN", "dobj", 2, "worker"),
            ("new", "JJ", "ADJ", "amod", 6, "new"),
            ("treatments", "NNS", "NOUN", "dobj", 2, "treatment"),
            (".", ".", "PUNCT", "punct", 2, "."),
        ],
    )
    out = enricher.analyze(doc, {"id": "t", "body": doc.text})
    assert [(s["speaker"]["name"], s["content"]["text"]) for s in out["statements"]] == [
        ("The agency", "new treatments")
    ]


def test_verb_of_communication_beyond_say_reports_its_object(enricher: Enricher) -> None:
    text = "Mayor Lena Ortiz reaffirmed her support for the tram line."
    assert said(enricher, text) == [("Lena Ortiz", "her support for the tram line", "indirect")]


def test_a_documents_finding_is_what_it_states(enricher: Enricher) -> None:
    assert said(enricher, "The audit found 31 errors in the payroll records.") == [
        ("The audit", "31 errors in the payroll records", "indirect")
    ]
    assert said(enricher, "The engineers found a way to cool the reactor.") == []


def test_cue_in_s_read_as_a_compound_noun_is_the_verb(enricher: Enricher) -> None:
    # the tagger reads "Campaign plans" as one noun phrase; the infinitive after it says otherwise
    assert said(enricher, "Campaign plans to expand its staff in Ohio.") == [
        ("Campaign", "to expand its staff in Ohio", "indirect")
    ]


def test_content_noun_without_a_clause_still_names_its_topic(enricher: Enricher) -> None:
    text = "The senator's comment about the new steel tariffs drew criticism from farmers."
    assert said(enricher, text) == [("The senator", "the new steel tariffs", "indirect")]


def test_that_clause_with_a_verb_misread_as_adjective_is_still_the_content(
    enricher: Enricher,
) -> None:
    # the small tagger reads "undercut" as an adjective; "that" still opens a clause
    text = "Residents are afraid that the old harbor wall may be undercut by winter storms."
    assert said(enricher, text) == [
        ("Residents", "the old harbor wall may be undercut by winter storms", "indirect")
    ]


def test_cue_between_two_clauses_of_one_sentence_reports_the_sentence(enricher: Enricher) -> None:
    # the parser hangs the cue on the first clause; the sentence goes on past it
    text = (
        "Though the first transition was fairly smooth, she said, replacing the leader would be "
        "far more bitter."
    )
    assert said(enricher, text) == [
        (
            None,
            "Though the first transition was fairly smooth, she said, replacing the leader would "
            "be far more bitter",
            "indirect",
        )
    ]
    text = "Though the harbor stayed calm, Mayor Ruth Okafor said, the bridge would stay shut."
    assert said(enricher, text) == [
        (
            "Ruth Okafor",
            "Though the harbor stayed calm, Mayor Ruth Okafor said, the bridge would stay shut",
            "indirect",
        )
    ]


def test_a_pronoun_object_of_a_cue_is_what_it_is_about(enricher: Enricher) -> None:
    assert said(enricher, "Senator Maria Lopez has long opposed it.") == [
        ("Maria Lopez", "it", "indirect")
    ]
    # a verb that is no cue ("put it on the table") says nothing about its object
    assert said(enricher, "Engineer Paul Dunn put it on the table.") == []


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        # setting aside as unimportant is a judgement about the object
        (
            "Mayor Lena Ortiz ignored the warnings about the dam.",
            "Lena Ortiz",
            "the warnings about the dam",
        ),
        # liking and loathing are attitudes toward the object
        ("Commuters in Leeds love the new tram line.", "Commuters", "the new tram line"),
        # a vote is a decision: its infinitive is what was decided
        (
            "The city council voted to close the old library.",
            "The city council",
            "to close the old library",
        ),
    ],
)
def test_disregard_emotion_and_vote_verbs(
    enricher: Enricher, text: str, speaker: str, content: str
) -> None:
    assert said(enricher, text) == [(speaker, content, "indirect")]


def test_content_noun_owned_through_by(enricher: Enricher) -> None:
    text = "The claim by Mayor Ruth Okafor that the bridge was safe drew scorn."
    assert said(enricher, text) == [("Ruth Okafor", "the bridge was safe", "indirect")]
    # without an owner the noun names no speaker
    assert said(enricher, "The claim that the bridge was safe drew scorn.") == []


def test_who_clause_after_a_name_closing_a_reported_clause_is_the_writers(
    enricher: Enricher,
) -> None:
    text = (
        "Senator Tom Reyes said the board should dismiss Ann Lee, who has run the pension fund "
        "since 2010."
    )
    assert said(enricher, text) == [("Tom Reyes", "the board should dismiss Ann Lee", "indirect")]
    # after a common noun the clause is part of what was said
    text = "Senator Tom Reyes said the board should dismiss the managers, who had lost millions."
    assert said(enricher, text) == [
        ("Tom Reyes", "the board should dismiss the managers, who had lost millions", "indirect")
    ]


def test_gerund_hung_on_a_finite_cue_joins_its_object(enricher: Enricher) -> None:
    text = "The mayor mentioned higher parking fees and forcing landlords to repair old buildings."
    assert said(enricher, text) == [
        (
            "The mayor",
            "higher parking fees and forcing landlords to repair old buildings",
            "indirect",
        )
    ]


def test_that_clause_of_any_verb_keeps_its_modal_conjunct(enricher: Enricher) -> None:
    text = "The coach hinted that his striker was fit to play on Sunday, but would not start the match."
    assert said(enricher, text) == [
        (
            "The coach",
            "his striker was fit to play on Sunday, but would not start the match",
            "indirect",
        )
    ]


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "When she hires new staff, the director said she reads every application twice.",
            "When she hires new staff, the director said she reads every application twice",
        ),
        (
            "When he arrived at the plant, the director said the furnaces were already cold.",
            "the furnaces were already cold",
        ),
    ],
)
def test_fronted_present_tense_clause_is_part_of_what_was_said(
    enricher: Enricher, text: str, content: str
) -> None:
    assert said(enricher, text) == [("the director", content, "indirect")]


@pytest.mark.parametrize(
    ("text", "speaker", "content", "kind"),
    [
        (
            'The senator likened the new tax to "robbery in daylight" - a charge that angered '
            "the treasury.",
            "The senator",
            'the new tax to "robbery in daylight"',
            "mixed",
        ),
        (
            "The mayor dismissed the report as propaganda — a word she has used before.",
            "The mayor",
            "the report as propaganda",
            "indirect",
        ),
        (
            "Police said officers searched the house because they were seeking another woman - a "
            "witness to a fraud.",
            "Police",
            "officers searched the house because they were seeking another woman - a witness to a "
            "fraud",
            "indirect",
        ),
    ],
)
def test_dash_aside_naming_the_statement_is_the_writers(
    enricher: Enricher, text: str, speaker: str, content: str, kind: str
) -> None:
    assert said(enricher, text) == [(speaker, content, kind)]


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "Dr. Lee said he expects the mayor to recover from the flu, which forced her to cancel "
            "a trip to Boston.",
            "he expects the mayor to recover from the flu",
        ),
        (
            "Dr. Lee said the city needs the bridge, which carries ten thousand cars a day.",
            "the city needs the bridge, which carries ten thousand cars a day",
        ),
    ],
)
def test_past_which_clause_closing_a_present_report_is_the_writers(
    enricher: Enricher, text: str, content: str
) -> None:
    assert said(enricher, text) == [("Lee", content, "indirect")]


def test_according_to_with_a_lone_adverb_says_nothing(enricher: Enricher) -> None:
    assert said(enricher, "According to the union, essentially:\nHire nurses\nOpen the wards") == []
    assert said(enricher, "According to the union, essentially nothing has improved.") == [
        ("the union", "essentially nothing has improved", "indirect")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Everything the minister says is spin until shown otherwise.",
        "Nothing the senator said was new.",
    ],
)
def test_predicate_of_a_noun_the_cue_modifies_is_not_what_was_said(
    enricher: Enricher, text: str
) -> None:
    assert said(enricher, text) == []


@pytest.mark.parametrize("after", ["", "\n\nPrices rose."])
def test_closing_aside_is_found_before_a_paragraph_break(enricher: Enricher, after: str) -> None:
    text = "The reactor, the agency said, was safe, although inspectors have not yet visited it."
    assert said(enricher, text + after) == [
        ("the agency", "The reactor, the agency said, was safe", "indirect")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "It is hard to imagine a fairer tax code.",
        "It goes without saying that the bridge must be repaired.",
        "It is also impossible to judge the plan without knowing how much it costs.",
    ],
)
def test_dummy_it_of_an_extraposed_clause_is_no_speaker(enricher: Enricher, text: str) -> None:
    assert said(enricher, text) == []


def test_as_clause_cue_with_a_content_of_its_own_is_not_an_aside(enricher: Enricher) -> None:
    text = "The crowd cheered as the senator called for a recount of the ballots."
    assert said(enricher, text) == [("the senator", "a recount of the ballots", "indirect")]


def test_second_infinitive_hung_above_a_cue_participle_continues_it(enricher: Enricher) -> None:
    text = (
        "The chancellor has welcomed the new budget rules, promising to follow and in several "
        "areas tighten its limits."
    )
    assert said(enricher, text) == [
        ("The chancellor", "the new budget rules", "indirect"),
        ("The chancellor", "to follow and in several areas tighten its limits", "indirect"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Nordvik Motors recalled 120,000 cars on Monday because of a faulty brake sensor.",
        "The company recalled the batteries after two fires in Oslo.",
    ],
)
def test_a_company_recalling_goods_says_nothing(enricher: Enricher, text: str) -> None:
    assert said(enricher, text) == []


def test_a_person_recalling_still_speaks(enricher: Enricher) -> None:
    text = "The mayor recalled that the river had flooded the square twice."
    assert said(enricher, text) == [
        ("The mayor", "the river had flooded the square twice", "indirect")
    ]


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "Industry analysts said supply limits at the Hsinchu plant, which makes the chips, "
            "could slow deliveries.",
            "supply limits at the Hsinchu plant, which makes the chips, could slow deliveries",
        ),
        (
            "Traders said delays at the port, which handles most imports, could raise prices.",
            "delays at the port, which handles most imports, could raise prices",
        ),
    ],
)
def test_a_long_subject_parsed_as_the_cues_object_opens_the_content(
    enricher: Enricher, text: str, content: str
) -> None:
    (got,) = said(enricher, text)
    assert got[1] == content


def test_the_listener_of_tell_is_not_the_content(enricher: Enricher) -> None:
    text = "Mia Wong told reporters the new chip would ship in June."
    assert said(enricher, text) == [("Mia Wong", "the new chip would ship in June", "indirect")]


@pytest.mark.parametrize(
    "text",
    [
        "A spokesman for Nordvik Motors, who asked not to be named, said the talks were going on.",
        "Two aides, who spoke on condition of anonymity, said the vote would be delayed.",
        "The source, who declined to be identified, said the deal was done.",
    ],
)
def test_how_an_unnamed_source_was_quoted_is_no_statement(enricher: Enricher, text: str) -> None:
    got = said(enricher, text)
    assert len(got) == 1
    assert got[0][1] == text.rsplit("said ", 1)[1].rstrip(".")


@pytest.mark.parametrize(
    "text",
    [
        "The agency cited Maria Lopez as saying the deal was off.",
        "The agency quoted Maria Lopez as saying the deal was off.",
        "Maria Lopez was cited as saying the deal was off.",
    ],
)
def test_cited_as_saying_is_the_cited_persons_statement(enricher: Enricher, text: str) -> None:
    assert said(enricher, text) == [("Maria Lopez", "the deal was off", "indirect")]


def test_citing_a_reason_is_still_the_citers(enricher: Enricher) -> None:
    assert said(enricher, "The minister cited rising costs as the main reason.") == [
        ("The minister", "rising costs as the main reason", "indirect")
    ]


def test_a_second_that_clause_coordinated_with_the_cue_continues_the_content(
    enricher: Enricher,
) -> None:
    text = (
        "Nordvik Motors said it knew of no accidents linked to the fault, and that owners "
        "would be contacted by their dealers."
    )
    assert said(enricher, text) == [
        (
            "Nordvik Motors",
            "it knew of no accidents linked to the fault, and that owners would be contacted by "
            "their dealers",
            "indirect",
        )
    ]


def test_what_was_urged_comes_before_a_clause_split_off_later(enricher: Enricher) -> None:
    text = (
        "Health officials are urging older people to get vaccinated as hospitals prepare for "
        "what they fear could be the worst winter in years."
    )
    (got,) = said(enricher, text)
    assert got[0] == "Health officials"
    assert got[1].startswith("older people to get vaccinated")


def test_a_participle_hung_on_a_relative_clause_is_the_main_subjects(enricher: Enricher) -> None:
    text = (
        "A judge on Friday blocked a new Ohio law that would have banned most abortions after "
        "six weeks, ruling that it likely violated the constitution."
    )
    assert said(enricher, text) == [("A judge", "it likely violated the constitution", "indirect")]


def test_a_relative_clause_without_a_pronoun_says_what_the_noun_is(enricher: Enricher) -> None:
    text = "Rail fares will rise by 9 percent, a move the minister described as long overdue."
    assert said(enricher, text) == [
        ("the minister", "a move the minister described as long overdue", "indirect")
    ]


def test_participle_completing_an_object_has_the_object_as_subject(enricher: Enricher) -> None:
    text = "The long strike left many parents feeling that the school board had ignored them."
    assert said(enricher, text) == [
        ("many parents", "the school board had ignored them", "indirect")
    ]


def test_enjoying_support_is_having_it_not_an_attitude(enricher: Enricher) -> None:
    assert said(enricher, "The governor enjoys broad support among rural voters.") == []
    assert said(enricher, "The senator loves the new stadium plan.") == [
        ("The senator", "the new stadium plan", "indirect")
    ]


@pytest.mark.parametrize(
    ("text", "content", "kind"),
    [
        (
            "Mayor calls bridge closure a mistake as repairs drag on\nThe bridge is shut.",
            "bridge closure a mistake as repairs drag on",
            "indirect",
        ),
        (
            "Mayor calls bridge closure a “mistake” as repairs drag on\nThe bridge is shut.",
            "bridge closure a “mistake” as repairs drag on",
            "mixed",
        ),
        (
            "Mayor Calls Bridge Closure A Mistake As Repairs Drag On\nThe bridge is shut.",
            "Bridge Closure A Mistake As Repairs Drag On",
            "indirect",
        ),
    ],
)
def test_headline_report_runs_to_the_end_of_the_headline(
    enricher: Enricher, text: str, content: str, kind: str
) -> None:
    # a telegraphic headline: what follows the cue is what was said, adjuncts and all
    assert said(enricher, text) == [("Mayor", content, kind)]


def test_a_long_first_sentence_is_no_headline(enricher: Enricher) -> None:
    text = (
        "The mayor called the bridge closure a mistake during a long and heated meeting of the "
        "city council with angry residents on Tuesday night.\nThe bridge is shut."
    )
    assert said(enricher, text) == [("The mayor", "the bridge closure a mistake", "indirect")]


def test_an_infinitive_closing_the_sentence_is_no_cue_clause(enricher: Enricher) -> None:
    text = "But for the city, the hardest questions will take much longer to answer."
    assert said(enricher, text) == []
    assert said(enricher, "Fares likely to rise again next year, transit officials say.") == [
        ("transit officials", "Fares likely to rise again next year", "indirect")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Opponents will try to convince the judges to strike down the new rule.",
        "Investigators have tried for months to question the two former aides.",
    ],
)
def test_trying_to_win_over_or_to_question_is_no_statement(enricher: Enricher, text: str) -> None:
    assert said(enricher, text) == []


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "The senator tried to argue that the vote was illegal.",
            "The senator",
            "the vote was illegal",
        ),
        (
            "The mayor tried to make the case that the tax was fair.",
            "The mayor",
            "the tax was fair",
        ),
    ],
)
def test_trying_to_argue_still_says_it(
    enricher: Enricher, text: str, speaker: str, content: str
) -> None:
    assert said(enricher, text) == [(speaker, content, "indirect")]


def test_headline_report_holds_the_headlines_other_cues(enricher: Enricher) -> None:
    text = "Mayor seeks more bridge funds as he praises repair crews\nThe bridge is shut."
    assert said(enricher, text) == [
        ("Mayor", "more bridge funds as he praises repair crews", "indirect")
    ]


def test_body_of_a_feed_item_with_its_own_headline_opens_with_the_lede(
    enricher: Enricher,
) -> None:
    body = "Mayor calls bridge closure a mistake as repairs drag on\nThe bridge is shut."
    out = enricher.enrich({"id": "t", "body": body, "headline": "Bridge stays shut"})
    assert [s["content"]["text"] for s in out["statements"]] == ["bridge closure a mistake"]
    out = enricher.enrich({"id": "t", "body": body, "headline": body.split("\n")[0]})
    assert [s["content"]["text"] for s in out["statements"]] == [
        "bridge closure a mistake as repairs drag on"
    ]


def test_a_clause_before_a_semicolon_is_not_the_next_clauses_content(enricher: Enricher) -> None:
    text = "Governor blasts rivals as race tightens; poll shows dead heat\n\nMore follows here."
    got = said(enricher, text)
    assert ("poll", "dead heat", "indirect") in got
    assert all(not content.startswith("Governor") for _, content, _ in got)


def test_a_headlines_second_verb_shares_the_first_ones_subject(enricher: Enricher) -> None:
    text = "Mayor urges calm after storm, says power will return soon\n\nCrews worked overnight."
    got = said(enricher, text)
    assert ("Mayor", "power will return soon", "indirect") in got
    # the first verb has an object of its own: it does not say the whole headline
    assert all(not content.startswith("Mayor") for _, content, _ in got)


def test_a_cue_after_its_content_keeps_its_own_subject(enricher: Enricher) -> None:
    assert said(enricher, "The plan will fail, says the minister.") == [
        ("the minister", "The plan will fail", "indirect")
    ]


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "When the storm knocked out the grid, Mayor Ruiz and Governor Chan called the outage"
            " a scandal.",
            "Mayor Ruiz and Governor Chan",
            "the outage a scandal",
        ),
        (
            "After the vote in the county council of the northern province, Councillor Ama"
            " Boateng apparently disagrees with her own party.",
            "Councillor Ama Boateng",
            "her own party",
        ),
        (
            "In a long talk with the editors at the Daily Ledger Ortega said that rents"
            " would keep rising.",
            "Ortega",
            "rents would keep rising",
        ),
    ],
)
def test_a_name_hung_on_an_opening_phrase_is_the_subject_of_the_verb_after_it(
    enricher: Enricher, text: str, speaker: str, content: str
) -> None:
    assert spoken(enricher, text) == [(speaker, content)]


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "One of the nurses who signed the petition called the director a coward and a liar.",
            "One of the nurses who signed the petition",
            "the director a coward and a liar",
        ),
        (
            "Maria Olsen, the mayor's rival in the coming election, called Friday for closing"
            " the old mine.",
            "Maria Olsen",
            "closing the old mine",
        ),
    ],
)
def test_a_main_verb_read_as_a_participle_after_a_long_subject_is_the_cue(
    enricher: Enricher, text: str, speaker: str, content: str
) -> None:
    assert spoken(enricher, text) == [(speaker, content)]


def test_a_participle_that_names_something_is_no_cue(enricher: Enricher) -> None:
    assert said(enricher, "A dog called Rex was found in the park.") == []


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Hawaii, as one of the governor's advisers pointed out, rarely gets two storms in a"
            " row.",
            "one of the governor's advisers",
        ),
        (
            "The museum, as Ms. Adeyemi said in her speech, tells a story of survival.",
            "Ms. Adeyemi",
        ),
    ],
)
def test_an_as_aside_inside_a_sentence_says_the_sentence(
    enricher: Enricher, text: str, speaker: str
) -> None:
    assert spoken(enricher, text) == [(speaker, text.rstrip("."))]


def test_an_aside_without_a_cue_is_no_statement(enricher: Enricher) -> None:
    assert said(enricher, "Smith, as a result, lost the race.") == []


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "To understand the real Ann Lee, Chief Judge Park said, one should read her letters.",
            "Chief Judge Park",
            "To understand the real Ann Lee, Chief Judge Park said, one should read her letters",
        ),
        (
            "The stadium, which, Ortiz said, is usually full of fans, was empty on Sunday.",
            "Ortiz",
            "which, Ortiz said, is usually full of fans",
        ),
    ],
)
def test_a_cue_set_off_by_commas_before_the_rest_of_its_clause(
    enricher: Enricher, text: str, speaker: str, content: str
) -> None:
    assert spoken(enricher, text) == [(speaker, content)]


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        ("The minister said as much in a radio interview on Sunday.", "The minister", "as much"),
        ("The coach does not think so.", "The coach", "so"),
    ],
)
def test_a_pro_form_after_the_cue_stands_for_what_was_said(
    enricher: Enricher, text: str, speaker: str, content: str
) -> None:
    assert spoken(enricher, text) == [(speaker, content)]


def test_so_as_a_degree_word_is_no_pro_form(enricher: Enricher) -> None:
    assert said(enricher, "She said so many times.") == []


def test_one_standing_for_a_noun_is_what_was_judged(enricher: Enricher) -> None:
    text = "The mayor dislikes most of the proposals, but she endorsed one in May."
    assert ("she", "one") in spoken(enricher, text)


def test_a_relative_clause_hung_elsewhere_speaks_for_the_noun_before_its_pronoun(
    enricher: Enricher,
) -> None:
    text = (
        "To settle the question, reporters turned to the city housing office which reported"
        ' "4,000 empty flats" in the district last year.'
    )
    out = enricher.enrich({"id": "t", "body": text})
    assert [s["speaker"]["text"] for s in out["statements"]] == ["the city housing office"]


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "The senator laid out her plans for the harbour on Tuesday.",
            "The senator",
            "her plans for the harbour",
        ),
        (
            "The auditor pointed out several errors in the accounts.",
            "The auditor",
            "several errors in the accounts",
        ),
    ],
)
def test_laying_out_or_pointing_out_a_thing_of_words_says_it(
    enricher: Enricher, text: str, speaker: str, content: str
) -> None:
    assert spoken(enricher, text) == [(speaker, content)]


@pytest.mark.parametrize(
    "text", ["The workers laid out the tools on the bench.", "The guide pointed out the castle."]
)
def test_laying_out_or_pointing_out_a_thing_in_space_is_an_act(
    enricher: Enricher, text: str
) -> None:
    assert said(enricher, text) == []


def test_a_closing_cue_says_the_whole_sentence_before_it_with_a_report_inside(
    enricher: Enricher,
) -> None:
    text = (
        "The mayor had told officials that she wanted no escort, but the police overruled that"
        " request, the aide added."
    )
    # the mayor's own words inside it are a nested statement of hers
    assert spoken(enricher, text) == [
        ("the aide", text[: text.index(", the aide")]),
        ("The mayor", "she wanted no escort"),
    ]


def test_a_that_clause_made_the_root_after_a_comma_set_adjunct_is_the_cues_content(
    enricher: Enricher,
) -> None:
    text = (
        "The Democratic nominee continues to argue, most lately in a Labor Day talk with a radio"
        " network, that she truly, truly wants to publish her records but cannot because she is"
        " under review."
    )
    assert spoken(enricher, text) == [
        (
            "The Democratic nominee",
            "she truly, truly wants to publish her records but cannot because she is under review",
        )
    ]


def test_a_cue_with_an_object_of_its_own_does_not_say_the_clause_before_it(
    enricher: Enricher,
) -> None:
    text = "We have been here before: the rebel leader declared war on the republic."
    assert said(enricher, text) == [("the rebel leader", "war on the republic", "indirect")]


def test_the_object_of_told_is_the_listener_not_what_was_said(enricher: Enricher) -> None:
    assert said(enricher, "The plan will fail, Lee told the paper on Monday.") == [
        ("Lee", "The plan will fail", "indirect")
    ]


def test_a_later_clause_with_a_name_of_its_own_is_another_report(enricher: Enricher) -> None:
    text = (
        "The news set off a row on Friday: Republicans said they were sure the agency had"
        " botched the audit and Democrats accused the mayor of playing politics."
    )
    assert spoken(enricher, text) == [
        ("Republicans", "they were sure the agency had botched the audit"),
        ("Democrats", "the mayor of playing politics"),
    ]


def test_a_repeated_preposition_after_and_continues_the_content(enricher: Enricher) -> None:
    # the parse the small model gives in longer contexts: "and of ..." hung on the cue
    doc = _tagged(
        enricher,
        [
            ("Lopez", "NNP", "PROPN", "nsubj", 1, "Lopez"),
            ("said", "VBD", "VERB", "ROOT", 1, "say"),
            ("the", "DT", "DET", "det", 3, "the"),
            ("day", "NN", "NOUN", "nsubj", 4, "day"),
            ("stirred", "VBD", "VERB", "ccomp", 1, "stir"),
            ("memories", "NNS", "NOUN", "dobj", 4, "memory"),
            ("of", "IN", "ADP", "prep", 5, "of"),
            ("her", "PRP$", "PRON", "poss", 8, "her"),
            ("mother", "NN", "NOUN", "pobj", 6, "mother"),
            (",", ",", "PUNCT", "punct", 4, ","),
            ("and", "CC", "CCONJ", "cc", 1, "and"),
            ("of", "IN", "ADP", "prep", 1, "of"),
            ("her", "PRP$", "PRON", "poss", 13, "her"),
            ("friends", "NNS", "NOUN", "pobj", 11, "friend"),
            (".", ".", "PUNCT", "punct", 1, "."),
        ],
    )
    out = enricher.analyze(doc, {"id": "t", "body": doc.text})
    assert [s["content"]["text"] for s in out["statements"]] == [
        "the day stirred memories of her mother , and of her friends"
    ]


def test_responding_with_words_says_them(enricher: Enricher) -> None:
    text = "The senator has responded with attacks on the governor, including a string of posts."
    assert said(enricher, text) == [
        ("The senator", "attacks on the governor, including a string of posts", "indirect")
    ]


def test_responding_with_force_is_an_act(enricher: Enricher) -> None:
    assert said(enricher, "The police responded with tear gas and rubber bullets.") == []


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "Several lenders have already frozen new mortgages in the region, two bankers said,"
            " a step that could slow sales for months.",
            "two bankers",
            "Several lenders have already frozen new mortgages in the region",
        ),
        (
            "Dutch lender Veldhoven Bank will cut 1,200 jobs in Belgium, the bank announced on"
            " Thursday, its deepest cuts in a decade.",
            "the bank",
            "Dutch lender Veldhoven Bank will cut 1,200 jobs in Belgium",
        ),
    ],
)
def test_a_noun_phrase_after_a_cue_set_off_by_commas_is_an_aside(
    enricher: Enricher, text: str, speaker: str, content: str
) -> None:
    assert spoken(enricher, text) == [(speaker, content)]


def test_a_judgement_after_a_past_perfect_clause_is_the_speakers_own(enricher: Enricher) -> None:
    text = (
        "Coach Ana Whitlock said her team had been too slow in the first half and praised her"
        " defenders for holding the line."
    )
    assert spoken(enricher, text) == [
        ("Coach Ana Whitlock", "her team had been too slow in the first half"),
        ("Coach Ana Whitlock", "her defenders for holding the line"),
    ]


def test_said_in_a_statement_that_with_a_passive_clause(enricher: Enricher) -> None:
    text = (
        "The port authority said in a statement that 300 containers of grain had been released"
        " to importers."
    )
    assert spoken(enricher, text) == [
        ("The port authority", "300 containers of grain had been released to importers")
    ]


def test_conceding_points_or_penalties_is_no_statement(enricher: Enricher) -> None:
    assert spoken(enricher, "Fiji conceded six penalties in the second half.") == []
    assert spoken(enricher, "Fiji conceded that the referee had been right.") == [
        ("Fiji", "the referee had been right")
    ]


def test_according_to_a_role_and_its_name(enricher: Enricher) -> None:
    text = (
        "According to Acme's chief financial officer, Otieno Wafula, the company has not been"
        " asked to join the pilot."
    )
    assert said(enricher, text) == [
        ("Otieno Wafula", "the company has not been asked to join the pilot", "indirect")
    ]


def test_being_won_over_is_no_statement(enricher: Enricher) -> None:
    assert spoken(enricher, "Not all historians are convinced by the dating.") == []


def test_a_lead_whose_object_the_parser_gave_to_the_cue(enricher: Enricher) -> None:
    text = (
        "A faulty signal and a driver who missed a speed warning caused the collision of two"
        " trains near the town of Kutno last August that killed nine people, Poland's State"
        " Commission on Railway Accidents said on Friday."
    )
    assert [c for _, c in spoken(enricher, text)] == [text.split(", Poland")[0]]


def test_a_clause_after_a_semicolon_is_the_writers(enricher: Enricher) -> None:
    text = (
        "A spokesman said the delay in the payments was not deliberate; the staff only heard"
        " of the new rules on Friday."
    )
    assert spoken(enricher, text) == [
        ("A spokesman", "the delay in the payments was not deliberate")
    ]


def test_that_read_as_a_determiner_still_opens_the_clause(enricher: Enricher) -> None:
    text = (
        "She argued that low uptake in Nigeria, where the eNaira was launched in 2021, showed"
        " that a digital currency needed a clear advantage over existing options."
    )
    assert [c for _, c in spoken(enricher, text)] == [
        text[len("She argued that ") : -1],
    ]


def test_a_lead_with_the_cues_participle_after_it(enricher: Enricher) -> None:
    text = (
        "Chile will impose a 20 percent tariff on imports of rolled steel from May 1, Economy"
        " Minister Rosa Vidal announced on Monday, saying cheap foreign metal was threatening"
        " jobs."
    )
    assert [c for _, c in spoken(enricher, text)] == [
        "Chile will impose a 20 percent tariff on imports of rolled steel from May 1",
        "cheap foreign metal was threatening jobs",
    ]


def test_calling_something_a_phrase_with_on_in_it_is_not_calling_on(enricher: Enricher) -> None:
    text = "Senator Ruth Obi called the release “a man-made disaster on top of a natural one”."
    assert [c for _, c in spoken(enricher, text)] == [
        "the release “a man-made disaster on top of a natural one”"
    ]


def test_a_share_of_things_shows_no_view(enricher: Enricher) -> None:
    text = (
        "Nearly two-thirds of the reefs surveyed along the coast this summer showed severe"
        " bleaching, scientists said."
    )
    assert spoken(enricher, text) == [
        (
            "scientists",
            "Nearly two-thirds of the reefs surveyed along the coast this summer showed severe"
            " bleaching",
        )
    ]


def test_according_to_a_role_and_its_name_closing_the_sentence(enricher: Enricher) -> None:
    text = "The press printed 3,000 copies, according to its managing director, Ruth Calloway."
    assert said(enricher, text) == [("Ruth Calloway", "The press printed 3,000 copies", "indirect")]


def test_a_contrasting_report_beside_the_first(enricher: Enricher) -> None:
    text = (
        "Treasury estimates published last year suggested a 6 percent rise could cost up to"
        " 5,000 jobs, while a study by Auckland-based Hapori Economics found no measurable"
        " effect on employment."
    )
    assert [c for _, c in spoken(enricher, text)] == [
        "a 6 percent rise could cost up to 5,000 jobs",
        "no measurable effect on employment",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "In a campaign video, Senator Alma Ruiz painted her rival as a friend of the banks.",
            [("Alma Ruiz", "her rival as a friend of the banks", "indirect")],
        ),
        (
            "Investigators linked the outage to a failed software update at the data centre.",
            [
                (
                    "Investigators",
                    "the outage to a failed software update at the data centre",
                    "indirect",
                )
            ],
        ),
        ("Volunteers painted the school fence on Saturday.", []),
        ("Police identified the driver late on Sunday.", []),
    ],
)
def test_verbs_that_judge_only_through_a_predicate(
    enricher: Enricher, text: str, expected: list
) -> None:
    assert said(enricher, text) == expected


def _parsed(rows: list[tuple[str, str, str, str, int]], ents: list[tuple[int, int, str]]) -> Doc:
    """A Doc with a given parse (word, tag, pos, dep, head): the model's misparses, made to order."""
    from spacy.tokens import Span

    words, tags, pos, deps, heads = (list(x) for x in zip(*rows, strict=True))
    doc = Doc(shared_model().vocab, words=words, tags=tags, pos=pos, deps=deps, heads=heads)
    for t in doc:
        t.lemma_ = t.lower_
    doc.ents = [Span(doc, a, b, label=lab) for a, b, lab in ents]
    return doc


def test_a_closing_name_the_parser_hung_on_the_lead() -> None:
    from wirewatch.nlp.common import subject_of

    # "..., Heritage Office announced.": the cue read as a modifier of the lead's last noun
    doc = _parsed(
        [
            ("Divers", "NNS", "NOUN", "nsubj", 1),
            ("found", "VBD", "VERB", "ROOT", 1),
            ("a", "DT", "DET", "det", 3),
            ("tomb", "NN", "NOUN", "dobj", 1),
            (",", ",", "PUNCT", "punct", 3),
            ("Heritage", "NNP", "PROPN", "compound", 6),
            ("Office", "NNP", "PROPN", "appos", 3),
            ("announced", "VBD", "VERB", "acl", 3),
            (".", ".", "PUNCT", "punct", 1),
        ],
        [(5, 7, "ORG")],
    )
    doc[7].lemma_ = "announce"
    subj = subject_of(doc[7])
    assert subj is not None and subj.text == "Office"


def test_a_bare_verb_torn_from_the_reported_clause_is_no_second_report() -> None:
    from wirewatch.nlp.common import subject_of

    # "Haddad said inscriptions ... and link him to ...": "link" hung on "said"
    doc = _parsed(
        [
            ("Haddad", "NNP", "PROPN", "nsubj", 1),
            ("said", "VBD", "VERB", "ROOT", 1),
            ("inscriptions", "NNS", "NOUN", "dobj", 1),
            ("and", "CC", "CCONJ", "cc", 1),
            ("link", "VB", "VERB", "conj", 1),
            ("him", "PRP", "PRON", "dobj", 4),
            (".", ".", "PUNCT", "punct", 1),
        ],
        [(0, 1, "PERSON")],
    )
    assert subject_of(doc[4]) is None
    doc[4].tag_ = "VBD"  # "said ... and warned": the reporter's second act
    assert subject_of(doc[4]) is not None and subject_of(doc[4]).text == "Haddad"


def test_a_margin_after_by_is_not_who_spoke(enricher: Enricher) -> None:
    assert said(enricher, "Okafor was declared the winner by just 87 votes.") == []
    assert said(enricher, "The plan was criticized by 40 lawmakers.") == [
        ("40 lawmakers", "The plan", "indirect")
    ]


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "Ms. Okafor spoke of the history of the port, built by convicts, and how the town"
            " grew around it.",
            "the history of the port, built by convicts, and how the town grew around it",
        ),
    ],
)
def test_what_a_prepositional_cue_is_about_runs_on(
    enricher: Enricher, text: str, content: str
) -> None:
    assert [c for _, c in spoken(enricher, text)] == [content]


def test_according_to_followed_by_the_writers_aside(enricher: Enricher) -> None:
    text = (
        "Household debt would rise by as much as 8 percent, according to the Halden Institute,"
        " three times what it reached the year before."
    )
    assert said(enricher, text) == [
        ("Halden Institute", "Household debt would rise by as much as 8 percent", "indirect")
    ]


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("Senator Ruth Adair voted against the farm subsidy bill.", "the farm subsidy bill"),
        (
            "The central bank decided against raising interest rates this month.",
            "raising interest rates this month",
        ),
    ],
)
def test_a_stance_taken_by_voting_or_deciding_against(
    enricher: Enricher, text: str, content: str
) -> None:
    assert [c for _, c in spoken(enricher, text)] == [content]


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "A state appeals court ruled on Tuesday against the county's new parking fees.",
            "the county's new parking fees",
        ),
        (
            "Teachers' union leaders ripped the governor as out of touch with classrooms.",
            "the governor as out of touch with classrooms",
        ),
    ],
)
def test_ruling_against_and_ripping_into(enricher: Enricher, text: str, content: str) -> None:
    assert [c for _, c in spoken(enricher, text)] == [content]


def test_a_backshifted_conjunct_goes_on_with_what_was_said() -> None:
    from wirewatch.nlp.reported import _shared_conjuncts

    # "Acme said it was sorry and was working with police", "working" hung on "said"
    doc = _parsed(
        [
            ("Acme", "NNP", "PROPN", "nsubj", 1),
            ("said", "VBD", "VERB", "ROOT", 1),
            ("it", "PRP", "PRON", "nsubj", 3),
            ("was", "VBD", "AUX", "ccomp", 1),
            ("sorry", "JJ", "ADJ", "acomp", 3),
            ("and", "CC", "CCONJ", "cc", 1),
            ("was", "VBD", "AUX", "aux", 7),
            ("working", "VBG", "VERB", "conj", 1),
            ("with", "IN", "ADP", "prep", 7),
            ("police", "NNS", "NOUN", "pobj", 8),
            (".", ".", "PUNCT", "punct", 1),
        ],
        [(0, 1, "ORG")],
    )
    doc[1].lemma_ = "say"
    assert _shared_conjuncts(doc[1], 5, "MODAL", "VBD") == 10
    doc[1].tag_ = "VBZ"  # "says ... and was working": no backshift after a present cue
    assert _shared_conjuncts(doc[1], 5, "MODAL", "VBD") == 5


def test_a_backshifted_conjunct_after_a_participle_is_not_the_first_report(
    enricher: Enricher,
) -> None:
    text = (
        "Brevik Health denied that it had paid the hackers, saying it would “never reward"
        " criminals” and had reported the attack to police."
    )
    assert spoken(enricher, text)[0] == ("Brevik Health", "it had paid the hackers")


def test_weighing_a_plan_is_an_attitude_weighing_a_load_is_not(enricher: Enricher) -> None:
    assert spoken(enricher, "Finance ministers weigh plans for a tax on plastic packaging.") == [
        ("Finance ministers", "plans for a tax on plastic packaging")
    ]
    assert spoken(enricher, "The new rover weighs 900 kilograms.") == []


def test_no_statement_from_a_view_over_a_place(enricher: Enricher) -> None:
    text = "The minister spoke in a hut on an army base that overlooks Lake Taupo in Waikato."
    assert [c for _, c in spoken(enricher, text)] == []


def test_a_share_of_those_polled_picks_a_candidate(enricher: Enricher) -> None:
    text = "Among likely voters, 51 percent would choose Ortega for governor."
    assert spoken(enricher, text) == [("51 percent", "Ortega")]
    assert spoken(enricher, "The board would choose Ortega for the job.") == []


def test_an_adverbial_after_a_closing_cue_is_the_writers(enricher: Enricher) -> None:
    text = (
        "The Bank of Norway bought 3.2 tonnes of silver in May, its biggest monthly purchase,"
        " the bank said on Tuesday, as central banks across Europe kept adding to reserves."
    )
    assert spoken(enricher, text) == [
        (
            "the bank",
            "The Bank of Norway bought 3.2 tonnes of silver in May, its biggest monthly purchase",
        )
    ]


@pytest.mark.parametrize(
    ("lead", "who", "name", "added"),
    [
        # the parser coordinates the cue with the lead and hangs the name on its last noun
        (
            "The outbreaks were detected near the town of Biała Podlaska after workers reported"
            " an unusual rise in deaths among laying hens",
            "chief veterinary officer Tomasz Wielgosz told a news conference",
            "Tomasz Wielgosz",
            "a 10-km surveillance zone had been set up",
        ),
        # the parser hangs the lead's time clause on the cue
        (
            "The leak was found near the village of Kolby after divers reported an unusual rise"
            " in dead fish along the reef",
            "chief fisheries inspector Anna Holm told a news conference",
            "Anna Holm",
            "a 5-km exclusion zone had been set up",
        ),
    ],
)
def test_a_closing_cue_after_a_long_lead_with_a_time_clause(
    enricher: Enricher, lead: str, who: str, name: str, added: str
) -> None:
    assert said(enricher, f"{lead}, {who}, adding that {added}.") == [
        (name, lead, "indirect"),
        (name, added, "indirect"),
    ]


def test_what_was_told_read_as_a_relative_clause_on_the_addressee(enricher: Enricher) -> None:
    text = (
        "The union's leader, Rosa Imbert, told a regional television station that nurses had"
        " learned of the closure from the newspapers."
    )
    assert said(enricher, text) == [
        ("Rosa Imbert", "nurses had learned of the closure from the newspapers", "indirect")
    ]


def test_a_warning_relayed_inside_a_report(enricher: Enricher) -> None:
    text = "The daily La Prensa reported that a 2021 city audit had warned the beams were rusting."
    assert spoken(enricher, text) == [
        ("The daily La Prensa", "a 2021 city audit had warned the beams were rusting"),
        ("a 2021 city audit", "the beams were rusting"),
    ]


def test_claiming_victims_is_no_statement(enricher: Enricher) -> None:
    assert spoken(enricher, "The flood, which has claimed dozens of farms, is receding.") == []
    assert spoken(enricher, "The company has claimed several patents on the design.") == [
        ("The company", "several patents on the design")
    ]


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("Farm leaders bristled at the new limits on water use.", "the new limits on water use"),
        ("The council is leaning toward a ban on diesel buses.", "a ban on diesel buses"),
        (
            "Fans rejoiced in the club's first league title.",
            "the club's first league title",
        ),
    ],
)
def test_reactions_and_leanings_through_a_preposition(
    enricher: Enricher, text: str, content: str
) -> None:
    assert [c for _, c in spoken(enricher, text)] == [content]


def test_pointing_out_is_saying(enricher: Enricher) -> None:
    text = (
        "Some tenants have warned that rents will rise. The old tower was built for workers on"
        " low pay, they point out."
    )
    assert said(enricher, text)[-1] == (
        "Some tenants",
        "The old tower was built for workers on low pay",
        "indirect",
    )


@pytest.mark.parametrize(
    "text",
    [
        'The tunnel, Transport Minister Ana Ruivo told reporters at the site, would "change how'
        ' this region travels" for decades.',
        "The bridge, the mayor told residents, will reopen in May.",
    ],
)
def test_a_fronted_subject_before_a_cue_with_a_listener(enricher: Enricher, text: str) -> None:
    [(_, content)] = spoken(enricher, text)
    assert content == text.rstrip(".")


def test_a_second_that_clause_hung_on_an_aside_about_a_name(enricher: Enricher) -> None:
    text = (
        "Race officials said the stage win would pass to Ecuadorean Diego Mora, who finished 14"
        " seconds behind, and that Quintero's results would be removed from the general"
        " classification."
    )
    assert [c for _, c in spoken(enricher, text)] == [text[len("Race officials said ") : -1]]


def test_a_verbless_comment_after_a_mid_cue_may_hold_a_participle(enricher: Enricher) -> None:
    text = (
        "Operating profit fell to $412 million from $0.9 billion a year earlier, the group said,"
        " slightly above the $390 million forecast by analysts in a company-compiled poll."
    )
    assert [c for _, c in spoken(enricher, text)] == [
        "Operating profit fell to $412 million from $0.9 billion a year earlier"
    ]


def test_a_concession_in_the_speakers_own_words(enricher: Enricher) -> None:
    text = (
        "Nurse Orla Quinn said she would vote for the strike, although she was anxious about"
        " her patients."
    )
    assert spoken(enricher, text) == [
        (
            "Nurse Orla Quinn",
            "she would vote for the strike, although she was anxious about her patients",
        )
    ]
    # the writer's concession stays out
    text = "Quinn said the ward was safe, although inspectors found faults in March."
    assert spoken(enricher, text) == [("Quinn", "the ward was safe")]


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "The drivers' union threw its support behind the mayor's bus plan.",
            "the mayor's bus plan",
        ),
        (
            "The Health Secretary, Mira Vance, set out plans on Monday to cap rents for nurses.",
            "plans on Monday to cap rents for nurses",
        ),
        (
            'Ortega tweeted after the debate that the "career politicians" had "spent two hours'
            ' bickering."',
            'the "career politicians" had "spent two hours bickering."',
        ),
        (
            "Doctors from both hospitals had warned at the time that it would close the wards.",
            "it would close the wards",
        ),
    ],
)
def test_backing_setting_out_and_clauses_hung_on_a_time(
    enricher: Enricher, text: str, content: str
) -> None:
    assert [c for _, c in spoken(enricher, text)] == [content]


@pytest.mark.parametrize(
    ("text", "who", "what"),
    [
        (
            "Only 34 percent approve of Lindqvist's handling of the economy.",
            "Only 34 percent",
            "Lindqvist's handling of the economy",
        ),
        (
            "Most voters approve of the governor's handling of the economy.",
            "Most voters",
            "the governor's handling of the economy",
        ),
    ],
)
def test_approving_of_something(enricher: Enricher, text: str, who: str, what: str) -> None:
    assert spoken(enricher, text) == [(who, what)]


def test_backing_read_as_an_adverb(enricher: Enricher) -> None:
    text = "Most of Ohio's Republican members of Congress back Whitlock's candidacy."
    assert [c for _, c in spoken(enricher, text)] == ["Whitlock's candidacy"]
    assert spoken(enricher, "The troops moved back toward the river.") == []


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("The finance minister ruled out a tax increase.", "a tax increase"),
        ("The company played down the risk of further delays.", "the risk of further delays"),
        (
            "Health officials brushed aside concerns about the vaccine.",
            "concerns about the vaccine",
        ),
        ("Health officials dismissed concerns about the vaccine.", "concerns about the vaccine"),
    ],
)
def test_phrasal_judgements_and_rebutting_someone_elses_concerns(
    enricher: Enricher, text: str, content: str
) -> None:
    assert [c for _, c in spoken(enricher, text)] == [content]


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "Ministers are billing the reform as the biggest change to pensions since 1990.",
            "the reform as the biggest change to pensions since 1990",
        ),
        ("Opponents framed the tax as an attack on farmers.", "the tax as an attack on farmers"),
        ("She cast her vote early.", None),
    ],
)
def test_billing_framing_and_casting_as_judgements(
    enricher: Enricher, text: str, content: str | None
) -> None:
    assert [c for _, c in spoken(enricher, text)] == ([content] if content else [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Republicans are hoping the courts move quickly.",
            [("Republicans", "the courts move quickly")],
        ),
        (
            "Okafor himself is convinced the doubters will come around.",
            [("Okafor", "the doubters will come around")],
        ),
        (
            "Ruth Ames likes to say she learned politics at her mother's bakery in Toledo.",
            [("Ruth Ames", "she learned politics at her mother's bakery in Toledo")],
        ),
        (
            "She wants Congress to fund treatment beds in every county and has promised to push"
            " for mandatory minimum sentences for fentanyl traffickers.",
            [
                ("She", "Congress to fund treatment beds in every county"),
                ("She", "to push for mandatory minimum sentences for fentanyl traffickers"),
            ],
        ),
    ],
)
def test_hopes_convictions_habits_and_a_second_act_after_an_infinitive(
    enricher: Enricher, text: str, expected: list[tuple[str, str]]
) -> None:
    assert spoken(enricher, text) == expected


def test_calling_a_claim_a_lie_read_as_an_apposition(enricher: Enricher) -> None:
    text = (
        "Economists said the rescue explained only part of the rebound.\n\n"
        "Teague’s campaign called Mayfield’s claim “a lie, plain and simple.”"
    )
    assert spoken(enricher, text)[-1] == (
        "Teague’s campaign",
        "Mayfield’s claim “a lie, plain and simple.”",
    )


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "Former Governor Ana Ruiz criticized the transit levy as a “crazy scheme” during a"
            " campaign stop in Fresno.",
            "the transit levy as a “crazy scheme”",
        ),
        (
            "Christensen blasted the mayor as a “disgrace” Wednesday on a local radio show.",
            "the mayor as a “disgrace”",
        ),
    ],
)
def test_when_and_where_a_judgement_was_made_are_not_part_of_it(
    enricher: Enricher, text: str, content: str
) -> None:
    assert [c for _, c in spoken(enricher, text)] == [content]


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("The union's president cautioned against rushing to judgment.", "rushing to judgment"),
        (
            "The Herald's editorial board endorsed Mayor Ann Price, the Democratic nominee, in a"
            " 900-word editorial.",
            "Mayor Ann Price, the Democratic nominee",
        ),
    ],
)
def test_cautioning_against_and_where_an_endorsement_was_made(
    enricher: Enricher, text: str, content: str
) -> None:
    assert [c for _, c in spoken(enricher, text)] == [content]


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            # the parser hangs the quotation on the first cue; it goes on with the infinitive
            'Darden accused Garrity of "voting with the special interests 94 percent of the time"'
            ' and vowed to protect Medicare "like my mama\'s life depends on it, because it does."',
            'to protect Medicare "like my mama\'s life depends on it, because it does."',
        ),
        (
            # after a quotation the writer's "a post that ..." is read as an object
            'Garrity himself tweeted that Ambrose "should stick to coaching," a post that drew'
            " hundreds of replies within an hour.",
            'Ambrose "should stick to coaching,"',
        ),
    ],
)
def test_a_quotation_running_on_and_the_writers_word_after_one(
    enricher: Enricher, text: str, content: str
) -> None:
    assert content in [c for _, c in spoken(enricher, text)]


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            # the second that-clause, coordinated with the cue, after a clause on the occasion
            "Vernon Tull, the state's top election official, said in a statement that federal help"
            " was welcome but that “Washington does not run elections, and it should not start"
            " now.”",
            "Vernon Tull",
            "federal help was welcome but that “Washington does not run elections, and it should"
            " not start now.”",
        ),
        (
            # a cue in a relative clause on the speaker is a note on who they are
            "The editorial page editor, Gideon Pratt, who wrote the editorial, described the"
            " board’s vote as unanimous.",
            "Gideon Pratt",
            "the board’s vote as unanimous",
        ),
        (
            "Arthur Bellamy, a former Treasury official who advises the campaign, argued in a memo"
            " circulated to reporters that the analysis ignored the effect of bringing home"
            " corporate profits held overseas.",
            "Arthur Bellamy",
            "the analysis ignored the effect of bringing home corporate profits held overseas",
        ),
    ],
)
def test_a_second_that_clause_after_an_occasion_and_a_cue_in_the_speakers_bio(
    enricher: Enricher, text: str, speaker: str, content: str
) -> None:
    assert (speaker, content, "mixed" if "“" in content else "indirect") in said(enricher, text)


@pytest.mark.parametrize(
    ("text", "wanted", "unwanted"),
    [
        (
            # the writer's summary after the content, with a participle instead of a clause
            "The group said it would count the vote on its annual scorecard, a warning aimed"
            " squarely at Republicans who might side with the speaker.",
            "it would count the vote on its annual scorecard",
            None,
        ),
        (
            "Senate Minority Leader Grace Whitaker, speaking on the Senate floor, accused House"
            ' Republicans of "holding the government hostage."',
            '"holding the government hostage."',
            "the Senate floor",
        ),
        (
            "Helen Marchetti praised the court on Twitter, writing that the decision was “a win"
            " for every woman” and pledging to appoint justices who would protect abortion rights.",
            "the decision was “a win for every woman”",
            "the court on Twitter",
        ),
        (
            "A senior Crane adviser, who asked not to be identified discussing internal"
            " deliberations, said the campaign would not change course.",
            "the campaign would not change course",
            "not to be identified discussing internal deliberations",
        ),
    ],
)
def test_what_the_writer_adds_where_and_how_it_was_said_and_a_next_participle(
    enricher: Enricher, text: str, wanted: str, unwanted: str | None
) -> None:
    contents = [c for _, c in spoken(enricher, text)]
    assert wanted in contents
    assert unwanted not in contents


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "A Great Lakes Opinion Research survey found Marchetti up five in Michigan.",
            "Marchetti up five in Michigan",
        ),
        (
            # a two-word subject before a cue set off by commas, the quote going on with it and
            # the sentence going on after the quote
            'The senator defended his record. His challenger, he said, "has never had to make a'
            ' payroll" and did not understand how exports kept rural towns alive.',
            'His challenger, he said, "has never had to make a payroll" and did not understand how'
            " exports kept rural towns alive",
        ),
    ],
)
def test_a_polls_standing_and_a_quote_finishing_a_short_subjects_sentence(
    enricher: Enricher, text: str, content: str
) -> None:
    assert content in [c for _, c in spoken(enricher, text)]


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            # the parser makes a word of the quotation the root: the cue is still the sentence's
            'Attorney General Ann Lee spoke on Monday.\n\nThe investigation, she said, was "not about'
            " politics, it's about the law,\" and would continue no matter who wins in November.",
            'The investigation, she said, was "not about politics, it\'s about the law," and would'
            " continue no matter who wins in November",
        ),
        (
            # the that-clause hung on the aside's noun ("evidence that ...") is what was claimed
            'Clay Dorrance called the decision "a disaster" and claimed without offering evidence'
            ' that dead people were "voting all over Ohio" and that the election was "being rigged"'
            " by judges.",
            'dead people were "voting all over Ohio" and that the election was "being rigged" by'
            " judges",
        ),
    ],
)
def test_a_set_in_cue_before_a_quotation_and_a_claim_past_a_without_aside(
    enricher: Enricher, text: str, content: str
) -> None:
    contents = [c for _, c in spoken(enricher, text)]
    assert content in contents
    assert not any(c.startswith("evidence") for c in contents)  # nothing was offered


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            'Ortiz said there remains a "big difference between startups and federal agencies," when it'
            " comes to how many engineers work on each project.",
            'there remains a "big difference between startups and federal agencies," when it comes to how'
            " many engineers work on each project",
        ),
        (
            # another speaker's reply, joined by "and", is not part of what she said
            "Ann Lee spoke last week.\n\nShe said adoptive parents would not qualify for the"
            ' leave, and when asked about the gap, the mother of three replied, "It is a start."',
            "adoptive parents would not qualify for the leave",
        ),
    ],
)
def test_when_it_comes_to_goes_on_and_a_mothers_reply_is_her_own(
    enricher: Enricher, text: str, content: str
) -> None:
    assert content in [c for _, c in spoken(enricher, text)]


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        # the parser reads the set-in cue as the subject's apposition with a modifier
        (
            "A Quarry Hill poll came out on Monday.\n\nVoters, the Quarry Hill poll found, remain"
            " deeply unhappy with both of their choices.",
            "Quarry Hill",
            "Voters, the Quarry Hill poll found, remain deeply unhappy with both of their choices",
        ),
        # a poll that finds, set in, says the sentence, even one with a report of its own
        (
            "A Quarry Hill survey came out on Monday.\n\nOnly 9 percent, the survey found, said the"
            " issue would decide their vote.",
            "the survey",
            "Only 9 percent, the survey found, said the issue would decide their vote",
        ),
    ],
)
def test_a_set_in_finding_of_a_poll_says_the_sentence(
    enricher: Enricher, text: str, speaker: str, content: str
) -> None:
    assert any(s == speaker and c == content for s, c, _ in said(enricher, text))


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            'Ruth Castellanos, the Democratic incumbent, called the comments "beneath the office"'
            " Vance is seeking and said Arizona deserved a senator who could talk about"
            " immigration.",
            "Ruth Castellanos",
            "Arizona deserved a senator who could talk about immigration",
        ),
        (
            'Sen. Roberta Klein of Indiana praised him as "the kind of steady hand" the department'
            " needs and urged Wendell to move quickly.",
            "Roberta Klein",
            "Wendell to move quickly",
        ),
    ],
)
def test_a_past_cue_joined_to_a_present_clause_is_the_first_speakers(
    enricher: Enricher, text: str, speaker: str, content: str
) -> None:
    # the parser joins the past cue to the present verb of the clause about someone else
    got = said(enricher, "The race tightened this week.\n\n" + text)
    assert [name for name, c, _ in got if c == content] == [speaker]


def test_call_takes_no_clause(enricher: Enricher) -> None:
    text = (
        "The race tightened this week.\n\n"
        'Ruth Castellanos, the Democratic incumbent, called the comments "beneath the office"'
        " Vance is seeking and said Arizona deserved a senator who could talk about immigration."
    )
    assert said(enricher, text)[0][1] == 'the comments "beneath the office" Vance is seeking'


def test_the_rest_of_a_sentence_the_parser_cut_loose_is_still_said(enricher: Enricher) -> None:
    text = (
        "The memo was leaked on Monday.\n\n"
        "It says the campaign plans to send Marsh's running mate, Gov. Daniel Orcutt of"
        " Pennsylvania, to union halls across the region for much of October."
    )
    assert said(enricher, text)[-1][1] == (
        "the campaign plans to send Marsh's running mate, Gov. Daniel Orcutt of Pennsylvania, to"
        " union halls across the region for much of October"
    )


def test_as_with_an_adjective_after_the_object_is_the_judgement(enricher: Enricher) -> None:
    text = (
        "The memo was leaked on Monday.\n\n"
        "It also criticizes the campaign's own advertising as too focused on Brandt's temperament,"
        " describing the spots as weak."
    )
    assert said(enricher, text)[0][1] == (
        "the campaign's own advertising as too focused on Brandt's temperament"
    )


def test_anonymous_sources_keep_how_they_know(enricher: Enricher) -> None:
    text = (
        "The transition team met on Monday.\n\n"
        "Two people briefed on the discussions said the governor had been impressed by her."
    )
    assert spoken(enricher, text)[-1][0] == "Two people briefed on the discussions"


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        # the parser hangs the closing speaker on the last noun as its apposition
        (
            "Haskell plans to begin a $3 million television campaign next week, focused largely on"
            " Aldana’s record as attorney general, a Haskell campaign aide said.",
            "a Haskell campaign aide",
            "Haskell plans to begin a $3 million television campaign next week, focused largely"
            " on Aldana’s record as attorney general",
        ),
        # the tagger reads the closing cue in -s as a plural noun
        (
            "A Democratic super PAC, Desert Majority, raised $2.1 million over the same period,"
            " its filing shows.",
            "its filing",
            "A Democratic super PAC, Desert Majority, raised $2.1 million over the same period",
        ),
    ],
)
def test_a_closing_cue_the_parser_lost(
    enricher: Enricher, text: str, speaker: str, content: str
) -> None:
    got = spoken(enricher, "Jim Haskell faces Ana Aldana.\n\n" + text)
    assert (speaker, content) in got


def test_a_subject_pronoun_after_said_opens_the_clause(enricher: Enricher) -> None:
    # the parser makes "she" the object of "said" and "planned" a modifier of "delegates"
    text = (
        "Delegates gathered on the floor.\n\n"
        "Voss said she and about a dozen other delegates planned to turn their backs during the"
        " speech on Thursday night."
    )
    assert said(enricher, text)[-1][1] == (
        "she and about a dozen other delegates planned to turn their backs during the speech on"
        " Thursday night"
    )
