"""/api/hsds/: every payload valid against the HSDS 3.1 schemas, no address or phone of any shelter anywhere, a
token required unless HSDS_PUBLIC, each token's scope, pagination, modified_after, statements per page."""
import datetime as dt

import pytest
from sqlalchemy import select, update

from shelter_monitor.auth.models import Role, User
from shelter_monitor.availability.service import record_availability
from shelter_monitor.demo.service import load_demo
from shelter_monitor.directory.hsds import object_id
from shelter_monitor.extensions import db
from shelter_monitor.responses.service import start_response, submit_response
from shelter_monitor.shelters.models import Shelter
from tests.api.helpers import bearer
from tests.conftest import recorded_statements
from tests.directory.schemas import errors_of, page_validator, validator
from tests.responses.helpers import complete_answers

LISTS = {"/api/hsds/services": "service", "/api/hsds/organizations": "organization",
         "/api/hsds/service_at_locations": "service_at_location"}
ITEMS = {"services": ("service", "service"), "organizations": ("organization", "organization"),
         "service_at_locations": ("service_at_location", "service_at_location")}


@pytest.fixture
def world(make):
    monitor = make.user(Role.MONITOR)
    shelters = {
        "answered": make.shelter(region="UA-46", monitors=[monitor], address="1 Hidden lane", phone="+380 32 111 1111",
                                 katottg="UA46060250010015970"),
        "suspended": make.shelter(region="UA-46", status="suspended", address="2 Quiet yard",
                                  phone="+380 32 222 2222"),
        "closed": make.shelter(region="UA-12", status="closed", address="3 Far road", phone="+380 56 333 3333"),
    }
    response = start_response(shelters["answered"], make.round(), monitor)
    response.answers = complete_answers(shelters["answered"])
    assert submit_response(response, monitor).ok
    record_availability(shelters["answered"], dt.datetime(2020, 11, 2, 10), 2, 1, 0, None, True, "", monitor)
    record_availability(shelters["closed"], dt.datetime(2020, 11, 3, 10), 0, 0, 0, None, False, "", monitor)
    db.session.commit()
    users = {"ministry": make.user(Role.MINISTRY), "admin": make.user(Role.ADMIN),
             "regional": make.user(Role.REGIONAL, region="UA-46"), "monitor": monitor}
    return users, shelters, response


def _items(shelters):
    for path, (kind, schema) in ITEMS.items():
        for shelter in shelters:
            yield f"/api/hsds/{path}/{object_id(kind, shelter.id)}", schema


def test_every_payload_validates_against_the_hsds_schemas(client, world):
    users, shelters, _ = world
    headers = bearer(users["ministry"])
    about = client.get("/api/hsds/", headers=headers)
    assert about.status_code == 200 and about.get_json()["version"] == "3.1"
    for url, schema in LISTS.items():
        listed = client.get(url, headers=headers)
        assert listed.status_code == 200, url
        assert errors_of(page_validator(schema), listed.get_json()) == [], url
        assert listed.get_json()["total_items"] == 3
    for url, schema in _items(shelters.values()):
        item = client.get(url, headers=headers)
        assert item.status_code == 200, url
        assert errors_of(validator(schema), item.get_json()) == [], url
    organization = client.get(f"/api/hsds/organizations/{object_id('organization', shelters['answered'].id)}",
                              headers=headers).get_json()
    assert [s["id"] for s in organization["services"]] == [object_id("service", shelters["answered"].id)]
    assert all(errors_of(validator("service"), s) == [] for s in organization["services"])


def test_free_places_status_and_answers_reach_the_service(client, world):
    users, shelters, _ = world
    headers = bearer(users["ministry"])
    services = {s["id"]: s for s in client.get("/api/hsds/services", headers=headers).get_json()["contents"]}
    answered = services[object_id("service", shelters["answered"].id)]
    assert answered["status"] == "active" and answered["eligibility_description"]
    assert {c["unit"]["identifier"]: c["available"] for c in answered["capacities"]} == \
        {"women": 2, "men": 1, "children": 0, "places": 3}
    assert answered["service_at_locations"][0]["location"]["external_identifier"] == "UA46060250010015970"
    assert services[object_id("service", shelters["suspended"].id)]["status"] == "temporarily closed"
    assert services[object_id("service", shelters["closed"].id)]["status"] == "inactive"


def _everything(client, headers, shelters) -> str:
    texts = [client.get("/api/hsds/", headers=headers).get_data(as_text=True)]
    texts += [client.get(url, headers=headers).get_data(as_text=True) for url in LISTS]
    texts += [client.get(url, headers=headers).get_data(as_text=True)
              for url, _ in _items(shelters)]
    return "\n".join(texts)


def test_no_address_or_phone_of_any_shelter_is_ever_published(client, world, app, monkeypatch):
    users, shelters, _ = world
    monkeypatch.setitem(app.config, "HSDS_PUBLIC", True)
    for headers in (bearer(users["admin"]), bearer(users["monitor"]), {}):  # the admin and monitor see them on pages
        published = _everything(client, headers, shelters.values())
        for shelter in shelters.values():
            assert shelter.address not in published and shelter.phone not in published
            assert shelter.phone.replace(" ", "") not in published.replace(" ", "")


def test_answers_marked_sensitive_are_left_out(client, world):
    users, shelters, response = world
    url = f"/api/hsds/services/{object_id('service', shelters['answered'].id)}"
    headers = bearer(users["ministry"])
    assert client.get(url, headers=headers).get_json()["eligibility_description"]
    response.sensitive_codes = ["D1", "D2", "D3", "D6", "D7", "D14"]
    db.session.commit()
    assert "eligibility_description" not in client.get(url, headers=headers).get_json()


def test_a_token_is_required_unless_the_directory_is_published(client, world, app, monkeypatch):
    _, shelters, _ = world
    urls = ["/api/hsds/", *LISTS, *(url for url, _ in _items(shelters.values()))]
    for url in urls:
        refused = client.get(url)
        assert refused.status_code == 401 and refused.mimetype == "application/problem+json", url
        assert refused.headers["WWW-Authenticate"].startswith("Bearer"), url
    assert client.get("/api/hsds/services", headers={"Authorization": "Bearer smt_wrong"}).status_code == 401
    monkeypatch.setitem(app.config, "HSDS_PUBLIC", True)
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert client.get("/api/hsds/services").get_json()["total_items"] == 3
    assert client.get("/api/hsds/services", headers={"Authorization": "Bearer smt_wrong"}).status_code == 401


def test_a_regional_token_sees_its_region_only(client, world, make):
    users, shelters, _ = world
    headers = bearer(users["regional"])
    listed = client.get("/api/hsds/services", headers=headers).get_json()
    assert {s["id"] for s in listed["contents"]} == {object_id("service", shelters[k].id)
                                                    for k in ("answered", "suspended")}
    assert listed["total_items"] == 2
    assert client.get(f"/api/hsds/services/{object_id('service', shelters['closed'].id)}",
                      headers=headers).status_code == 403
    staff = bearer(make.user(Role.SHELTER_STAFF, shelter=shelters["suspended"]))
    assert [o["id"] for o in client.get("/api/hsds/organizations", headers=staff).get_json()["contents"]] == \
        [object_id("organization", shelters["suspended"].id)]


def test_unknown_and_malformed_ids_are_404(client, world):
    users, shelters, _ = world
    headers = bearer(users["ministry"])
    service_of_answered = object_id("service", shelters["answered"].id)
    for url in (f"/api/hsds/services/{object_id('service', 999_999)}", "/api/hsds/services/7",
                "/api/hsds/services/not-a-uuid", f"/api/hsds/organizations/{service_of_answered}",
                f"/api/hsds/service_at_locations/{service_of_answered}"):
        answer = client.get(url, headers=headers)
        assert answer.status_code == 404 and answer.mimetype == "application/problem+json", url


def test_lists_are_paginated(client, make):
    for _ in range(5):
        make.shelter()
    headers = bearer(make.user(Role.MINISTRY))
    pages = [client.get(f"/api/hsds/services?per_page=2&page={n}", headers=headers).get_json() for n in (1, 2, 3, 4)]
    assert [(p["page_number"], p["size"], p["first_page"], p["last_page"], p["empty"]) for p in pages] == [
        (1, 2, True, False, False), (2, 2, False, False, False), (3, 1, False, True, False),
        (4, 0, False, True, True)]
    assert all(p["total_items"] == 5 and p["total_pages"] == 3 for p in pages)
    assert len({s["id"] for p in pages for s in p["contents"]}) == 5
    assert client.get("/api/hsds/services", headers=headers).get_json()["size"] == 5  # 50 by default
    for query, field in (("per_page=101", "per_page"), ("page=0", "page"), ("page=x", "page"),
                         ("modified_after=yesterday", "modified_after")):
        refused = client.get(f"/api/hsds/services?{query}", headers=headers)
        assert refused.status_code == 422 and refused.mimetype == "application/problem+json", query
        assert [(e["field"], e["in"]) for e in refused.get_json()["errors"]] == [(field, "query")], query


def test_modified_after_and_organization_id_filter_services(client, world):
    users, shelters, _ = world
    db.session.execute(update(Shelter).values(updated_at=dt.datetime(2020, 1, 1)))
    db.session.commit()
    headers = bearer(users["ministry"])
    changed = client.get("/api/hsds/services?modified_after=2024-01-01T00:00:00Z", headers=headers).get_json()
    # the answered shelter's response and both updates were written now; the suspended shelter has neither
    assert {s["id"] for s in changed["contents"]} == {object_id("service", shelters[k].id)
                                                     for k in ("answered", "closed")}
    organization = object_id("organization", shelters["closed"].id)
    filtered = client.get(f"/api/hsds/service_at_locations?organization_id={organization}", headers=headers)
    assert [s["service_id"] for s in filtered.get_json()["contents"]] == [object_id("service", shelters["closed"].id)]
    nothing = client.get("/api/hsds/services?organization_id=unknown", headers=headers).get_json()
    assert nothing["total_items"] == 0 and nothing["empty"]


def _statements(client, url: str, headers: dict) -> int:
    client.get(url, headers=headers)  # the token's first use writes last_used_at
    with recorded_statements() as seen:
        assert client.get(url, headers=headers).status_code == 200
    return len(seen)


def test_a_page_takes_the_same_statements_for_few_and_many_shelters(client, world, make):
    users, _, _ = world
    headers = bearer(users["ministry"])
    few = _statements(client, "/api/hsds/services", headers)
    monitor = users["monitor"]
    for n in range(12):
        shelter = make.shelter(region="UA-12", monitors=[monitor])
        record_availability(shelter, dt.datetime(2020, 11, 5, 9), n % 3, 0, 1, None, True, "", monitor)
    db.session.commit()
    assert _statements(client, "/api/hsds/services", headers) == few


def test_a_full_dump_of_the_demo_validates_and_holds_no_contact(client, ctx):
    load_demo("demo password 1")
    db.session.commit()
    ministry = db.session.scalar(select(User).where(User.role == Role.MINISTRY))
    headers = bearer(ministry)
    shelters = db.session.scalars(select(Shelter)).all()
    dumped = []
    for url, schema in LISTS.items():
        first = client.get(f"{url}?per_page=100", headers=headers).get_json()
        pages = [first] + [client.get(f"{url}?per_page=100&page={n}", headers=headers).get_json()
                           for n in range(2, first["total_pages"] + 1)]
        for listed in pages:
            assert errors_of(page_validator(schema), listed) == [], url
        assert sum(p["size"] for p in pages) == len(shelters) == first["total_items"]
        dumped += [client.get(f"{url}?per_page=100&page={n}", headers=headers).get_data(as_text=True)
                   for n in range(1, first["total_pages"] + 1)]
    services = [s for p in [client.get("/api/hsds/services?per_page=100", headers=headers).get_json()]
                for s in p["contents"]]
    assert sum(1 for s in services if s.get("capacities")) >= len(shelters) * 0.9  # free places of (nearly) all
    for url, schema in _items(shelters[:10]):
        item = client.get(url, headers=headers)
        assert errors_of(validator(schema), item.get_json()) == [], url
        dumped.append(item.get_data(as_text=True))
    text = "\n".join(dumped)
    for shelter in shelters:
        assert not shelter.address or shelter.address not in text
        assert not shelter.phone or shelter.phone not in text
