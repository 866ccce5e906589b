"""The municipality register and the four routes of find_municipality."""

from __future__ import annotations

from collections import Counter

import pytest

from extractors.municipalities import all_municipalities, by_code, find_municipality, fold


def test_exactly_98_with_official_codes_and_regions() -> None:
    municipalities = all_municipalities()
    assert len(municipalities) == 98
    assert len({m.code for m in municipalities}) == 98
    assert len({fold(m.name) for m in municipalities}) == 98
    assert Counter(m.region for m in municipalities) == {
        "Region Hovedstaden": 29,
        "Region Sjælland": 17,
        "Region Syddanmark": 22,
        "Region Midtjylland": 19,
        "Region Nordjylland": 11,
    }
    known = {101: "København", 147: "Frederiksberg", 151: "Ballerup", 169: "Høje-Taastrup", 400: "Bornholm"}
    known |= {420: "Assens", 461: "Odense", 751: "Aarhus", 851: "Aalborg", 860: "Hjørring", 492: "Ærø"}
    for code, name in known.items():
        assert by_code(code).name == name  # type: ignore[union-attr]
    assert by_code(411) is None  # Christiansø is not a municipality
    assert all(m.hosts and m.official_name.endswith("ommune") for m in municipalities)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Ballerup", 151),
        ("Ballerup Kommune", 151),
        ("Ballerups", 151),
        ("Københavns Kommune", 101),
        ("københavn", 101),
        ("Copenhagen", 101),
        ("Høje Taastrup", 169),
        ("Høje-Taastrup Kommune", 169),
        ("Århus", 751),
        ("Aarhus", 751),
        ("Bornholms Regionskommune", 400),
        ("Lyngby-Taarbæk", 173),
        ("Vesthimmerland", 820),
        ("Nordfyns Kommune", 480),
        ("Aeroe", 492),
        ("151", 151),
    ],
)
def test_by_manifest_name(name: str, code: int) -> None:
    assert find_municipality(name=name).code == code  # type: ignore[union-attr]


def test_unknown_name_falls_through_to_the_next_clue() -> None:
    assert find_municipality(name="Green Cities") is None
    assert find_municipality(name="Green Cities", url="https://www.assens.dk/nyheder").code == 420  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("Nyt fra Assens Kommune", 420),
        ("Ballerup Kommunes klimapolitik og handleplan", 151),
        ("København og C40", 101),
        ("Klimahandleplan for Vejen Kommune", 575),
        ("Klimaplan | Høje Taastrup", 169),
        ("Århus' nye klimaplan", 751),
    ],
)
def test_by_title(title: str, code: int) -> None:
    assert find_municipality(title=title).code == code  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "title",
    [
        "Vejen til klimaneutralitet",  # 'vejen' = the road
        "Green Cities – Albertslund, Allerød, Ballerup, Herning, Kolding og København",  # several
        "Mors dag og klimaet",
        "Frederiksbergske erfaringer",  # a name inside a longer word
        "Klimaplan 2030",
    ],
)
def test_titles_that_name_no_single_municipality(title: str) -> None:
    assert find_municipality(title=title) is None


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("https://www.ballerup.dk/borger/klima", 151),
        ("https://kk.dk/politik", 101),
        ("https://international.kk.dk/c40", 101),
        ("aarhus.dk/klima", 751),
        ("https://www.htk.dk/", 169),
        ("https://klima.vejlekommune.dk/plan.pdf", 630),
    ],
)
def test_by_url_host(url: str, code: int) -> None:
    assert find_municipality(url=url).code == code  # type: ignore[union-attr]


@pytest.mark.parametrize("url", ["https://www.greencities.dk/", "https://ballerup.example.com/", "not a url"])
def test_foreign_hosts_give_none(url: str) -> None:
    assert find_municipality(url=url) is None


def test_by_text_most_frequent_kommune_mention() -> None:
    text = (
        "Aalborg Kommune samarbejder med Hjørring Kommune og Skive Kommune. "
        "I Aalborg Kommune tester vi bokse. Aalborg Kommunes byråd har vedtaget planen. "
        "Esbjerg var stiftende medlem, og Aalborg Universitet deltager."
    )
    assert find_municipality(text=text).code == 851  # type: ignore[union-attr]


def test_text_ignores_ordinary_words_and_bare_town_names() -> None:
    assert (
        find_municipality(text="Vi kører ad vejen kommune for kommune. Esbjerg og Odense deltager.") is None
    )
    assert find_municipality(text="Kommunerne i Nordjylland samarbejder.") is None
    assert find_municipality(text="KØBENHAVNS KOMMUNE\n\nPlanen gælder hele byen.").code == 101  # type: ignore[union-attr]
    assert (
        find_municipality(
            text="Høje Taastrup Kommune og Bornholms Regionskommune; Høje-Taastrup Kommune"
        ).code
        == 169
    )  # type: ignore[union-attr]


def test_routes_are_tried_in_order() -> None:
    found = find_municipality(
        name="Ballerup", title="Nyt fra Assens Kommune", url="https://kk.dk", text="Aalborg Kommune"
    )
    assert found.code == 151  # type: ignore[union-attr]
    assert find_municipality(title="Nyt fra Assens Kommune", url="https://kk.dk").code == 420  # type: ignore[union-attr]
    assert find_municipality(title="Klimaplan", url="https://kk.dk", text="Aalborg Kommune").code == 101  # type: ignore[union-attr]
    assert find_municipality() is None
