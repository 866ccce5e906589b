"""Whose target a figure is, and whether it is about climate at all: the municipality's own, another
body's (the state, an agency, a utility, a company, a neighbour, a party), a proposal or
recommendation, or a goal of another field (jobs, tourism, care, road safety). One feature at a
time, on sentences written for each shape (the scorer weighs them; these check they are read)."""

from __future__ import annotations

import pytest

from extractors.pipeline import collect_candidates
from tests.candidate_features import evidence_labels, features_of, subject_features


def test_a_later_clause_with_its_own_verb_has_its_own_subject() -> None:
    """ "Staten skal …, og byrådet har tilsluttet sig …": the council's clause is the municipality's own."""
    text = "Staten skal reducere udledningen med 70 % i 2030, og byrådet har tilsluttet sig målet om netto-nul i 2050."
    assert subject_features(text, "Staten") == {"subject=other"}
    assert subject_features(text, "byrådet") == {"subject=own"}


def test_a_verb_in_a_later_clause_gives_the_first_no_subject() -> None:
    """ "Over 90 % af kommunens borgere bor i byer, og det skal vi udnytte": the first verb the subject
    reader knows ("skal") opens the second clause, so "kommunens" before it is no subject of it."""
    text = "Over 90 % af kommunens borgere bor i byer, og det skal vi udnytte."
    assert subject_features(text, "90 %") == {"subject=thing"}


def test_a_comparison_that_opens_a_sentence_is_no_subject() -> None:
    """ "Ligesom resten af Danmark skal Viborg Kommune …": the subject follows the verb, as after any
    fronted adverbial."""
    text = "Ligesom resten af Danmark skal Viborg Kommune reducere udledningen med 70 % i 2030."
    assert subject_features(text, "70 %") == {"subject=own"}


def test_a_body_in_a_phrase_of_the_subject_is_not_the_subject() -> None:
    """ "Udledningen fra landbruget skal …": the sector names whose emissions; the subject is the
    emissions, not the farmers as a body with goals of their own."""
    assert subject_features("Udledningen fra landbruget skal ned med 55 % i 2030.", "55 %") == {
        "subject=thing"
    }
    assert subject_features("Landbruget skal reducere udledningen med 55 % i 2030.", "55 %") == {
        "subject=other"
    }


def test_after_a_fronted_phrase_the_municipality_in_a_phrase_of_the_subject_is_not_it() -> None:
    """ "Ifølge fremskrivningen vil udledningen fra transport i kommunen falde …": the subject after
    the verb is the emissions; "i kommunen" says where."""
    text = "Ifølge fremskrivningen vil udledningen fra transport i kommunen falde med 25 % frem mod 2030."
    assert subject_features(text, "25 %") == {"subject=thing"}
    assert subject_features("Senest i 2030 skal kommunen halvere udledningen med 50 %.", "50 %") == {
        "subject=own"
    }


def test_another_body_named_before_a_colon_is_no_subject_of_the_clause_after_it() -> None:
    text = "Vores affaldsplan går videre end de nationale krav: Her er målet, at 75 % af affaldet genanvendes i 2030."
    assert subject_features(text, "75 %") == {"subject=thing"}
    assert subject_features("Nordfyns Kommune: Målet er en reduktion på 55 % i 2027.", "55 %") == {
        "subject=own"
    }


@pytest.mark.parametrize("council", ["Kommunalbestyrelsen", "Byrådet"])
def test_the_municipal_council_is_the_municipality_under_either_name(council: str) -> None:
    """A quarter of the municipalities call their council "kommunalbestyrelsen"; it ends like an agency's
    name ("Energistyrelsen"), which is another body."""
    text = f"{council} har vedtaget, at solcellerne på kommunens tage skal nå 50 MW inden 2030."
    features = features_of(text, "50 MW")
    assert "subject=own" in features and "other_body@near" not in features
    for said in (
        f"{council} har et mål om 50 MW solceller inden 2030.",
        f"{council}s mål er 50 MW solceller i 2030.",
    ):
        assert "other_body@near" not in features_of(said, "50 MW")
    assert "other_body@near" in features_of("Energistyrelsen vil nå 50 MW solceller inden 2030.", "50 MW")


def test_a_neighbouring_municipality_is_another_body() -> None:
    text = "Til sammenligning har nabokommunen besluttet at være CO2-neutral i 2035."
    assert subject_features(text, "neutral") == {"subject=other"}


def test_municipalities_in_the_plural_are_not_the_municipality() -> None:
    """ "Alle DK2020-kommuner har forpligtet sig til …" is every municipality's pledge, not this one's."""
    features = features_of(
        "Alle DK2020-kommuner har forpligtet sig til at blive klimaneutrale senest i 2050.", "klima"
    )
    assert "subject=own" not in features and not any(f.startswith("MUNI@") for f in features)


@pytest.mark.parametrize(
    "text",
    [
        "Naturstyrelsen planlægger at rejse 180 ha statsskov inden 2045.",
        "Evida forventer at afkoble 1.100 naturgaskunder i kommunen frem mod 2030.",
        "Vandområdeplanerne fastsætter, at tilførslen af kvælstof skal reduceres med 1.200 ton N inden 2027.",
        "Der er et krav i bygningsreglementet om, at alle bygninger over 290 kW skal have CTS inden 2025.",
    ],
)
def test_state_agencies_utilities_and_state_plans_are_other_bodies(text: str) -> None:
    """Agendas name the other body by its name: an agency ("-styrelsen", "-direktoratet"), a gas or
    power grid, a transport company, the state's water plans, the national building code."""
    (candidate,) = collect_candidates(text)
    features = {e.feature for e in candidate["features"]}
    assert "other_body@near" in features and any(f.startswith("NEG_OTHER@") for f in features)


@pytest.mark.parametrize(
    ("text", "part"),
    [
        (
            "Byens største arbejdsgiver har et mål om at reducere sine udledninger med 37 procent inden 2032.",
            "37",
        ),
        ("Et af transportfirmaerne på havnen vil have halvdelen af lastbilerne på el i 2030.", "halvdelen"),
    ],
)
def test_a_company_named_by_what_it_is_is_another_body(text: str, part: str) -> None:
    """Local news names companies by their trade ("slagteriet", "en legetøjsproducent", "rederiet")."""
    assert "other_body@near" in features_of(text, part)


def test_another_bodys_own_goal_is_another_bodys() -> None:
    text = "Renoveringen bidrager til vandværkets egen målsætning om et ledningstab under 8 % inden 2028."
    assert any(f.startswith("NEG_OTHER_STRONG@") for f in features_of(text, "8 %"))


@pytest.mark.parametrize(
    "text",
    [
        "Venstre stiller forslag om, at kommunens bilflåde skal være 100 % elektrisk i 2027.",
        "Det Konservative Folkeparti ønsker, at kommunen skal plante 100 hektar skov inden 2030.",
    ],
)
def test_a_party_proposing_is_another_body(text: str) -> None:
    """A party names itself, not a verb: 'Venstre stiller forslag om, at kommunens …' is the party's."""
    (candidate,) = collect_candidates(text)
    assert {e.feature for e in candidate["features"]} >= {"subject=other", "other_body@near"}


def test_the_common_noun_alternative_is_no_party() -> None:
    text = "Cykelstien er alternativet til en udvidelse af vejen, og der skal anlægges 12 km inden 2030."
    assert "other_body@near" not in features_of(text, "12 km")


@pytest.mark.parametrize(
    "text",
    [
        "Et mål om at være CO2-neutral i 2035 blev stemt ned med 19 stemmer mod 12.",
        "Et flertal stemte imod et mål om at være CO2-neutral i 2035.",
    ],
)
def test_a_proposal_voted_down_is_a_proposal(text: str) -> None:
    assert any(f.startswith("NEG_PROPOSAL@") for f in features_of(text, "neutral"))


@pytest.mark.parametrize(
    "text",
    [
        "Landbrugets organisationer har sat et mål om et klimaneutralt landbrug i 2050.",
        "Borgertinget anbefaler et mål om et klimaneutralt landbrug i 2050.",
        "Festivalen har sat et mål om en klimaneutral festival i 2030.",
        "Lufthavnen har et mål om at være klimaneutral i 2030.",
        "Verdensmålene sætter mål om klimaneutrale samfund i 2050.",
    ],
)
def test_organisations_assemblies_festivals_airports_and_world_goals_are_other_bodies(text: str) -> None:
    assert "other_body@near" in features_of(text, "klimaneutral")


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("Konsortiet har selv et mål om at producere 150.000 ton grøn brint om året i 2032.", "150.000"),
        ("Cyklistforbundet har et mål om, at halvdelen af alle børn cykler i skole i 2030.", "halvdelen"),
        ("Vognmændene har et mål om at køre 40 % af turene på el i 2030.", "40 %"),
    ],
)
def test_consortia_unions_and_hauliers_are_other_bodies(text: str, part: str) -> None:
    assert "other_body@near" in features_of(text, part)


@pytest.mark.parametrize(
    "text",
    [
        "Kommunen som virksomhed skal være klimaneutral i 2030.",
        "Gentofte Kommune som virksomhed skal være CO2-neutral i 2030.",
        "Kommunen som organisation: Egne bygninger og køretøjer er fossilfri i 2028.",
    ],
)
def test_the_municipality_as_an_organisation_is_its_own(text: str) -> None:
    """ "som virksomhed" names the municipality's own organisation (the annotation guide's scope
    "organisation"), not a company: a NOT_NEG_OTHER cue denies the other-body word inside it."""
    features = features_of(text, "20")
    assert "other_body@near" not in features and "subject=other" not in features


def test_a_company_is_still_another_body() -> None:
    features = features_of("Virksomheden har et mål om at være CO2-neutral i 2030.", "CO2-neutral")
    assert "other_body@near" in features


def test_connected_with_is_no_union() -> None:
    """ "forbundet med" is the participle of "forbinde", not "Forbundet" (the union)."""
    features = features_of("Udgifterne forbundet med projektet skal reduceres med 10 % i 2026.", "10 %")
    assert "other_body@near" not in features


def test_a_figure_given_for_comparison_is_no_goal_of_the_text() -> None:
    features = features_of("Til sammenligning er målet for hele landet 70 % reduktion i 2030.", "70 %")
    assert "NEG_STAT@phrase" in features


def test_a_kind_of_municipality_in_the_plural_pledges_for_all_of_them() -> None:
    """ "Klimakommuner forpligter sig til …" describes what every member pledges, not this one's goal."""
    text = "Klimakommuner forpligter sig til at nedbringe deres udledning med mindst 2 % om året."
    assert any(f.startswith("NEG_OTHER_STRONG@") for f in features_of(text, "2 %"))


@pytest.mark.parametrize(
    ("text", "part"),
    [
        (
            "Forvaltningen foreslår, at klimaplanen med målet om 75 % reduktion i 2030 sendes i høring.",
            "75 %",
        ),
        ("Administrationen anbefaler, at målet om 75 % reduktion i 2030 fastholdes.", "75 %"),
        ("Forslaget til klimaplan sætter et loft på 180.000 ton CO2e i 2030.", "180.000"),
    ],
)
def test_the_administrations_recommendation_and_a_draft_plan_are_no_outside_proposal(
    text: str, part: str
) -> None:
    """The municipality's own administration proposes what its council adopts, and a draft plan's
    goals are the draft's (tests/gold/real/README.md): a NOT_NEG_PROPOSAL span denies the proposal
    reading of "foreslår/anbefaler" after them and of "forslaget til …planen"."""
    features = features_of(text, part)
    assert not any(f.startswith("NEG_PROPOSAL@") for f in features) and "subject=other" not in features


def test_a_partys_proposal_is_still_a_proposal() -> None:
    features = features_of(
        "Enhedslisten foreslår, at kommunen skal være klimaneutral i 2035.", "klimaneutral"
    )
    assert "subject=other" in features


def test_what_a_municipality_should_do_is_a_recommendation() -> None:
    """ "Stevns Kommune bør sætte et mål om …" in a reader's letter asks for a goal; it sets none: a
    proposal, whose subject is whoever proposes."""
    features = features_of("Kommunen bør sætte et mål om 100 procent økologi i køkkenerne inden 2027.", "100")
    assert "NEG_PROPOSAL@phrase" in features and "subject=other" in features


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("Antallet af turistovernatninger skal øges med 15 % frem mod 2027.", "15 %"),
        ("Andelen af borgere, der modtager hjemmehjælp, skal reduceres med 10 % inden 2026.", "10 %"),
        ("Målet er, at 300 flere borgere er i job inden 2026.", "300"),
        ("Andelen af dagligrygere skal halveres inden 2030.", "halveres"),
        ("Andelen af pædagoger skal være mindst 65 % inden 2027.", "65 %"),
    ],
)
def test_goals_of_other_fields_are_about_another_topic(text: str, part: str) -> None:
    """Tourism, home care and jobs set goals in the words of targets; nothing in them is about climate."""
    assert "other_topic@near&!green@near" in features_of(text, part)


def test_a_green_word_beside_another_field_keeps_it_a_climate_figure() -> None:
    features = features_of("Hjemmeplejens bilpark skal være 100 % elektrisk i 2027.", "100 %")
    assert "green@near" in features and "other_topic@near&!green@near" not in features


def test_casualties_in_traffic_are_road_safety_not_transport() -> None:
    features = features_of(
        "Antallet af dræbte og tilskadekomne i trafikken skal halveres inden 2030.", "halveres"
    )
    assert "other_topic@near&!green@near" in features and "TOPIC_TRANSPORT@clause" not in features


@pytest.mark.parametrize(
    "text",
    [
        "Andelen af flygtninge i job efter tre år skal være mindst 50 %.",
        "Kommunen giver tilladelse til, at 40 % af grunden bebygges.",
        "Udvalget tog orienteringen til efterretning, og 60 % af midlerne er brugt.",
        "Der gælder en streng grænse på 40 %.",
        "Hver seng på plejecentret skal være belagt 95 % af tiden.",
    ],
)
def test_words_that_only_contain_a_transport_or_nature_stem_are_not_about_them(text: str) -> None:
    """ "fly" in "flygtninge", "lade" in "tilladelse", the past tense "tog", "eng" in "streng" and
    "senge": a stem matched inside another word made budgets and refugees green."""
    features = features_of(text, "%")
    assert not {"TOPIC_TRANSPORT@clause", "TOPIC_NATURE@clause", "green@near"} & set(features)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Alle ladestandere og hurtigladere skal drives af grøn strøm.", "TOPIC_TRANSPORT"),
        ("Flyrejser skal halveres, og toget skal bruges til møder.", "TOPIC_TRANSPORT"),
        ("Strandengene og engene skal plejes.", "TOPIC_NATURE"),
    ],
)
def test_the_narrowed_stems_still_find_their_own_words(text: str, label: str) -> None:
    assert label in evidence_labels(text)


@pytest.mark.parametrize(
    ("word", "label"),
    [
        ("udleder", "TOPIC_STAFF"),
        ("referencebilleder", "TOPIC_STAFF"),
        ("fraværende", "TOPIC_STAFF"),
        ("maskintimer", "TOPIC_STAFF"),
        ("sagen", "TOPIC_SOCIAL"),
        ("relevante", "TOPIC_SOCIAL"),
        ("energiklasse", "TOPIC_SOCIAL"),
        ("hjemmepleje", "TOPIC_FEE"),
        ("naturpleje", "TOPIC_FEE"),
        ("gældende", "TOPIC_LOAN"),
        ("gælder", "TOPIC_LOAN"),
        ("pågældende", "TOPIC_LOAN"),
        ("gengæld", "TOPIC_LOAN"),
    ],
)
def test_a_word_that_holds_another_topics_stem_is_not_that_topic(word: str, label: str) -> None:
    """ "udleder" (emits) holds "leder", "gældende" (in force) holds "gæld", "naturpleje" holds "leje",
    "relevante" holds "elev", and "sagen" is every agenda item: read as staff, debt, rent and social
    matters they gave climate sentences an other topic's evidence."""
    assert label not in evidence_labels(f"Kommunen {word} 40 %.")


@pytest.mark.parametrize(
    ("word", "label"),
    [
        ("projektleder", "TOPIC_STAFF"),
        ("sygefravær", "TOPIC_STAFF"),
        ("undervisningstimer", "TOPIC_STAFF"),
        ("elever", "TOPIC_SOCIAL"),
        ("husleje", "TOPIC_FEE"),
        ("restgælden", "TOPIC_LOAN"),
        ("gæld", "TOPIC_LOAN"),
    ],
)
def test_the_topics_own_words_are_still_read(word: str, label: str) -> None:
    assert label in evidence_labels(f"Kommunen {word} 40 %.")


@pytest.mark.parametrize("word", ["udgiftsneutralt", "omkostningsneutral", "kasseneutrale", "neutraliseres"])
def test_a_budget_that_is_neutral_is_not_about_climate(word: str) -> None:
    """ "neutral" is the climate's end state, but "udgiftsneutral", "omkostningsneutral" and
    "kasseneutral" say a budget balances: money, not climate."""
    assert "TOPIC_CLIMATE" not in evidence_labels(f"Projektet er {word}, og 40 % bruges i 2026.")


@pytest.mark.parametrize("word", ["klimaneutral", "CO2-neutral", "netto-nul", "fossilfri", "DK2020"])
def test_the_climate_end_states_are_still_climate(word: str) -> None:
    assert "TOPIC_CLIMATE" in evidence_labels(f"Kommunen skal være {word} i 2040.")


def test_recruitment_and_satisfaction_surveys_are_other_topics() -> None:
    features = features_of(
        "Målet i rekrutteringsstrategien er at nedbringe omsætningen til højst 15 % i 2026.", "15 %"
    )
    assert "other_topic@near&!green@near" in features
    features = features_of("Mindst 80 % af brugerne skal være tilfredse med hjælpen.", "80 %")
    assert "other_topic@near&!green@near" in features


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("Trafikken på Ringgaden vil stige med 9 % frem mod 2035.", "9 %"),
        ("Uden nye tiltag skal udledningen være 760.000 ton i 2030.", "760.000"),
        ("Hvis der ikke gøres noget, er udledningen 30 % højere i 2030.", "30 %"),
    ],
)
def test_what_will_happen_without_measures_is_a_projection(text: str, part: str) -> None:
    """ "vil stige/falde" says what a thing will do, not what anyone commits to; "uden nye tiltag" and
    "hvis der ikke gøres noget" frame a baseline scenario."""
    features = features_of(text, part)
    assert any(f.startswith("NEG_PROJECTION@") for f in features)


def test_will_rise_is_no_intent() -> None:
    features = features_of("Trafikken på Ringgaden vil stige med 9 % frem mod 2035.", "9 %")
    assert not any(f.startswith("INTENT@") for f in features)


def test_a_road_safety_plan_is_not_about_transport() -> None:
    """ "Trafiksikkerhedsplan" holds "trafik", but casualties are no climate metric: a NOT_TOPIC_TRANSPORT
    span denies the transport reading of the word."""
    features = features_of(
        "Målet i trafiksikkerhedsplanen er, at antallet af dræbte skal halveres inden 2030.", "halveres"
    )
    assert "TOPIC_TRANSPORT@clause" not in features and "other_topic@near&!green@near" in features


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("Spildevandsselskabet, som er 100 % ejet af kommunen, udfører planen.", "100 %"),
        ("Kommunen ejer 6,5 % af letbaneselskabet.", "6,5 %"),
        ("Kommunen ejer ca. 420 hektar grønne områder.", "420"),
    ],
)
def test_what_the_municipality_owns_is_a_statistic(text: str, part: str) -> None:
    assert "NEG_STAT@phrase" in features_of(text, part)


def test_a_share_of_people_who_think_something_is_a_survey_result() -> None:
    features = features_of("78 % mener, at kommunen skal gøre mere for at nedbringe udledningen.", "78 %")
    assert "NEG_STAT@phrase" in features


@pytest.mark.parametrize(
    ("text", "part", "subject"),
    [
        ("»Vi skal nå 70 procent i 2030,« sagde klimaministeren på topmødet.", "70 procent", "subject=other"),
        ("Vi vil plante 250.000 træer inden 2035, fortæller borgmesteren.", "250.000", "subject=own"),
        ("Målet er 40 % reduktion i 2030, oplyser virksomheden.", "40 %", "subject=other"),
    ],
)
def test_a_quotation_is_about_whoever_it_is_attributed_to(text: str, part: str, subject: str) -> None:
    """ "…, sagde klimaministeren": the "vi" of a quotation is its speaker's, named at the sentence's end."""
    assert subject in features_of(text, part)


def test_every_verb_of_attribution_is_read() -> None:
    """The verbs the attribution is searched for are the ones its pre-test looks for ("fortalte" was not)."""
    features = features_of("Vi vil plante 250.000 træer inden 2035, fortalte klimaministeren.", "250.000")
    assert "subject=other" in features


def test_the_chair_of_a_committee_is_no_outside_body() -> None:
    features = features_of(
        "Målet står fast, siger formanden for Klima- og Miljøudvalget, og det er 70 % i 2030.", "70 %"
    )
    assert "other_body@near" not in features and "other_body@around" not in features


def test_circular_economy_is_waste_not_money() -> None:
    """A NOT_TOPIC_MONEY span cancels the money word inside it, and only that word, and only there."""
    assert evidence_labels("Målet for cirkulær økonomi er 70 % genanvendelse i 2030") == {
        "GOAL_OF",
        "TOPIC_WASTE",
    }
    assert "TOPIC_MONEY" in evidence_labels("Kommunens økonomi er presset, men den cirkulære økonomi vokser")
    assert "TOPIC_MONEY" not in evidence_labels("Bioøkonomi og cirkulærøkonomien")
