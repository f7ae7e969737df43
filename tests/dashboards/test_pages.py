"""Dashboard pages: national, region, trends; what a regional user may see; queries independent of size."""
import datetime as dt

import pytest

from shelter_monitor.auth.models import Role
from shelter_monitor.availability.service import record_availability
from shelter_monitor.extensions import db
from shelter_monitor.responses.service import start_response, submit_response
from tests.conftest import login, recorded_statements
from tests.responses.helpers import complete_answers


def _monitored(make, monitor, round_, region, name, **changes):
    shelter = make.shelter(region=region, monitors=[monitor], name=name)
    response = start_response(shelter, round_, monitor)
    response.answers = {**complete_answers(shelter), "C1": 20, "C3": 15, **changes}
    submit_response(response, monitor)
    db.session.commit()
    return shelter


@pytest.fixture
def round_with_data(make):
    monitor = make.user(Role.MONITOR)
    round_ = make.round()
    lviv = _monitored(make, monitor, round_, "UA-46", "Lviv CSPA")
    _monitored(make, monitor, round_, "UA-12", "Dnipro CSPA", C1=40, C3=10)
    return round_, lviv, monitor


def test_national_dashboard_shows_every_region_with_data(client, login_as, round_with_data):
    round_, _, _ = round_with_data
    login_as(Role.MINISTRY)
    page = client.get(f"/rounds/{round_.id}/dashboard?indicator=free_places").get_data(as_text=True)
    assert "Lviv Oblast" in page and "Dnipropetrovsk Oblast" in page
    assert ">35<" in page  # national free places: (20 - 15) + (40 - 10)
    assert "tile r" in page and "Free places by region" in page
    assert "indicator-note" not in page
    page = client.get(f"/rounds/{round_.id}/dashboard?indicator=refusal_rate").get_data(as_text=True)
    assert "Refusals (any applicant) among refusals and victims housed by region" in page
    assert "not only victims of trafficking (C8a)" in page


def test_regional_user_sees_its_region_and_national_totals_only(client, make, round_with_data):
    round_, _, _ = round_with_data
    login(client, make.user(Role.REGIONAL, region="UA-46"))
    page = client.get(f"/rounds/{round_.id}/dashboard").get_data(as_text=True)
    assert f"/rounds/{round_.id}/dashboard/UA-46" in page
    assert f"/rounds/{round_.id}/dashboard/UA-12" not in page and "Dnipro CSPA" not in page
    assert client.get(f"/rounds/{round_.id}/dashboard/UA-46").status_code == 200
    assert client.get(f"/rounds/{round_.id}/dashboard/UA-12").status_code == 403


def test_region_page_lists_shelters_with_free_places_and_newest_update_wins(client, login_as, round_with_data):
    round_, lviv, monitor = round_with_data
    record_availability(lviv, dt.datetime(2020, 11, 20, 9), 2, 1, 0, None, True, "", monitor)
    db.session.commit()
    login_as(Role.COORDINATOR)
    page = client.get(f"/rounds/{round_.id}/dashboard/UA-46").get_data(as_text=True)
    assert "Lviv CSPA" in page and "availability update of Nov 20, 2020" in page
    assert '<td class="num">3</td>' in page


@pytest.mark.parametrize(("language", "visit", "free_places"), [
    ("en", "monitoring visit of Oct 15, 2020", "1,185"),
    ("uk", "моніторинговий візит від 15 жовт. 2020\u202fр.", "1\u00a0185"),
])
def test_region_page_words_dates_and_numbers_in_the_readers_language(client, login_as, make, round_with_data,
                                                                      language, visit, free_places):
    """The visit date and the free places as the reader writes them (were "2020-10-15" and "1185")."""
    round_, _, monitor = round_with_data
    _monitored(make, monitor, round_, "UA-46", "Large shelter", A2="2020-10-15", C1=1200, C3=15)
    login_as(Role.COORDINATOR)
    client.post(f"/language/{language}")
    page = client.get(f"/rounds/{round_.id}/dashboard/UA-46").get_data(as_text=True)
    assert "2020-10-15" not in page
    assert f'<td class="num">{free_places}</td>' in page
    assert visit in page


def test_trends_show_each_round(client, login_as, make, round_with_data):
    round_, lviv, monitor = round_with_data
    earlier = make.round("2019-10", dt.date(2019, 10, 1), dt.date(2019, 10, 31), covid_section=False)
    response = start_response(lviv, earlier, monitor)
    response.answers = complete_answers(lviv, "2019-10", covid=False)
    submit_response(response, monitor)
    db.session.commit()
    login_as(Role.MINISTRY)
    page = client.get("/dashboard/trends?indicator=occupancy").get_data(as_text=True)
    assert "Round 2019-10" in page and "Round 2020-10" in page


def test_dashboard_needs_no_more_queries_for_more_shelters(app, client, login_as, make):
    monitor = make.user(Role.MONITOR)
    round_ = make.round()
    login_as(Role.MINISTRY)

    def count_queries(url):
        with recorded_statements() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    counts = []
    for size in (2, 8):
        while db.session.scalar(db.select(db.func.count()).select_from(db.metadata.tables["shelter"])) < size:
            _monitored(make, monitor, round_, "UA-46", f"S{size}-{make.count}")
        counts.append((count_queries(f"/rounds/{round_.id}/dashboard"),
                       count_queries(f"/rounds/{round_.id}/dashboard/UA-46")))
    assert counts[0] == counts[1]


def test_dashboard_shows_new_submissions_and_availability_at_once(client, make, login_as, round_with_data):
    round_, lviv, monitor = round_with_data
    login_as(Role.COORDINATOR)
    url = f"/rounds/{round_.id}/dashboard?indicator=shelters"
    assert 'class="kpi-value">2<' in client.get(url).get_data(as_text=True)
    _monitored(make, monitor, round_, "UA-46", "Second Lviv shelter")
    assert 'class="kpi-value">3<' in client.get(url).get_data(as_text=True)
    page = client.post(f"/shelters/{lviv.id}/availability", data={
        "as_of": "2026-11-20T10:00", "free_women": "9", "free_men": "0", "free_children": "0",
        "admissions_open": "y"})
    assert page.status_code == 302
    assert 'class="kpi-value">44<' in client.get(f"/rounds/{round_.id}/dashboard?indicator=free_places").get_data(
        as_text=True)
