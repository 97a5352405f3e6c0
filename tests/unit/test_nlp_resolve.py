"""Speaker resolution: pronouns, surnames, descriptions, anonymous groups, actors file."""

from __future__ import annotations

import pytest

from wirewatch.actors import parse_actors
from wirewatch.nlp.model import shared_model
from wirewatch.nlp.pipeline import Enricher


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher(nlp=shared_model())


def speakers(enricher: Enricher, text: str) -> list[dict]:
    return [s["speaker"] for s in enricher.enrich({"id": "t", "body": text})["statements"]]


def test_pronoun_resolves_to_previous_person(enricher: Enricher) -> None:
    text = (
        "Geologist Laura Chen led the survey of the volcano.\n"
        "She said the crater floor had risen by two meters."
    )
    [sp] = speakers(enricher, text)
    assert sp["text"] == "She"
    assert sp["name"] == "Laura Chen"
    assert sp["actor_id"] == "laura-chen"


def test_pronoun_he_added_follows_previous_speaker(enricher: Enricher) -> None:
    text = (
        '"Our margins are under pressure," said Peter Sandoval, chief financial officer of Brightline.\n'
        '"We will cut costs across the group," he added.'
    )
    sps = speakers(enricher, text)
    assert [s["name"] for s in sps] == ["Peter Sandoval", "Peter Sandoval"]


def test_surname_resolves_to_full_name(enricher: Enricher) -> None:
    text = (
        "Economist Rachel Adeyemi studies household debt.\n"
        "Adeyemi said mortgage arrears were rising in the north."
    )
    [sp] = speakers(enricher, text)
    assert sp["text"] == "Adeyemi"
    assert sp["name"] == "Rachel Adeyemi"


def test_the_ministry_resolves_to_named_ministry(enricher: Enricher) -> None:
    text = (
        "The Agriculture Ministry published new drought figures on Monday.\n"
        "The ministry said wheat output would fall by a fifth."
    )
    [sp] = speakers(enricher, text)
    assert sp["text"] == "The ministry"
    assert sp["name"] == "Agriculture Ministry"


def test_the_company_resolves_to_latest_org(enricher: Enricher) -> None:
    text = (
        "Shares of Vantor Systems jumped after the results.\n"
        "The company said demand for its servers had doubled."
    )
    [sp] = speakers(enricher, text)
    assert sp["name"] == "Vantor Systems"


def test_anonymous_group_keeps_text_and_no_actor(enricher: Enricher) -> None:
    text = "Analysts said the central bank would hold rates steady."
    [sp] = speakers(enricher, text)
    assert sp["text"] == "Analysts"
    assert sp["name"] == "Analysts"
    assert sp["actor_id"] is None


def test_actors_file_gives_ids_and_canonical_names() -> None:
    actors = parse_actors(
        {
            "actors": [
                {
                    "id": "who",
                    "name": "World Health Organization",
                    "type": "organization",
                    "aliases": ["WHO"],
                }
            ]
        }
    )
    enricher = Enricher(nlp=shared_model(), actors=actors)
    out = enricher.enrich(
        {"id": "t", "body": "The WHO said the new strain spread faster than earlier ones."}
    )
    [st] = out["statements"]
    assert st["speaker"]["actor_id"] == "who"
    assert st["speaker"]["name"] == "World Health Organization"
    assert any(a["id"] == "who" and st["id"] in a["statements"] for a in out["actors"])


def test_gender_mismatch_skips_candidate(enricher: Enricher) -> None:
    text = "Mr. Omar Haddad met Ms. Julia Novak in Vienna.\nShe said the pipeline deal was close."
    [sp] = speakers(enricher, text)
    assert sp["name"] == "Julia Novak"


def test_title_description_resolves_to_titled_person(enricher: Enricher) -> None:
    text = (
        "Chilean President Elena Rojas toured the flooded valley on Sunday.\n"
        "The president said reconstruction would cost two billion dollars."
    )
    [sp] = speakers(enricher, text)
    assert sp["text"] == "The president"
    assert sp["name"] == "Elena Rojas"


def test_description_without_antecedent_stays_anonymous(enricher: Enricher) -> None:
    text = "The footage was released on Monday. The spokesman said the video was authentic."
    [sp] = speakers(enricher, text)
    assert sp["name"] == "The spokesman"
    assert sp["actor_id"] is None


def test_unnamed_source_keeps_who_made_it(enricher: Enricher) -> None:
    text = "A report released by the Norwegian Refugee Council found that most camps lacked clean water."
    [st] = enricher.enrich({"id": "t", "body": text})["statements"]
    assert st["speaker"]["text"] == "A report released by the Norwegian Refugee Council"
    assert st["speaker"]["name"] == "Norwegian Refugee Council"
    assert st["content"]["text"] == "most camps lacked clean water"


def test_names_in_a_relative_clause_are_not_the_speaker(enricher: Enricher) -> None:
    text = "A survey that appeared in the Lancet suggests that sleep protects memory."
    [st] = enricher.enrich({"id": "t", "body": text})["statements"]
    assert st["speaker"]["text"] == "A survey that appeared in the Lancet"
    assert st["speaker"]["name"] == "A survey that appeared in the Lancet"
    assert st["speaker"]["actor_id"] is None
    assert st["content"]["text"] == "sleep protects memory"


def test_coordinated_speakers_keep_both_names(enricher: Enricher) -> None:
    text = "Mayor Dan Okafor and Governor Lena Ortiz said the ferry would run again in spring."
    [sp] = speakers(enricher, text)
    assert sp["text"] == "Mayor Dan Okafor and Governor Lena Ortiz"
    assert sp["name"] == "Dan Okafor"


def test_including_aside_stays_in_the_text_but_is_not_the_speaker(enricher: Enricher) -> None:
    [sp] = speakers(
        enricher, "Many economists, including Professor Ruth Adler, say the tax will fail."
    )
    assert sp["text"] == "Many economists, including Professor Ruth Adler"
    assert sp["actor_id"] is None


def test_object_control_needs_an_agent(enricher: Enricher) -> None:
    text = "Other leaders used unusually blunt language to denounce the missile test."
    [sp] = speakers(enricher, text)
    assert sp["text"] == "Other leaders"


def test_it_is_the_nearer_unnamed_subject_not_an_older_organisation(enricher: Enricher) -> None:
    text = (
        "The Harbor Authority published its annual report on Monday. "
        "The report found that ferry use had doubled. It also said fares would rise."
    )
    assert [sp["name"] for sp in speakers(enricher, text)] == ["The report", "The report"]


def test_it_still_resolves_to_a_nearer_organisation(enricher: Enricher) -> None:
    text = "The Harbor Authority met on Monday. It said fares would rise."
    assert [sp["name"] for sp in speakers(enricher, text)] == ["Harbor Authority"]


def test_they_is_the_nearer_unnamed_group(enricher: Enricher) -> None:
    text = (
        "Protesters gathered outside the Harbor Authority on Monday. They said fares were too high."
    )
    assert [sp["name"] for sp in speakers(enricher, text)] == ["Protesters"]


def test_it_after_a_described_organisation_is_that_organisation(enricher: Enricher) -> None:
    text = (
        "The Reserve Bank of Nuvia kept its key rate at 3 percent on Tuesday.\n\n"
        "The central bank warned that rents were still rising. "
        "It added that it was ready to act again if needed."
    )
    got = [(sp["name"], sp["text"], sp.get("actor_id")) for sp in speakers(enricher, text)]
    assert got == [
        ("Reserve Bank of Nuvia", "The central bank", "reserve-bank-of-nuvia"),
        ("Reserve Bank of Nuvia", "It", "reserve-bank-of-nuvia"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Ukrainian officials said the bridge had been destroyed overnight.",
        "A Russian diplomat said the talks had failed.",
        "U.S. officials said the talks would resume in May.",
    ],
)
def test_a_nationality_before_a_group_is_not_the_speaker(enricher: Enricher, text: str) -> None:
    (sp,) = speakers(enricher, text)
    assert sp["name"] == sp["text"] == text.split(" said")[0]
    assert sp.get("actor_id") is None and sp["type"] == "group"


def test_a_state_body_with_a_nationality_is_not_the_latest_organisation(
    enricher: Enricher,
) -> None:
    text = "NATO ministers met on Monday. The German government said it would send tanks."
    (sp,) = speakers(enricher, text)
    assert (sp["name"], sp.get("actor_id")) == ("The German government", None)


def test_a_company_with_a_nationality_is_the_company_named_before(enricher: Enricher) -> None:
    text = (
        "Brightline Energy will close two plants, its board announced on Monday. "
        "The Danish company said 400 jobs would go."
    )
    got = [(sp["name"], sp["text"]) for sp in speakers(enricher, text)]
    assert ("Brightline Energy", "The Danish company") in got


@pytest.mark.parametrize("verb", ["led", "chaired"])
def test_a_name_in_a_participle_phrase_is_not_the_speaker(enricher: Enricher, verb: str) -> None:
    text = f"The jury, {verb} by the actor Maria Lopez, said the film was brave."
    (sp,) = speakers(enricher, text)
    assert sp["name"].startswith("The jury") and sp.get("actor_id") is None


def test_a_place_after_a_group_is_not_the_speaker(enricher: Enricher) -> None:
    (sp,) = speakers(enricher, "Health officials in Wales said admissions had doubled.")
    assert (sp["name"], sp.get("actor_id"), sp["type"]) == (
        "Health officials in Wales",
        None,
        "group",
    )


def test_the_government_of_a_country_is_that_country(enricher: Enricher) -> None:
    (sp,) = speakers(enricher, "The government of Ukraine said the bridge was destroyed.")
    assert sp["name"] == "Ukraine" and sp["actor_id"]


def test_a_surname_the_model_reads_as_a_place_is_a_person(enricher: Enricher) -> None:
    (sp,) = speakers(enricher, '"We are not going anywhere," said Ana Costa.')
    assert (sp["name"], sp["type"]) == ("Ana Costa", "person")


def test_a_participle_aside_after_the_speaker_is_not_part_of_it(enricher: Enricher) -> None:
    text = "The minister, speaking at a press event in Lisbon, warned that prices would rise."
    (sp,) = speakers(enricher, text)
    assert (sp["name"], sp["text"]) == ("The minister", "The minister")


@pytest.mark.parametrize(
    "text",
    [
        "Acme's chief executive, Ana Ruiz, said the merger would close in March.",
        "The company's chief executive, Ana Ruiz, told shareholders the merger would close.",
    ],
)
def test_name_beside_a_role_is_the_speaker_even_untagged(enricher: Enricher, text: str) -> None:
    # the small model tags neither "Ana" nor "Ruiz": the company before the role does not speak
    (sp,) = speakers(enricher, text)
    assert (sp["name"], sp["type"]) == ("Ana Ruiz", "person")
    assert sp["text"].endswith("Ana Ruiz")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Airbus delivered fewer jets in May. "
            "The carrier, Lufthansa, said it would cut 300 flights.",
            "Lufthansa",
        ),
        (
            "Boeing blamed the weather. The space agency, NASA, said the launch was delayed.",
            "NASA",
        ),
        (
            "Two banks lost money on the loan. "
            "One of the creditors, Kestrel Bank, said it had written off its exposure.",
            "Kestrel Bank",
        ),
    ],
)
def test_organisation_named_beside_a_role_noun_is_the_speaker(
    enricher: Enricher, text: str, name: str
) -> None:
    # not the organisation named before, which "the carrier" alone would resolve to
    *_, sp = speakers(enricher, text)
    assert sp["name"] == name
    assert sp["text"].endswith(name)


def test_a_role_beside_a_named_speaker_stays_out_of_the_name(enricher: Enricher) -> None:
    (sp,) = speakers(enricher, "Dan Porter, a spokesman for Acme, said the plant would reopen.")
    assert sp["name"] == "Dan Porter"


def test_a_statement_from_a_described_organisation_is_that_organisation(
    enricher: Enricher,
) -> None:
    text = (
        "Kenya's Health Ministry ordered new tests on Monday. "
        "According to a statement from the ministry, the ban takes effect on Friday."
    )
    *_, sp = speakers(enricher, text)
    assert sp["name"] == "Health Ministry"


def test_a_report_by_an_anonymous_group_stays_anonymous(enricher: Enricher) -> None:
    text = "According to a report by analysts, the ban takes effect on Friday."
    (sp,) = speakers(enricher, text)
    assert (sp["name"], sp["actor_id"], sp["resolution"]) == ("a report by analysts", None, "group")


def test_it_after_a_description_of_the_company_is_the_company(enricher: Enricher) -> None:
    text = (
        "Toyota Motor Corp cut its forecast on Wednesday.\n\n"
        "The company now expects a profit of 4.3 trillion yen, it said in a statement."
    )
    *_, sp = speakers(enricher, text)
    assert (sp["text"], sp["name"]) == ("it", "Toyota Motor Corp")


def test_a_description_of_its_own_kind_is_not_the_latest_organisation(
    enricher: Enricher,
) -> None:
    text = (
        '"This is worse than feared," said Takeshi Ono, an analyst at Mizuho Securities.\n\n'
        "The trade ministry said exports had fallen for a third month."
    )
    *_, sp = speakers(enricher, text)
    assert sp["text"] == "The trade ministry"
    assert sp["name"] != "Mizuho Securities"


def test_the_ministry_is_the_earlier_ministry_not_the_latest_company(enricher: Enricher) -> None:
    text = (
        "Prices rose, said Kenji Morimoto, a strategist at Harbour Lane Securities in Tokyo.\n\n"
        "Saudi Arabia's energy ministry said in a statement on Sunday that the kingdom would keep "
        "its output. "
        "The ministry said the cut was intended to support prices."
    )
    first, second = speakers(enricher, text)[-2:]
    assert second["text"] == "The ministry"
    assert second["name"] == first["name"] != "Harbour Lane Securities"


def test_the_union_is_no_person_titled_union_president(enricher: Enricher) -> None:
    text = (
        "Union president Gurdeep Sandhu said talks had failed.\n\n"
        "The employers said they had offered a raise. Picket lines will stay up, the union said."
    )
    last = speakers(enricher, text)[-1]
    assert last["text"] == "the union"
    assert last["name"] != "Gurdeep Sandhu"


def test_an_untagged_name_with_a_persons_role_is_a_later_he(enricher: Enricher) -> None:
    text = (
        "ZURICH - Swiss drugmaker Halvora Therapeutics said its drug slowed decline.\n\n"
        "Aeschbacher said the company would file for approval this year.\n\n"
        "Tobias Reinholt, a neurologist at a Berlin university hospital who was not involved in "
        'the study, cautioned that the benefit was "modest".\n\n'
        '"It is not a cure," he said.'
    )
    last = speakers(enricher, text)[-1]
    assert (last["text"], last["name"]) == ("he", "Tobias Reinholt")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ('A hacker group calling itself "RedMoth" claimed that it had stolen files.', "RedMoth"),
        (
            "A militant group calling itself the Islamic Front said it carried out the attack.",
            "Islamic Front",
        ),
    ],
)
def test_a_group_is_the_name_it_calls_itself(enricher: Enricher, text: str, name: str) -> None:
    (sp,) = speakers(enricher, text)
    assert sp["name"] == name


def test_the_carrier_is_the_airline_named_before(enricher: Enricher) -> None:
    text = (
        "MADRID - Spanish airline Solvair posted a record profit on Thursday.\n\n"
        "Revenue rose 14% to 3.1 billion euros, the carrier said."
    )
    last = speakers(enricher, text)[-1]
    assert (last["text"], last["name"]) == ("the carrier", "Solvair")


@pytest.mark.parametrize(
    ("lede", "second", "name"),
    [
        (
            "A privately built rover lost contact with its base on Tuesday, its operator said.",
            "Nordic Rover Systems said it was still trying to reach the rover.",
            "Nordic Rover Systems",
        ),
        (
            "About 2,000 nurses walked off the job on Monday, their union said.",
            "The Western Nurses Union said hospitals had refused to talk.",
            "Western Nurses Union",
        ),
    ],
)
def test_a_lead_description_is_the_organisation_the_next_paragraph_names(
    enricher: Enricher, lede: str, second: str, name: str
) -> None:
    text = f"Headline of the story\n\nOSLO — {lede}\n\n{second}"
    first = speakers(enricher, text)[0]
    assert first["name"] == name


def test_a_description_is_not_a_later_organisation_when_one_was_named_before(
    enricher: Enricher,
) -> None:
    text = (
        "Toyota Motor Corp cut its forecast on Monday, the company said.\n\n"
        "Honda Motor Co said it would keep its own outlook."
    )
    first = speakers(enricher, text)[0]
    assert first["name"] == "Toyota Motor Corp"


def test_a_name_beside_a_persons_role_is_a_person_whatever_its_tag(enricher: Enricher) -> None:
    text = (
        "MADRID, June 3 (Reuters) - Spain's Banco Meridia agreed to buy Caja Levantina.\n\n"
        "Meridia's chief executive, Lucía Ferrándiz, told analysts that the deal would lift "
        'earnings. "This is a merger of two banks that know the same streets," she said.'
    )
    sps = speakers(enricher, text)
    assert [sp["name"] for sp in sps[-2:]] == ["Lucía Ferrándiz", "Lucía Ferrándiz"]


def test_a_description_after_a_name_is_not_the_next_paragraphs_body(enricher: Enricher) -> None:
    text = (
        "LONDON, Jan 30 (Reuters) - A U.S. consortium led by investor Brad Kessler has completed "
        "its takeover of English second-tier club Kingsmere Town, the club announced on Friday."
        "\n\nThe Kingsmere Supporters' Trust said it had received written guarantees on ticket "
        "prices. It urged Kessler to reserve a boardroom place for an elected supporter."
    )
    first, *_, last = speakers(enricher, text)
    assert first["text"] == "the club"
    assert first["name"] != "Kingsmere Supporters' Trust"
    assert (last["text"], last["name"]) == ("It", "Kingsmere Supporters' Trust")


def test_pronoun_after_an_unnamed_person_is_that_person(enricher: Enricher) -> None:
    text = (
        "Festival director Tomas Reyes said ticket sales had doubled.\n\n"
        "A spokeswoman for the city council said the grant had been cut for every festival. "
        "The decision was made in March, she said."
    )
    last = speakers(enricher, text)[-1]
    assert last["text"] == "she"
    assert last["name"] == "A spokeswoman for the city council"
    assert last["actor_id"] is None


def test_a_gendered_unnamed_speaker_does_not_take_the_other_pronoun(enricher: Enricher) -> None:
    text = (
        "Coach Maria Lund said the team was tired.\n\n"
        "A spokesman for the league said the schedule would not change. "
        "The players knew the dates in May, she said."
    )
    assert speakers(enricher, text)[-1]["name"] == "Maria Lund"


def test_a_place_beside_an_unnamed_person_is_not_the_speaker(enricher: Enricher) -> None:
    text = (
        "A nurse at a clinic in Port Harcourt said the ward had run out of beds. "
        "“We are turning people away,” she said."
    )
    first, second = speakers(enricher, text)
    assert first["name"] == "A nurse at a clinic in Port Harcourt"
    assert first["actor_id"] is None
    assert second["name"] == first["name"]


def test_a_title_before_a_name_tagged_as_a_body_makes_it_a_person(enricher: Enricher) -> None:
    text = (
        "Orizont's chief executive Ilinca Dobre was more measured. Speaking to analysts, she"
        " said the company had a plan to grow on its own."
    )
    assert [s["name"] for s in speakers(enricher, text)] == ["Ilinca Dobre"]


def test_it_in_a_lead_is_the_body_whose_plan_it_announces(enricher: Enricher) -> None:
    text = (
        "Kenya's energy ministry will cut the price of kerosene by a fifth from July, it"
        " announced on Thursday."
    )
    assert [s["name"] for s in speakers(enricher, text)] == ["Kenya's energy ministry"]


def test_it_is_not_the_subject_of_what_someone_else_said(enricher: Enricher) -> None:
    text = (
        "In its report, the board said the pump had been showing faults for weeks before the"
        " flood. It found that the crew had no spare parts."
    )
    assert [s["name"] for s in speakers(enricher, text)] == ["the board", "the board"]


def test_a_lowercase_word_tagged_as_a_person_is_no_antecedent(enricher: Enricher) -> None:
    text = (
        "Returning officer Gilles Cormier said turnout was 38%, up from 31% four years ago. He"
        " confirmed that the campaign had requested the recount."
    )
    assert [s["name"] for s in speakers(enricher, text)] == ["Gilles Cormier", "Gilles Cormier"]


def test_a_speaker_with_an_age_beside_the_name(enricher: Enricher) -> None:
    text = (
        "At a sports hall in the town of Tondano, where about 2,000 evacuees were sleeping on"
        " mats, farmer Yohanes Mamahit, 54, said he had left with only the clothes he wore."
    )
    assert [s["name"] for s in speakers(enricher, text)] == ["Yohanes Mamahit"]


def test_a_name_set_beside_a_kind_of_body_is_that_body(enricher: Enricher) -> None:
    text = (
        "AirNav Indonesia, the air navigation operator, closed the airport in Manado until"
        " Saturday. The company said flights to Bali and Jakarta were not affected."
    )
    out = enricher.enrich({"id": "t", "body": text})
    assert [(s["speaker"]["name"], s["content"]["text"]) for s in out["statements"]] == [
        ("AirNav Indonesia", "flights to Bali and Jakarta were not affected")
    ]


def test_it_after_a_lead_whose_cue_closes_the_sentence(enricher: Enricher) -> None:
    text = (
        "Norwegian carrier Nordavia cancelled 340 flights on Tuesday as pilots began a strike,"
        " stranding passengers at the start of the Easter holiday, the airline said.\n\n"
        "It added that passengers would be offered a full refund."
    )
    assert [s["name"] for s in speakers(enricher, text)][-1] == "Nordavia"


def test_a_body_named_after_its_kind_with_words_the_model_left_out(enricher: Enricher) -> None:
    text = (
        "The business lobby group Enterprise Aotearoa said the increase was well above"
        " inflation. It argued that the rise should have been phased in."
    )
    assert [s["name"] for s in speakers(enricher, text)] == [
        "Enterprise Aotearoa",
        "Enterprise Aotearoa",
    ]


def test_an_agency_alone_after_a_dateline_and_a_body_the_model_left_untagged(
    enricher: Enricher,
) -> None:
    text = (
        "(Reuters) - Brantor Pharmaceuticals is withdrawing 40,000 vials of its asthma spray after"
        " tests found a faulty valve, the Ohio-based drugmaker announced on Monday.\n\n"
        "The company said the vials were sold in Canada.\n\n"
        "The U.S. Food and Drug Administration said the fault was rare. The agency noted that"
        " no injuries had been reported."
    )
    got = [s["name"] for s in speakers(enricher, text)]
    assert got == [
        "Brantor Pharmaceuticals",
        "Brantor Pharmaceuticals",
        "U.S. Food and Drug Administration",
        "U.S. Food and Drug Administration",
    ]


def test_a_title_before_a_name_the_model_cut_short(enricher: Enricher) -> None:
    text = (
        "Environment Canada warned that winds would pick up on Sunday.\n\n"
        "Port Alder Mayor Tessa Whitcombe said most residents had already left.\n\n"
        '"Nobody here needed telling twice," she said.'
    )
    assert [s["name"] for s in speakers(enricher, text)] == [
        "Environment Canada",
        "Tessa Whitcombe",
        "Tessa Whitcombe",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            # a participle describing the clause's subject, read as its verb
            "A spokesman for the port authority confirmed that soil samples taken near the"
            " village of Tarsa showed lead levels well above legal limits.",
            [
                (
                    "A spokesman for the port authority",
                    "soil samples taken near the village of Tarsa showed lead levels well above"
                    " legal limits",
                )
            ],
        ),
        (
            # "one of" a group relays their words inside the outlet's report
            "Radio Costa Norte reported that one of the divers said the hull appeared to be"
            " intact.",
            [
                ("Radio Costa Norte", "one of the divers said the hull appeared to be intact"),
                ("one of the divers", "the hull appeared to be intact"),
            ],
        ),
        (
            # data speak for whoever issued them, and a place they come from is not a speaker
            "Analysts at Fenwick Labs said the group had struck before. Data from the firm"
            " showed the gang had hit at least nine schools since March.\n\n"
            "Data from a trial involving 2,000 patients in Spain and Portugal showed the drug"
            " cut relapses by half.",
            [
                ("Fenwick Labs", "the group had struck before"),
                ("Fenwick Labs", "the gang had hit at least nine schools since March"),
                (
                    "Data from a trial involving 2,000 patients in Spain and Portugal",
                    "the drug cut relapses by half",
                ),
            ],
        ),
    ],
)
def test_speakers_of_relayed_and_documented_findings(
    enricher: Enricher, text: str, expected: list
) -> None:
    out = enricher.enrich({"id": "t", "body": text})["statements"]
    assert [(s["speaker"]["name"], s["content"]["text"]) for s in out] == expected


def test_the_agency_and_the_drugmaker_among_several_bodies(enricher: Enricher) -> None:
    text = (
        "Halvik Therapeutics said its drug had been approved. The European Medicines Agency"
        " said the benefits outweighed the risks. The European Commission is expected to"
        " follow within weeks. The agency noted that side effects were mild. The EMA added"
        " that it would review the data in a year. The Oslo-based drugmaker said it would ship"
        " the first doses in May."
    )
    assert [s["name"] for s in speakers(enricher, text)] == [
        "Halvik Therapeutics",
        "European Medicines Agency",
        "European Medicines Agency",
        "EMA",
        "Halvik Therapeutics",
    ]


def test_the_regulator_after_a_dateline_the_model_ran_into_a_name(enricher: Enricher) -> None:
    text = (
        "MADRID, March 3 - The National Markets Commission on Tuesday fined Ibera Telecom 12"
        " million euros, after the Spanish operator agreed to refund customers at its shops in"
        " Valencia and Seville.\n\n"
        "The regulator ruled that the fees charged by the company were unlawful."
    )
    out = enricher.enrich({"id": "t", "body": text})
    assert [(s["speaker"]["name"], s["content"]["text"]) for s in out["statements"]][-1] == (
        "National Markets Commission",
        "the fees charged by the company were unlawful",
    )
    assert {e["text"]: e["label"] for e in out["entities"]}.get(
        "The National Markets Commission"
    ) == "ORG"


def test_the_subject_of_a_participle_in_an_absolute_phrase(enricher: Enricher) -> None:
    text = (
        "Okafor and Lindqvist pressed ahead despite several former backers of the plan, such as"
        " Senator Ama Mensah, now arguing that it should wait a year.\n\n"
        "The party filed a complaint with the city's ethics board, claiming that the mayor had"
        " lied."
    )
    out = enricher.enrich({"id": "t", "body": text})["statements"]
    assert [s["speaker"]["text"] for s in out] == [
        "several former backers of the plan",
        "The party",
    ]


def test_the_prime_minister_is_not_another_minister(enricher: Enricher) -> None:
    text = (
        "The bill handed Prime Minister Jonas Varga a narrow win. Labour Minister Ilse Brandt"
        " told lawmakers the fund was nearly empty.\n\n"
        "The prime minister insisted the reform was the right choice."
    )
    assert [s["name"] for s in speakers(enricher, text)] == ["Ilse Brandt", "Jonas Varga"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "“The data were clear,” said lead author Mara Vidal.\n\n"
            "The signal was first spotted by Tomas Reyes, a student on the team. The 27-year-old"
            " said he had first thought it was a camera fault.",
            "Tomas Reyes",
        ),
        (
            "Ms. Halima Noor lost her whole crop. Her husband, Mr. Idris Noor, sold two goats.\n\n"
            "The 48-year-old mother of five said the family had nothing left.",
            "Halima Noor",
        ),
    ],
)
def test_a_person_described_by_age(enricher: Enricher, text: str, name: str) -> None:
    assert [s["name"] for s in speakers(enricher, text)][-1] == name


def test_the_place_a_body_is_based_in_is_not_who_speaks(enricher: Enricher) -> None:
    text = 'Its owner, the Hull-based Northway Shipping, said it was "deeply sorry".'
    assert [s["name"] for s in speakers(enricher, text)] == ["Northway Shipping"]


@pytest.mark.parametrize(
    "text",
    [
        "Senator Dana Whitlock fired off a series of tweets mocking the governor's budget.",
        "Senator Dana Whitlock posted a string of messages attacking the governor's budget.",
    ],
)
def test_whoever_sends_a_run_of_messages_speaks_through_them(enricher: Enricher, text: str) -> None:
    assert [s["name"] for s in speakers(enricher, text)] == ["Dana Whitlock"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Those close to the mayor say she will run again.", "Those close to the mayor"),
        ("Not everyone agrees that the bridge is safe.", "Not everyone"),
    ],
)
def test_a_group_named_by_a_pronoun_keeps_what_follows(
    enricher: Enricher, text: str, speaker: str
) -> None:
    [sp] = speakers(enricher, text)
    assert (sp["text"], sp["name"]) == (speaker, speaker)


def test_a_poll_released_before_an_event_is_what_shows(enricher: Enricher) -> None:
    text = (
        "A Harborview Research poll released before the debate shows Lindqvist and Okafor tied"
        " at 31 percent among likely voters."
    )
    [sp] = speakers(enricher, text)
    assert (sp["text"], sp["name"]) == ("A Harborview Research poll", "Harborview Research")


def test_a_description_set_beside_a_name_is_that_person(enricher: Enricher) -> None:
    text = (
        "Voters in Dayton will choose between Marco Velez and Sen. Ruth Oakes, a two-term"
        ' incumbent who has spent the summer describing her rival as a "rubber stamp".'
    )
    assert [s["name"] for s in speakers(enricher, text)][-1] == "Ruth Oakes"


def test_a_pronoun_speaker_is_not_whom_the_statement_is_about(enricher: Enricher) -> None:
    text = (
        "The union backed Nora Velasco on Tuesday. Its president, Desmond Achterberg, said the"
        " vote had been unanimous. Velasco, he said, had “earned it on the picket line.”"
    )
    assert [s["name"] for s in speakers(enricher, text)][-1] == "Desmond Achterberg"


def test_a_name_with_a_title_before_it_is_a_person_whatever_else_it_was_tagged(
    enricher: Enricher,
) -> None:
    text = (
        'Former mayor Luis Ochoa said he had run a city. Businessman Trent "T-Max" Maddox spent'
        " the night attacking the others. Washington, he said, needs “a turnaround specialist.”"
        " Polls put Ochoa at 9 percent and Maddox at 7 percent."
    )
    assert [s["name"] for s in speakers(enricher, text)][-1] == "Maddox"


def test_it_is_the_newspaper_just_named_in_the_same_sentence(enricher: Enricher) -> None:
    text = (
        "The Akron Beacon Journal said it would endorse Ramos. Some 40 readers protested"
        " outside the Tulsa Morning News after it backed Ramos."
    )
    assert [s["name"] for s in speakers(enricher, text)] == [
        "Akron Beacon Journal",
        "Tulsa Morning News",
    ]


def test_it_is_not_a_body_named_inside_what_it_said(enricher: Enricher) -> None:
    text = (
        "The Japan Meteorological Agency issued a warning. Waves of up to 3 metres could reach"
        " the ports run by Tohoku Harbour Services within the hour, it said."
    )
    assert [s["name"] for s in speakers(enricher, text)][-1] == "Japan Meteorological Agency"


def test_a_role_is_the_writers_epithet_for_the_one_person_just_spoken_of(
    enricher: Enricher,
) -> None:
    text = (
        "Some Republicans have urged Walt Brenner to rehearse.\n\n"
        "Brenner, by contrast, has scoffed at the idea of formal rehearsals. In an interview on"
        " Thursday, the real estate developer dismissed mock debates as a waste of time."
    )
    assert [sp["name"] for sp in speakers(enricher, text)][-1] == "Walt Brenner"


def test_a_role_after_a_sentence_naming_two_people_stays_unresolved(enricher: Enricher) -> None:
    text = (
        "Lindsey Graham has been critical of Donald Trump since the primary. In June, the South"
        " Carolina senator called the plan a disgrace."
    )
    assert speakers(enricher, text)[-1]["actor_id"] is None


def test_a_role_after_a_persons_name_is_someone_working_for_them(enricher: Enricher) -> None:
    text = (
        "Victor Crane spoke in Ohio on Monday.\n\n"
        "A senior Crane strategist argued that pollsters were missing rural voters."
    )
    sp = speakers(enricher, text)[-1]
    assert sp["text"] == "A senior Crane strategist"
    assert sp["actor_id"] is None


def test_the_senator_is_the_one_introduced_as_sen(enricher: Enricher) -> None:
    text = (
        "The race between Republican Sen. Carl Brandvold and Democrat Anne Lisowski is close.\n\n"
        "The senator said the trade agreements had opened Asian markets to Wisconsin cheese."
    )
    assert speakers(enricher, text)[-1]["name"] == "Carl Brandvold"


@pytest.mark.parametrize(
    "text",
    [
        # the model tags no name here: the title before an untagged name still introduces it
        "Sheriff Wade Compton, whose deputies helped secure the perimeter, said federal agents had"
        " acted professionally. “I took an oath to uphold the law, same as they did,” the sheriff"
        " said.",
        # the model takes the title into the name
        "Several pastors left convinced. Bishop Lawrence Amadi of the Greater Harvest Church said"
        " the meeting was cordial.\n\nThe bishop added that he planned to meet the other nominee.",
    ],
)
def test_the_title_introduced_with_a_name_is_that_person(enricher: Enricher, text: str) -> None:
    names = [sp["name"] for sp in speakers(enricher, text)]
    assert len(set(names)) == 1 and names[0] in ("Wade Compton", "Lawrence Amadi"), names


def test_a_two_word_title_before_an_untagged_name_makes_a_person_she_can_be(
    enricher: Enricher,
) -> None:
    text = (
        "Sheriff Wade Compton said the deputies had acted professionally.\n\n"
        "School Superintendent Karen Wilder said 143 students were absent on Wednesday."
        " Counselors, she said, would be available at every school."
    )
    names = [sp["name"] for sp in speakers(enricher, text)]
    assert names[-2:] == ["Karen Wilder", "Karen Wilder"]


def test_a_bodys_name_beside_its_kind_is_the_speaker(enricher: Enricher) -> None:
    text = (
        "Outside groups piled on. The conservative advocacy group Citizens for Limited Government"
        " said it would count the vote on its annual scorecard."
    )
    [sp] = speakers(enricher, text)
    assert sp["name"] == "Citizens for Limited Government"


def test_an_epithet_opening_a_paragraph_after_a_quote_is_the_person_before_it(
    enricher: Enricher,
) -> None:
    text = (
        "Its largest contributor was Arthur Lindqvist, who gave $6 million.\n\n"
        "Lindqvist, who rarely speaks publicly, said in an interview that he viewed the donation"
        " as an investment.\n\n"
        "“I don’t want anything from the governor except for him to win,” the billionaire said."
    )
    assert speakers(enricher, text)[-1]["name"] == "Arthur Lindqvist"


def test_a_role_in_the_scene_is_not_the_person_just_spoken_of(enricher: Enricher) -> None:
    text = (
        "Known for a quiet manner, Rep. Bobby Scott lets his allies speak for him.\n\n"
        "At the picnic, the band leader said the music would go on until midnight."
    )
    assert speakers(enricher, text)[-1]["actor_id"] is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Rep. Judith Kowalski held a town hall on Tuesday.\n\n"
            "The three-term congresswoman said she understood the anger in the room.",
            "Judith Kowalski",
        ),
        (
            "Marisa Quon, executive director of the Open Ledger Project, criticized the fund.\n\n"
            "Quon said her group planned to file a complaint this week.",
            "Marisa Quon",
        ),
    ],
)
def test_rep_introduces_the_congresswoman_and_a_surname_tagged_as_a_noun(
    enricher: Enricher, text: str, name: str
) -> None:
    assert speakers(enricher, text)[-1]["name"] == name


def test_a_persons_gender_from_the_pronoun_after_their_name(enricher: Enricher) -> None:
    text = (
        "Joanna Kettleby talked about her late father.\n\n"
        "Lyle Brannock asked about his own plans for the fall.\n\n"
        "“Ask me in four years,” she said."
    )
    assert speakers(enricher, text)[-1]["name"] == "Joanna Kettleby"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            # "who" hung on the place: the person is the one the place describes
            "I put the question to Harriet Lyle, a certified financial planner in Columbus, Ohio,"
            " who says she hears it from clients every week.",
            "Harriet Lyle",
        ),
        (
            "Harriet Okonkwo-Lyle runs a planning firm.\n\n"
            '"Your kid can borrow for college," Okonkwo-Lyle said.',
            "Harriet Okonkwo-Lyle",
        ),
    ],
)
def test_who_after_a_place_and_a_hyphenated_surname(
    enricher: Enricher, text: str, name: str
) -> None:
    assert speakers(enricher, text)[-1]["name"] == name


def test_the_congressman_is_not_the_congresswoman_named_last(enricher: Enricher) -> None:
    text = (
        "Rep. Walter Brandvold came to Washington in 1983. He rose to lead the farm panel.\n\n"
        '"Walt never asked me what party a farmer belonged to," said Rep. Loretta Sayles, who'
        ' served beside him. Sayles called him "the last of a breed" and said she would miss'
        " him. Quintero, she said, had earned it.\n\n"
        '"Nobody knows anybody now," the congressman said.'
    )
    assert speakers(enricher, text)[-1]["name"] == "Walter Brandvold"


@pytest.mark.parametrize(
    "text",
    [
        "Bryan Pagliano did not appear. Pagliano's lawyer said he would refuse to answer.",
        "Victor Crane spoke in Ohio. Crane's aides said the trip had gone well.",
    ],
)
def test_a_persons_lawyer_or_aides_are_not_that_person(enricher: Enricher, text: str) -> None:
    sp = speakers(enricher, text)[-1]
    assert sp["actor_id"] is None, sp


def test_a_document_from_a_persons_campaign_speaks_for_itself(enricher: Enricher) -> None:
    text = (
        "Sen. Dana Whitlock spoke in Ohio on Monday.\n\n"
        "An internal memo from Whitlock's campaign warns that the race is tight. It also faults"
        " the campaign's advertising."
    )
    first, it = speakers(enricher, text)
    assert first["actor_id"] is None and first["name"].endswith("Whitlock's campaign"), first
    assert it["name"] == first["name"]


def test_a_description_means_the_person_it_was_set_beside(enricher: Enricher) -> None:
    text = (
        "The union endorsed Republican Clay Ruddick for governor on Wednesday.\n\n"
        "Ruddick, a former county commissioner from suburban Columbus, praised the leaders.\n\n"
        '"These are the people who build Ohio," the former county commissioner said.'
    )
    assert speakers(enricher, text)[-1]["name"] == "Clay Ruddick"


def test_a_name_that_is_also_a_word_speaks_before_its_apposition(enricher: Enricher) -> None:
    # the tagger reads "Pike" as a word left outside the clause, the role after it as subject
    text = (
        "Sen. Harlan Pike of Ohio is also in the running.\n\n"
        "Pike, a two-term senator who chairs a budget subcommittee, has denied lobbying for the"
        " job."
    )
    assert speakers(enricher, text)[-1]["name"] == "Harlan Pike"
