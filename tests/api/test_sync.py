"""Syncing through /api/v1: every list takes `updated_since`, or its documentation says why it cannot (no timestamp
to filter by); recommendations follow their follow-up's changes. Find a place sends each note's key and the page's
sentence in the language asked for."""
import datetime as dt

from markupsafe import escape

from shelter_monitor.auth.models import Role
from shelter_monitor.availability.service import refresh_latest_answers
from shelter_monitor.extensions import db
from shelter_monitor.recommendations.service import record_follow_up
from shelter_monitor.regions.service import region_by_iso
from shelter_monitor.responses.service import start_response, submit_response
from tests.api.helpers import bearer
from tests.conftest import login
from tests.responses.helpers import complete_answers

M1_AND_R5 = {"D11": 90, "D12": "no", "D13": "yes", "D13a": 2, "D4": "no"}


def _list_operations(document: dict):
    for path, item in document["paths"].items():
        operation = item.get("get")
        content = (operation or {}).get("responses", {}).get("200", {}).get("content", {})
        if content.get("application/json", {}).get("schema", {}).get("type") == "array":
            yield path, operation


def test_every_list_takes_updated_since_or_says_why_not(client, make):
    document = client.get("/api/v1/openapi.json", headers=bearer(make.user(Role.MINISTRY))).get_json()
    lists = dict(_list_operations(document))
    assert {"/api/v1/rounds", "/api/v1/shelters", "/api/v1/rounds/{round_id}/findings",
            "/api/v1/rounds/{round_id}/recommendations/national"} <= set(lists)
    filtered = set()
    for path, operation in lists.items():
        if any(p["name"] == "updated_since" for p in operation.get("parameters", [])):
            filtered.add(path)
        else:
            assert "No `updated_since`:" in operation.get("description", ""), path
    assert filtered == {"/api/v1/shelters", "/api/v1/responses", "/api/v1/shelters/{shelter_id}/availability",
                        "/api/v1/rounds/{round_id}/recommendations/national",
                        "/api/v1/rounds/{round_id}/recommendations/regions/{iso_code}"}


def test_recommendations_since_a_moment_are_those_followed_up_since(client, make):
    monitor, regional = make.user(Role.MONITOR), make.user(Role.REGIONAL, region="UA-65")
    round_ = make.round()
    shelter = make.shelter(region="UA-65", monitors=[monitor], institution_type="cspa", ownership="oblast")
    response = start_response(shelter, round_, monitor)
    response.answers = {**complete_answers(shelter), **M1_AND_R5}
    assert submit_response(response, monitor).ok
    record_follow_up(round_, "R5", region_by_iso("UA-65"), "accepted", "old", regional).at = dt.datetime(2021, 1, 1)
    record_follow_up(round_, "M1", None, "accepted", "", make.user(Role.MINISTRY)).at = dt.datetime(2021, 1, 1)
    db.session.commit()
    headers = bearer(make.user(Role.COORDINATOR))
    regional_url = f"/api/v1/rounds/{round_.id}/recommendations/regions/UA-65"
    national_url = f"/api/v1/rounds/{round_.id}/recommendations/national"
    everything = client.get(regional_url, headers=headers).get_json()
    assert "R5" in {r["code"] for r in everything} and len(everything) > 1
    assert [r["code"] for r in client.get(national_url, headers=headers).get_json()] == ["M1"]

    since = {"updated_since": "2021-06-01T00:00:00+03:00"}
    assert client.get(regional_url, headers=headers, query_string=since).get_json() == []
    assert client.get(national_url, headers=headers, query_string=since).get_json() == []
    record_follow_up(round_, "R5", region_by_iso("UA-65"), "in_progress", "new", regional)
    db.session.commit()
    changed = client.get(regional_url, headers=headers, query_string=since).get_json()
    assert [(r["code"], r["follow_up"]["comment"]) for r in changed] == [("R5", "new")]
    assert [item["comment"] for item in changed[0]["follow_up_history"]] == ["new", "old"]
    early = {"updated_since": "2020-12-31T23:00:00"}
    assert [r["code"] for r in client.get(national_url, headers=headers, query_string=early).get_json()] == ["M1"]
    refused = client.get(national_url, headers=headers, query_string={"updated_since": "yesterday"})
    assert refused.status_code == 422 and refused.get_json()["errors"][0]["field"] == "updated_since"


def test_find_a_place_sends_each_note_as_a_key_and_the_pages_sentence_in_the_language_asked(client, make):
    for_women = dict(D1=["adult_women", "mothers_children"], D2=0, D3=17, D14="yes", D5=["referral"], D8=True,
                     C1=30, C2=30, C3=10)
    monitor = make.user(Role.MONITOR)
    round_ = make.round()
    for name, dropped in (("Known CSPA", ()), ("Possible CSPA", ("D14",))):
        shelter = make.shelter(name=name, region="UA-46", monitors=[monitor])
        response = start_response(shelter, round_, monitor)
        response.answers = {**complete_answers(shelter), **for_women}
        assert submit_response(response, monitor).ok
        response.answers = {k: v for k, v in response.answers.items() if k not in dropped}  # an answer missing
    refresh_latest_answers(round_)
    db.session.commit()
    coordinator = make.user(Role.COORDINATOR)
    headers = bearer(coordinator)
    query = {"sex": "female", "foreigner": "true", "out_of_hours": "true"}
    for language, asked in (("en", {}), ("uk", {"lang": "uk"}), ("uk", {"Accept-Language": "uk-UA,uk;q=0.9"}),
                            ("en", {"lang": "en", "Accept-Language": "uk"})):
        lang = {"lang": asked["lang"]} if "lang" in asked else {}
        found = client.get("/api/v1/places", query_string={**query, **lang},
                           headers={**headers, **{k: v for k, v in asked.items() if k != "lang"}})
        assert found.headers["Content-Language"] == language and "Accept-Language" in found.headers["Vary"]
        places = found.get_json()
        notes = [note for place in places for kind in ("reasons", "risks", "unknowns") for note in place[kind]]
        assert {"unknown", "admits_women", "documents_required"} <= {note["key"] for note in notes}
        login(client, coordinator)
        client.post(f"/language/{language}")
        page = client.get("/find-a-place?sex=female&foreigner=y&out_of_hours=y&group_size=1&region=").get_data(
            as_text=True)
        client.post("/logout")
        assert all(str(escape(note["text"])) in page for note in notes), language
        unknown = next(note for note in notes if note["key"] == "unknown")
        assert unknown["params"] == {"code": "D14", "about": "foreigners"}
        assert unknown["text"].startswith({"en": "It is not known whether it admits foreigners",
                                           "uk": "Невідомо"}[language]), unknown["text"]
    refused = client.get("/api/v1/places", query_string={**query, "lang": "de"}, headers=headers)
    assert refused.status_code == 422 and refused.get_json()["errors"][0]["field"] == "lang"
