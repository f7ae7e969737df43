"""/api/v1 behaviour: the draft save's version check (409), pagination with Link headers, updated_since, ETags,
problem details naming the failing field."""
import datetime as dt

from shelter_monitor.auth.models import Role
from shelter_monitor.extensions import db
from shelter_monitor.responses.models import Response
from shelter_monitor.responses.service import start_response
from tests.api.helpers import bearer


def test_a_stale_save_gets_409_and_changes_nothing(client, make):
    monitor = make.user(Role.MONITOR)
    shelter = make.shelter(monitors=[monitor])
    response = start_response(shelter, make.round(), monitor)
    db.session.commit()
    headers = bearer(monitor)
    url = f"/api/v1/responses/{response.id}/sections/C"
    first = client.put(url, headers=headers, json={"version": 1, "answers": {"C1": 10}})
    assert first.status_code == 200 and first.get_json()["response"]["answers"]["C1"] == 10
    assert first.get_json()["response"]["version"] == 2
    stale = client.put(url, headers=headers, json={"version": 1, "answers": {"C1": 12}})
    assert stale.status_code == 409 and stale.mimetype == "application/problem+json"
    body = stale.get_json()
    assert body["current_version"] == 2 and body["differences"] == {"C1": {"saved": 10, "yours": 12}}
    db.session.expire_all()
    assert db.session.get(Response, response.id).answers["C1"] == 10
    merged = client.put(url, headers=headers, json={"version": 2, "answers": {"C1": 12}})
    assert merged.status_code == 200 and merged.get_json()["response"]["answers"]["C1"] == 12


def test_a_save_names_the_answer_it_refuses(client, make):
    monitor = make.user(Role.MONITOR)
    response = start_response(make.shelter(monitors=[monitor]), make.round(), monitor)
    db.session.commit()
    refused = client.put(f"/api/v1/responses/{response.id}/sections/C", headers=bearer(monitor),
                         json={"version": 1, "answers": {"C1": "many", "ZZ9": 1}})
    assert refused.status_code == 422
    assert {e["field"] for e in refused.get_json()["errors"]} == {"answers.C1", "answers.ZZ9"}
    bad_query = client.get("/api/v1/shelters?page_size=1000", headers=bearer(monitor))
    assert bad_query.status_code == 422 and bad_query.mimetype == "application/problem+json"
    assert bad_query.get_json()["errors"][0] | {"detail": ""} == {"field": "page_size", "in": "query", "detail": ""}


def test_lists_are_paginated_with_link_headers(client, make):
    for _ in range(5):
        make.shelter()
    headers = bearer(make.user(Role.MINISTRY))
    first = client.get("/api/v1/shelters?page_size=2", headers=headers)
    assert len(first.get_json()) == 2 and first.headers["X-Total-Count"] == "5"
    assert 'rel="next"' in first.headers["Link"] and "page=3" in first.headers["Link"]
    last = client.get("/api/v1/shelters?page_size=2&page=3", headers=headers)
    assert len(last.get_json()) == 1 and 'rel="next"' not in last.headers["Link"]
    ids = [s["id"] for page in (1, 2, 3)
           for s in client.get(f"/api/v1/shelters?page_size=2&page={page}", headers=headers).get_json()]
    assert len(set(ids)) == 5


def test_updated_since_returns_only_what_changed(client, make):
    old, new = make.shelter(), make.shelter()
    old.updated_at = dt.datetime(2020, 1, 1)
    db.session.commit()
    headers = bearer(make.user(Role.MINISTRY))
    listed = client.get("/api/v1/shelters?updated_since=2021-01-01T00:00:00Z", headers=headers).get_json()
    assert [s["id"] for s in listed] == [new.id]
    new.name = "Renamed"
    db.session.commit()
    assert new.updated_at > dt.datetime(2021, 1, 1)


def test_reads_carry_an_etag_and_answer_304(client, make):
    make.shelter()
    headers = bearer(make.user(Role.MINISTRY))
    first = client.get("/api/v1/shelters", headers=headers)
    etag = first.headers["ETag"]
    again = client.get("/api/v1/shelters", headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    make.shelter()
    assert client.get("/api/v1/shelters", headers={**headers, "If-None-Match": etag}).status_code == 200


def test_shelter_staff_post_free_places_for_their_own_shelter_only(client, make):
    mine, other = make.shelter(), make.shelter()
    headers = bearer(make.user(Role.SHELTER_STAFF, shelter=mine))
    body = {"free_women": 3, "free_men": 1, "free_children": 2, "as_of": "2026-11-20T08:00:00+02:00"}
    posted = client.post(f"/api/v1/shelters/{mine.id}/availability", headers=headers, json=body)
    assert posted.status_code == 201 and posted.get_json()["as_of"].startswith("2026-11-20T06:00")
    assert client.post(f"/api/v1/shelters/{other.id}/availability", headers=headers, json=body).status_code == 403
    shelter = client.get(f"/api/v1/shelters/{mine.id}", headers=headers).get_json()
    assert shelter["latest_availability"]["free_women"] == 3 and shelter["contact"] is None


def test_the_openapi_document_and_its_page(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1") and "/api/v1/shelters" in document["paths"]
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "vendor/swagger-ui/swagger-ui-bundle.js" in page and "http" not in page.split("<body>")[1]


def test_a_moment_beyond_the_calendar_in_utc_is_the_earliest_or_latest_one(client, make):
    make.shelter()
    headers = bearer(make.user(Role.MINISTRY))
    for url, items in (("/api/v1/shelters?updated_since={}", lambda page: page),
                       ("/api/hsds/services?modified_after={}", lambda page: page["contents"])):
        earliest = client.get(url.format("0001-01-01T00:00:00%2B01:00"), headers=headers)
        latest = client.get(url.format("9999-12-31T23:59:59-23:59"), headers=headers)
        assert earliest.status_code == 200 and latest.status_code == 200, url
        assert len(items(earliest.get_json())) == 1 and items(latest.get_json()) == [], url


def test_a_body_nested_too_deeply_for_the_json_decoder_is_a_400(client, make):
    round_ = make.round()
    response = client.post(f"/api/v1/rounds/{round_.id}/exports", data=b"[" * 100_000 + b"]" * 100_000,
                           content_type="application/json", headers=bearer(make.user(Role.MINISTRY)))
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
