"""A monitor's start page: its assignments by state, one state at a time, each tab with its count, to do first."""
import datetime as dt
import re

import pytest

from shelter_monitor.auth.models import Role
from shelter_monitor.extensions import db
from shelter_monitor.responses.service import return_response, start_response, submit_response
from tests.conftest import login
from tests.responses.helpers import complete_answers


@pytest.fixture
def monitor_with_work(client, make):
    """Five shelters: not started, draft, returned, submitted, submitted."""
    monitor, coordinator = make.user(Role.MONITOR), make.user(Role.COORDINATOR)
    round_ = make.round()
    names = ["Not started one", "Draft one", "Returned one", "Submitted one", "Submitted two"]
    shelters = {name: make.shelter(monitors=[monitor], name=name) for name in names}
    for name in names[1:]:
        response = start_response(shelters[name], round_, monitor)
        response.answers = complete_answers(shelters[name])
        if name != "Draft one":
            submit_response(response, monitor)
        if name == "Returned one":
            return_response(response, "Check C1", {}, coordinator)
    db.session.commit()
    login(client, monitor)
    return shelters


def _tabs(page: str) -> dict[str, tuple[str, bool]]:
    return {label.strip(): (count, bool(current)) for current, label, count in re.findall(
        r'<a href="/\?state=\w+"( aria-current="page")?>([^<]*)<span class="count">(\d+)</span></a>', page)}


def _shown(page: str) -> list[str]:
    return re.findall(r'<h2><a href="/shelters/\d+">([^<]*)</a></h2>', page)


def test_the_start_page_opens_on_what_is_to_do_returned_first(client, monitor_with_work):
    page = client.get("/").get_data(as_text=True)
    assert _tabs(page) == {"To do": ("3", True), "Waiting for review": ("2", False), "Approved": ("0", False),
                           "All": ("5", False)}
    assert _shown(page) == ["Returned one", "Draft one", "Not started one"]


@pytest.mark.parametrize(("state", "shown"), [
    ("submitted", ["Submitted one", "Submitted two"]),
    ("approved", []),
    ("all", ["Returned one", "Draft one", "Not started one", "Submitted one", "Submitted two"]),
    ("nonsense", ["Returned one", "Draft one", "Not started one"]),
])
def test_a_tab_shows_one_state(client, monitor_with_work, state, shown):
    page = client.get(f"/?state={state}").get_data(as_text=True)
    assert sorted(_shown(page)) == sorted(shown) and _shown(page)[:3] == shown[:3]
    if not shown:
        assert "Nothing in this list." in page


def test_with_nothing_to_do_the_start_page_shows_everything(client, make):
    monitor = make.user(Role.MONITOR)
    shelter = make.shelter(monitors=[monitor], name="Done one")
    response = start_response(shelter, make.round(), monitor)
    response.answers = complete_answers(shelter)
    submit_response(response, monitor)
    db.session.commit()
    login(client, monitor)
    page = client.get("/").get_data(as_text=True)
    assert _tabs(page)["All"] == ("1", True) and _shown(page) == ["Done one"]


def test_each_state_lists_its_shelters_by_region_then_name_in_the_readers_alphabet(client, make):
    """Zhytomyr before Kyiv Oblast in Ukrainian (Житомирська, Київська), after it in English; names collated,
    so Є and І come after А, not before it as in code-point order."""
    monitor = make.user(Role.MONITOR)
    make.round()
    for name, region in [("Ірис", "UA-32"), ("Євшан", "UA-32"), ("Антон", "UA-32"), ("Житло", "UA-18")]:
        make.shelter(region=region, monitors=[monitor], name=name)
    login(client, monitor)
    client.post("/language/uk")
    assert _shown(client.get("/").get_data(as_text=True)) == ["Житло", "Антон", "Євшан", "Ірис"]
    client.post("/language/en")
    assert _shown(client.get("/").get_data(as_text=True)) == ["Антон", "Євшан", "Ірис", "Житло"]


def _round_names(page: str) -> tuple[list[str], list[str]]:
    """The round named once above the cards, and the round named on each card."""
    once = re.findall(r'<p class="meta round-name">Monitoring round: ([^<]*)</p>', page)
    cards = re.findall(r'<li class="card">.*?</p>\s*<p>.*?</span>([^<]*)</p>', page, re.S)
    return once, [name.strip() for name in cards]


def test_a_single_round_is_named_once_above_the_cards(client, monitor_with_work):
    page = client.get("/?state=all").get_data(as_text=True)
    assert _round_names(page) == (["Round 2020-10"], ["", "", "", "", ""])


def test_cards_of_different_rounds_each_name_their_round(client, make):
    monitor = make.user(Role.MONITOR)
    make.round("2020-10")
    make.round("2021-10", dt.date(2021, 10, 1), dt.date(2021, 10, 31))
    make.shelter(monitors=[monitor], name="Only one")
    login(client, monitor)
    page = client.get("/").get_data(as_text=True)
    assert _round_names(page) == ([], ["Round 2021-10", "Round 2020-10"])
