"""The coordinator's review queue through the pages: filters, order, counts, flags, select all, the confirmation
step of bulk approval and its message when nothing was ticked."""
import re

import pytest
from sqlalchemy import delete, select

from shelter_monitor.auth.models import Role
from shelter_monitor.extensions import db
from shelter_monitor.recommendations.models import Finding
from shelter_monitor.responses.models import Response, ResponseState
from shelter_monitor.responses.service import start_response, submit_response
from tests.conftest import login, recorded_statements
from tests.responses.helpers import complete_answers


def _submitted(make, round_, monitor, name, region, **answers):
    shelter = make.shelter(region=region, monitors=[monitor], name=name)
    response = start_response(shelter, round_, monitor)
    response.answers = {**complete_answers(shelter), **answers}
    assert submit_response(response, monitor).ok
    db.session.commit()
    return response


@pytest.fixture
def queue(make):
    """Three responses waiting for review (one with a visit date outside the round: a warning; one with a stored
    finding), one draft, by two monitors in three regions."""
    coordinator = make.user(Role.COORDINATOR)
    anna = make.user(Role.MONITOR, name="Anna Monitor")
    bohdan = make.user(Role.MONITOR, name="Bohdan Monitor")
    round_ = make.round()
    lviv = _submitted(make, round_, bohdan, "Lviv shelter", "UA-46")
    dnipro = _submitted(make, round_, anna, "Dnipro shelter", "UA-12", A2="2020-09-15")
    kyiv = _submitted(make, round_, bohdan, "Kyiv shelter", "UA-32")
    draft = start_response(make.shelter(region="UA-46", monitors=[anna], name="Draft shelter"), round_, anna)
    db.session.execute(delete(Finding))
    db.session.add(Finding(round_id=round_.id, response_id=kyiv.id, shelter_id=kyiv.shelter_id, code="R1",
                           severity="high", evidence={}))
    db.session.commit()
    return {"coordinator": coordinator, "anna": anna, "bohdan": bohdan, "lviv": lviv, "dnipro": dnipro,
            "kyiv": kyiv, "draft": draft}


def _names(html: str) -> list[str]:
    """The shelters listed in the queue's table, in order."""
    return re.findall(r'<td class="shelter"><a href="/responses/\d+">([^<]+)</a>', html)


def _page(client, query: str = "") -> str:
    page = client.get("/review" + query)
    assert page.status_code == 200, page.get_data(as_text=True)[:500]
    return page.get_data(as_text=True)


def test_queue_counts_what_it_holds_and_what_it_shows(client, queue):
    login(client, queue["coordinator"])
    html = _page(client)
    assert "4 responses in the queue, 3 shown" in html  # the draft is in the queue but not waiting for review
    assert sorted(_names(html)) == ["Dnipro shelter", "Kyiv shelter", "Lviv shelter"]
    assert "4 responses in the queue, 4 shown" in _page(client, "?state=")


def test_queue_in_ukrainian(client, queue):
    """Needs /work/tr/queue.po merged into the translations."""
    login(client, queue["coordinator"])
    client.post("/language/uk")
    html = _page(client, "?warnings=1")
    assert "У черзі 4 анкети, показано 1" in html and "Черга перевірки" in html
    assert "1 попередження: A2 Дата візиту / інтерв&#39;ю" in html and "Лише з попередженнями" in html


@pytest.mark.parametrize(("query", "expected"), [
    ("?region=UA-12", ["Dnipro shelter"]),
    ("?state=draft", ["Draft shelter"]),
    ("?state=&region=UA-46", ["Draft shelter", "Lviv shelter"]),
    ("?warnings=1", ["Dnipro shelter"]),
    ("?findings=1", ["Kyiv shelter"]),
    ("?warnings=1&findings=1", []),
])
def test_filters(client, queue, query, expected):
    login(client, queue["coordinator"])
    html = _page(client, query + "&sort=shelter")
    assert _names(html) == expected
    if not expected:
        assert "No response matches these filters." in html


def test_filter_by_monitor(client, queue):
    login(client, queue["coordinator"])
    html = _page(client, f"?monitor={queue['bohdan'].id}&sort=shelter")
    assert _names(html) == ["Kyiv shelter", "Lviv shelter"]
    assert "4 responses in the queue, 2 shown" in html
    options = re.findall(r'<option[^>]*value="(\d+)"[^>]*>([^<]+)</option>', html)
    assert [name for _id, name in options] == ["Anna Monitor", "Bohdan Monitor"]


@pytest.mark.parametrize(("sort", "expected"), [
    ("shelter", ["Dnipro shelter", "Kyiv shelter", "Lviv shelter"]),
    ("-shelter", ["Lviv shelter", "Kyiv shelter", "Dnipro shelter"]),
    ("region", ["Dnipro shelter", "Kyiv shelter", "Lviv shelter"]),
    ("-region", ["Lviv shelter", "Kyiv shelter", "Dnipro shelter"]),
    ("submitted", ["Lviv shelter", "Dnipro shelter", "Kyiv shelter"]),
    ("-submitted", ["Kyiv shelter", "Dnipro shelter", "Lviv shelter"]),
    ("monitor", ["Dnipro shelter", "Kyiv shelter", "Lviv shelter"]),  # Anna, then Bohdan's two by shelter
])
def test_sort_is_in_the_address_and_in_the_headers(client, queue, sort, expected):
    login(client, queue["coordinator"])
    html = _page(client, f"?region=&sort={sort}")
    assert _names(html) == expected
    key = sort.removeprefix("-")
    direction = "descending" if sort.startswith("-") else "ascending"
    header = re.search(rf'<th scope="col" aria-sort="{direction}">\s*<a href="([^"]+)"', html)
    assert header is not None
    following = "" if sort.startswith("-") else "-"
    assert f"sort={following}{key}" in header[1].replace("%2D", "-") and "region=" in header[1]


def test_sorting_by_region_follows_ukrainian_collation(client, queue, make):
    _submitted(make, queue["lviv"].round, queue["anna"], "Frankivsk shelter", "UA-26")
    login(client, queue["coordinator"])
    client.post("/language/uk")
    html = _page(client, "?sort=region")
    # Дніпропетровська, Івано-Франківська, Київська, Львівська (І after И, not before А)
    assert _names(html) == ["Dnipro shelter", "Frankivsk shelter", "Kyiv shelter", "Lviv shelter"]


@pytest.mark.parametrize("query", ["?region=XX-99", "?state=lost", "?monitor=abc", "?monitor=99999999999999999999",
                                   "?sort=price", "?sort=-"])
def test_a_bad_filter_is_a_400_with_a_message(client, queue, query):
    login(client, queue["coordinator"])
    page = client.get("/review" + query)
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "Not a valid choice" in html and "error-summary" in html


def test_flags_name_warnings_and_findings(client, queue):
    login(client, queue["coordinator"])
    html = _page(client, "?sort=shelter")
    rows = dict(zip(_names(html), re.findall(r'<td class="flags"[^>]*>(.*?)</td>', html, re.S), strict=True))
    assert "1 warning: A2 Date of visit / interview</a>" in rows["Dnipro shelter"]  # its number and wording
    assert f'/responses/{queue["dnipro"].id}#a-A2' in rows["Dnipro shelter"]
    assert "1 finding (1 high)" in rows["Kyiv shelter"]
    assert f'#findings-{queue["kyiv"].round_id}' in rows["Kyiv shelter"]
    assert "No flags" in rows["Lviv shelter"]


def test_the_queue_takes_the_same_number_of_queries_for_any_number_of_responses(client, queue, make, app):
    login(client, queue["coordinator"])

    def queries() -> int:
        with recorded_statements() as statements:
            _page(client, "?state=&warnings=1&sort=monitor")
        return len(statements)

    few = queries()
    for n in range(5):
        _submitted(make, queue["lviv"].round, make.user(Role.MONITOR), f"More {n}", "UA-07")
    assert queries() == few


def test_select_all_is_a_header_checkbox_that_works_without_script(client, queue):
    login(client, queue["coordinator"])
    html = _page(client, "?sort=shelter")
    assert 'name="all_shown"' in html and 'class="select-all"' in html and "js/select_all.js" in html
    shown = re.findall(r'name="shown_ids" value="(\d+)"', html)
    assert sorted(map(int, shown)) == sorted(queue[k].id for k in ("lviv", "dnipro", "kyiv"))
    confirm = client.post("/review", data={"all_shown": "1", "shown_ids": shown})
    assert confirm.status_code == 200
    assert "Approve 3 responses?" in confirm.get_data(as_text=True)


def test_bulk_approval_asks_for_confirmation_naming_the_number(client, queue):
    login(client, queue["coordinator"])
    ids = [queue["lviv"].id, queue["kyiv"].id]
    page = client.post("/review", data={"response_ids": ids, "back": "region=&sort=shelter"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Approve 2 responses?" in html and "Lviv shelter" in html and "Kyiv shelter" in html
    assert 'name="confirm" value="1"' in html and "Approve 2 responses</button>" in html
    assert 'href="/review?region=&amp;sort=shelter"' in html  # cancel goes back to the queue as it was
    states = dict(db.session.execute(select(Response.id, Response.state)).all())
    assert {states[i] for i in ids} == {ResponseState.SUBMITTED}

    done = client.post("/review", data={"response_ids": ids, "confirm": "1", "back": "region=&sort=shelter"})
    assert done.status_code == 302 and done.location.endswith("/review?region=&sort=shelter")
    db.session.expire_all()
    states = dict(db.session.execute(select(Response.id, Response.state)).all())
    assert [states[i] for i in ids] == [ResponseState.APPROVED] * 2
    assert states[queue["dnipro"].id] == ResponseState.SUBMITTED
    assert "2 responses approved." in client.get(done.location).get_data(as_text=True)


def test_confirmation_says_which_ticked_responses_are_not_waiting(client, queue):
    login(client, queue["coordinator"])
    page = client.post("/review", data={"response_ids": [queue["lviv"].id, queue["draft"].id]})
    html = page.get_data(as_text=True)
    assert "Approve 1 response?" in html
    assert "1 of the ticked responses is not waiting for review: it stays as it is." in html


def test_nothing_ticked_says_so_and_approves_nothing(client, queue):
    login(client, queue["coordinator"])
    page = client.post("/review", data={"back": "region=UA-12"})
    assert page.status_code == 302 and page.location.endswith("/review?region=UA-12")
    html = client.get(page.location).get_data(as_text=True)
    assert "Nothing was approved: no response waiting for review was ticked." in html
    assert not db.session.scalars(select(Response).where(Response.state == ResponseState.APPROVED)).all()


def test_the_way_back_cannot_leave_the_queue(client, queue):
    login(client, queue["coordinator"])
    page = client.post("/review", data={"back": "https://evil.example/x\r\nLocation: y"})
    assert page.status_code in (302, 400)
    if page.status_code == 302:
        assert page.location.startswith("/review")
