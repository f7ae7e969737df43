"""Where each role lands, which round the dashboard opens on, and a regional user's dashboard labelled by scope."""
import datetime as dt
import re

import pytest

from shelter_monitor.auth.models import Role
from shelter_monitor.auth.policy import StartPage, start_page
from shelter_monitor.extensions import db
from shelter_monitor.responses.service import start_response, submit_response
from tests.conftest import PASSWORD, login
from tests.responses.helpers import complete_answers


def _monitored(make, monitor, round_, region, **changes):
    shelter = make.shelter(region=region, monitors=[monitor])
    response = start_response(shelter, round_, monitor)
    response.answers = {**complete_answers(shelter, round_.code), "C1": 20, "C3": 15, **changes}
    submit_response(response, monitor)
    db.session.commit()
    return shelter


@pytest.fixture
def rounds(make):
    """2019-10 with Lviv only, 2020-10 with Dnipro only, and 2021-10 just opened, with nothing submitted."""
    monitor = make.user(Role.MONITOR)
    older = make.round("2019-10", dt.date(2019, 10, 1), dt.date(2019, 10, 31), is_open=False)
    latest = make.round("2020-10")
    make.round("2021-10", dt.date(2021, 10, 1), dt.date(2021, 10, 31))
    _monitored(make, monitor, older, "UA-46")
    _monitored(make, monitor, latest, "UA-12", C1=40, C3=10)
    return older, latest


@pytest.mark.parametrize(("role", "kind"), [
    (Role.MONITOR, StartPage.WORKLIST), (Role.COORDINATOR, StartPage.REVIEW_QUEUE),
    (Role.REGIONAL, StartPage.DASHBOARD), (Role.MINISTRY, StartPage.DASHBOARD), (Role.ADMIN, StartPage.DASHBOARD),
    (Role.SHELTER_STAFF, StartPage.SHELTER),
])
def test_the_policy_names_each_roles_start_page(make, role, kind):
    shelter = make.shelter() if role == Role.SHELTER_STAFF else None
    assert start_page(make.user(role, region="UA-46" if role == Role.REGIONAL else None, shelter=shelter)) is kind


@pytest.mark.parametrize("role", [Role.MINISTRY, Role.ADMIN])
def test_after_login_ministry_and_admin_land_on_the_dashboard_of_the_latest_round_with_data(client, make, rounds,
                                                                                            role):
    _, latest = rounds
    user = make.user(role)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD}, follow_redirects=True)
    assert response.request.path == f"/rounds/{latest.id}/dashboard"
    assert "Round 2020-10" in response.get_data(as_text=True)


def test_the_dashboard_menu_skips_a_new_round_without_data(client, login_as, rounds):
    _, latest = rounds
    login_as(Role.MINISTRY)
    response = client.get("/dashboard")
    assert response.status_code == 302 and response.location.endswith(f"/rounds/{latest.id}/dashboard")


def test_a_regional_user_lands_on_the_latest_round_with_data_of_its_region(client, make, rounds):
    older, _ = rounds
    login(client, make.user(Role.REGIONAL, region="UA-46"))
    response = client.get("/", follow_redirects=True)
    assert response.request.path == f"/rounds/{older.id}/dashboard"


def test_a_regional_user_of_a_region_without_data_gets_the_latest_round_with_data(client, make, rounds):
    _, latest = rounds
    login(client, make.user(Role.REGIONAL, region="UA-07"))
    assert client.get("/dashboard").location.endswith(f"/rounds/{latest.id}/dashboard")


def test_only_rounds_without_data_open_the_newest(client, login_as, make):
    make.round("2020-10")
    newest = make.round("2021-10", dt.date(2021, 10, 1), dt.date(2021, 10, 31))
    login_as(Role.MINISTRY)
    assert client.get("/dashboard").location.endswith(f"/rounds/{newest.id}/dashboard")


def test_no_round_at_all_sends_to_the_rounds_page_with_a_message(client, login_as):
    login_as(Role.MINISTRY)
    response = client.get("/dashboard", follow_redirects=True)
    assert response.request.path == "/rounds"
    assert "There is no monitoring round yet" in response.get_data(as_text=True)


def _kpi(page: str, label: str) -> tuple[str, str | None]:
    """The figure of the headline tile labelled `label`, and its national comparison if it has one."""
    match = re.search(r'<span class="kpi-value">([^<]*)</span><span class="kpi-label">' + re.escape(label)
                      + r'</span>(?:<span class="kpi-compare">[^:]*: ([^<]*)</span>)?', page)
    assert match, label
    return match[1], match[2]


def test_a_regional_dashboard_shows_its_own_figures_with_the_national_ones_labelled(client, make, login_as):
    monitor = make.user(Role.MONITOR)
    round_ = make.round()
    _monitored(make, monitor, round_, "UA-46", C8="yes", C8a=2, C8b=["no_places"])
    _monitored(make, monitor, round_, "UA-12", C1=40, C3=10, C8="yes", C8a=3, C8b=["male"])
    login(client, make.user(Role.REGIONAL, region="UA-46"))
    page = client.get(f"/rounds/{round_.id}/dashboard").get_data(as_text=True)
    assert _kpi(page, "Places") == ("20", "60")
    assert _kpi(page, "Free places") == ("5", "35")
    assert "Each figure is of Lviv Oblast; below it, the national figure of all regions for comparison." in page
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", page, re.S)
    scopes = [re.search(r'<span class="scope">([^<]*)</span>', h)[1] for h in headings if 'class="scope"' in h]
    assert scopes == ["Lviv Oblast", "Lviv Oblast", "Lviv Oblast", "Lviv Oblast", "Lviv Oblast",
                      "All regions, national totals"]
    own_reasons, national_reasons = page.split("Top refusal reasons")[1:3]
    own_reasons, national_reasons = own_reasons.split("</table>")[0], national_reasons.split("</table>")[0]
    assert "No free places" in own_reasons and "Male applicant" not in own_reasons
    assert "No free places" in national_reasons and "Male applicant" in national_reasons
    assert "figures are not shown to a regional administration." in page


def test_a_national_dashboard_labels_every_block_all_regions(client, make, login_as):
    monitor = make.user(Role.MONITOR)
    round_ = make.round()
    _monitored(make, monitor, round_, "UA-46")
    login_as(Role.MINISTRY)
    page = client.get(f"/rounds/{round_.id}/dashboard").get_data(as_text=True)
    assert _kpi(page, "Places") == ("20", None)
    headings = [h for h in re.findall(r"<h2[^>]*>(.*?)</h2>", page, re.S)]
    assert headings and all('<span class="scope">All regions</span>' in h for h in headings)
