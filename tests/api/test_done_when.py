"""Issue #15's "done when", end to end through the client: a user logs in on the page, makes a token on
/account/tokens (read from the page that shows it once), pulls every shelter's free places through /api/v1 (Link
pagination to the end) and through /api/hsds/services (HSDS pagination to the end); both agree with each other and
with the database, and the whole HSDS dump validates against the HSDS 3.1 schemas."""
import datetime as dt
import re
from collections import defaultdict

from sqlalchemy import select

from shelter_monitor.auth.models import Role
from shelter_monitor.availability.models import AvailabilityUpdate
from shelter_monitor.availability.service import record_availability
from shelter_monitor.directory.hsds import object_id
from shelter_monitor.extensions import db
from shelter_monitor.responses.models import Response
from shelter_monitor.responses.service import start_response, submit_response
from shelter_monitor.shelters.models import Shelter
from tests.api.test_tokens import TOKEN
from tests.conftest import login
from tests.directory.schemas import errors_of, page_validator, validator
from tests.responses.helpers import complete_answers

NEXT = re.compile(r'<([^>]+)>; rel="next"')
REGIONS = ("UA-46", "UA-65", "UA-12", "UA-07")
UNITS = ("women", "men", "children")


def _world(make) -> None:
    """23 shelters in four regions: most post their free places (two of them twice, the newer winning), some were
    visited before their update, two were visited and never posted (the visit's C1 - C3), two have neither."""
    monitor = make.user(Role.MONITOR)
    round_ = make.round()
    for n in range(23):
        shelter = make.shelter(region=REGIONS[n % 4], monitors=[monitor], name=f"Shelter {n:02}")
        if n % 5 == 0 or n == 21:
            response = start_response(shelter, round_, monitor)
            response.answers = {**complete_answers(shelter), "C1": 30 + n, "C2": 30 + n, "C3": 10 + n % 7}
            assert submit_response(response, monitor).ok
        if n < 19:
            posted = dt.datetime(2020, 11, 5, 8) + dt.timedelta(hours=n)
            if n in (3, 8):
                record_availability(shelter, posted - dt.timedelta(days=2), 9, 9, 9, None, True, "", monitor)
            record_availability(shelter, posted, n % 4, n % 3, (n * 7) % 5, None, n != 6, "", monitor)
    db.session.commit()


def _token_from_the_page(client, make) -> str:
    user = make.user(Role.MINISTRY)
    login(client, user)
    assert "name=\"name\"" in client.get("/account/tokens").get_data(as_text=True)
    shown = client.post("/account/tokens", data={"name": "Done when", "days": "7"}).get_data(as_text=True)
    client.post("/logout")
    return TOKEN.search(shown).group(0)


def _pull_api(client, headers) -> tuple[dict[int, dict | None], int]:
    """Shelter id -> latest availability, following `Link: rel="next"` from the first page to the last."""
    url, found, pages, total = "/api/v1/shelters?page_size=5", {}, 0, None
    while url:
        answer = client.get(url, headers=headers)
        assert answer.status_code == 200
        total = int(answer.headers["X-Total-Count"])
        for shelter in answer.get_json():
            assert shelter["id"] not in found
            found[shelter["id"]] = shelter["latest_availability"]
        pages += 1
        link = NEXT.search(answer.headers["Link"])
        url = link.group(1) if link else None
    assert len(found) == total
    return found, pages


def _pull_hsds(client, headers) -> tuple[list[dict], list[dict]]:
    """Every service, page after page until `last_page`, and the pages themselves."""
    pages, number = [], 1
    while True:
        page = client.get("/api/hsds/services", query_string={"per_page": 4, "page": number}, headers=headers)
        assert page.status_code == 200
        pages.append(page.get_json())
        if pages[-1]["last_page"]:
            break
        number += 1
    services = [service for page in pages for service in page["contents"]]
    assert len(services) == pages[0]["total_items"] and pages[0]["total_pages"] == len(pages)
    return services, pages


def _capacities(service: dict) -> dict[str, int]:
    return {c["unit"]["identifier"]: c["available"] for c in service.get("capacities", [])}


def _in_the_database() -> tuple[dict[int, tuple[int, int, int]], dict[int, int]]:
    """Read straight from the tables: each shelter's newest update (by as_of, then id) as (women, men, children),
    and, for a shelter that never posted one, its visit's free places (C1 - C3)."""
    newest: dict[int, AvailabilityUpdate] = {}
    for update in db.session.scalars(select(AvailabilityUpdate)):
        held = newest.get(update.shelter_id)
        if held is None or (update.as_of, update.id) > (held.as_of, held.id):
            newest[update.shelter_id] = update
    posted = {sid: (u.free_women, u.free_men, u.free_children) for sid, u in newest.items()}
    visits = {r.shelter_id: r.answers["C1"] - r.answers["C3"] for r in db.session.scalars(select(Response))
              if r.shelter_id not in posted}
    return posted, visits


def test_free_places_pulled_through_the_api_and_hsds_with_a_token_made_on_the_page(client, make):
    _world(make)
    headers = {"Authorization": f"Bearer {_token_from_the_page(client, make)}"}
    shelter_ids = set(db.session.scalars(select(Shelter.id)))
    posted, visits = _in_the_database()
    assert len(shelter_ids) == 23 and len(posted) == 19 and len(visits) == 2

    api, api_pages = _pull_api(client, headers)
    assert set(api) == shelter_ids and api_pages == 5
    api_free = {sid: tuple(a[f"free_{unit}"] for unit in UNITS) for sid, a in api.items() if a is not None}
    assert api_free == posted

    services, hsds_pages = _pull_hsds(client, headers)
    assert len(hsds_pages) == 6
    by_shelter = {sid: next(s for s in services if s["id"] == object_id("service", sid)) for sid in shelter_ids}
    hsds_free = {sid: _capacities(s) for sid, s in by_shelter.items() if _capacities(s)}
    assert {sid: tuple(c[unit] for unit in UNITS) for sid, c in hsds_free.items() if "women" in c} == api_free
    assert {sid: c["places"] for sid, c in hsds_free.items() if "women" not in c} == visits
    assert all(c["places"] == sum(c[unit] for unit in UNITS) for c in hsds_free.values() if "women" in c)

    totals = defaultdict(int)
    for figures in api_free.values():
        totals["api"] += sum(figures)
    for capacities in hsds_free.values():
        totals["hsds"] += capacities["places"]
    totals["database"] = sum(map(sum, posted.values())) + sum(visits.values())
    assert totals["hsds"] == totals["api"] + sum(visits.values()) == totals["database"] > 0, dict(totals)

    for page in hsds_pages:
        assert errors_of(page_validator("service"), page) == []
    for path, schema in (("services", "service"), ("organizations", "organization"),
                         ("service_at_locations", "service_at_location")):
        first = client.get(f"/api/hsds/{path}?per_page=100", headers=headers).get_json()
        assert errors_of(page_validator(schema), first) == [] and first["total_items"] == 23, path
        for sid in shelter_ids:
            item = client.get(f"/api/hsds/{path}/{object_id(schema, sid)}", headers=headers)
            assert item.status_code == 200 and errors_of(validator(schema), item.get_json()) == [], (path, sid)
