"""The route x role matrix: every page answers each role as the policy says, and nobody else."""
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from shelter_monitor.api.models import ApiToken
from shelter_monitor.api.tokens import create_token, token_hash
from shelter_monitor.auth.models import Role
from shelter_monitor.directory.hsds import object_id
from shelter_monitor.downloads.jobs import _JOBS, ExportJob
from shelter_monitor.extensions import db
from shelter_monitor.programmes.service import SHIPPED_PROGRAMME, load_programme
from shelter_monitor.responses.service import start_response, submit_response
from shelter_monitor.shelters.models import Shelter
from tests.api.helpers import bearer
from tests.conftest import login
from tests.responses.helpers import complete_answers

ROLES = ["admin", "coordinator", "monitor", "other_monitor", "regional", "other_regional", "ministry", "staff"]
ALL = set(ROLES)


def only(*roles):
    return set(roles)


def everyone_but(*roles):
    return ALL - set(roles)


# (method, url template, roles that get 200 or 302; everybody else gets 403[, extra form fields for a POST])
MATRIX = [
    ("GET", "/shelters", ALL),
    ("GET", "/shelters/{shelter}", everyone_but("other_monitor", "other_regional")),
    ("GET", "/shelters/{other_shelter}", everyone_but("monitor", "other_monitor", "regional", "staff")),
    ("GET", "/shelters/new", only("admin")),
    ("GET", "/shelters/{shelter}/edit", only("admin")),
    ("GET", "/shelters/{shelter}/monitors", only("admin", "coordinator")),
    ("GET", "/rounds", ALL),
    ("GET", "/rounds/{round}", ALL),
    ("GET", "/rounds/new", only("admin")),
    ("GET", "/rounds/{round}/edit", only("admin")),
    ("GET", "/questionnaires", only("admin")),
    ("GET", "/questionnaires/2020.1/xlsform", only("admin")),
    ("POST", "/questionnaires/import", only("admin"), {"version": "2021.1", "derived_from": "2020.1"}),
    ("GET", "/rounds/{round}/regions/UA-46", everyone_but("other_regional", "staff")),
    ("POST", "/rounds/{round}/regions/UA-46", only("coordinator", "monitor", "other_monitor", "regional")),
    ("GET", "/responses/{response}", everyone_but("other_monitor", "other_regional")),
    ("GET", "/responses/{response}/sections/C", only("monitor")),
    ("POST", "/responses/{response}/sections/C", only("monitor")),
    ("GET", "/review", only("coordinator")),
    ("GET", "/admin/users", only("admin")),
    ("GET", "/admin/users/new", only("admin")),
    ("GET", "/audit", only("admin", "coordinator")),
    ("GET", "/rounds/{round}/recommendations", everyone_but("monitor", "other_monitor", "staff")),
    ("GET", "/rounds/{round}/recommendations/UA-46", only("admin", "coordinator", "ministry", "regional")),
    ("POST", "/rounds/{round}/recommendations/R5/follow-up", only("regional")),
    ("POST", "/rounds/{round}/recommendations/M1/follow-up", only("ministry")),
    ("GET", "/rounds/{round}/dashboard", only("admin", "coordinator", "ministry", "regional", "other_regional")),
    ("GET", "/rounds/{round}/dashboard/UA-46", only("admin", "coordinator", "ministry", "regional")),
    ("GET", "/dashboard/trends", only("admin", "coordinator", "ministry", "regional", "other_regional")),
    ("GET", "/find-a-place", everyone_but("staff")),
    ("GET", "/shelters/{shelter}/availability", everyone_but("other_monitor", "other_regional")),
    ("POST", "/shelters/{shelter}/availability", only("monitor", "coordinator", "staff")),
    ("POST", "/shelters/{other_shelter}/availability", only("coordinator")),
    ("GET", "/rounds/{round}/exports", only("admin", "coordinator", "ministry", "regional", "other_regional")),
    ("GET", "/rounds/{round}/exports/file?kind=csv&region=UA-46&lang=en&multi=split",
     only("admin", "coordinator", "ministry", "regional")),
    ("GET", "/rounds/{round}/exports/file?kind=csv&region=&lang=en&multi=split",
     only("admin", "coordinator", "ministry")),
    ("POST", "/rounds/{round}/imports", only("admin", "coordinator")),
    ("POST", "/responses/{response}/sensitive", only("coordinator")),
    ("GET", "/programmes", only("admin", "coordinator", "ministry", "regional", "other_regional")),
    ("GET", "/programmes/ua-thb-2012", only("admin", "coordinator", "ministry", "regional", "other_regional")),
    ("GET", "/programmes/ua-thb-2012?region=UA-46", only("admin", "coordinator", "ministry", "regional")),
    ("GET", "/programmes/ua-thb-2012/indicators/t8_assisted",
     only("admin", "coordinator", "ministry", "regional", "other_regional")),
    ("GET", "/programmes/ua-thb-2012/funding?region=UA-46", only("admin", "coordinator", "ministry", "regional")),
    ("POST", "/programmes/ua-thb-2012/values", only("ministry", "regional")),
    # every other POST route; the response-changing ones last, so that earlier rows see the world unchanged
    ("GET", "/admin/users/{user}", only("admin")),
    ("POST", "/admin/users/new", only("admin")),
    ("POST", "/admin/users/{user}", only("admin")),
    ("POST", "/admin/users/{user}/password-link", only("admin")),
    ("GET", "/account", ALL),
    ("GET", "/account/tokens", ALL),
    ("POST", "/account/tokens", ALL, {"name": "test", "days": "30"}),
    ("POST", "/account/tokens/{token}/revoke", only("admin", "other_monitor")),
    ("POST", "/account", ALL),  # one's own password; the form refuses a wrong current password
    ("POST", "/shelters/new", only("admin")),
    ("POST", "/shelters/{shelter}/edit", only("admin")),
    ("POST", "/shelters/{shelter}/monitors", only("admin", "coordinator"), {"monitors": "{monitor}"}),
    ("POST", "/rounds/new", only("admin")),
    ("POST", "/rounds/{round}/edit", only("admin")),
    ("POST", "/shelters/{shelter}/rounds/{round}/response", only("monitor")),
    ("POST", "/shelters/{other_shelter}/rounds/{round}/response", set()),
    ("POST", "/responses/{to_return}/return", only("coordinator"), {"reason": "Please check C1."}),
    ("POST", "/responses/{to_approve}/approve", only("coordinator")),
    ("POST", "/review", only("coordinator"), {"response_ids": "{to_bulk_approve}", "confirm": "1"}),
    ("POST", "/responses/{to_bulk_approve}/approve", set()),  # approved by now, or never reviewable
    ("POST", "/responses/{response}/approve", set()),  # a draft is not for review
    ("POST", "/responses/{response}/submit", only("monitor")),
]

HSDS_ITEMS = (("services", "service"), ("organizations", "organization"),
              ("service_at_locations", "service_at_location"))

# /api/v1 and /api/hsds through each role's read-write token:
# (method, url, roles that get 200, 201 or 202; others 403[, body])
API_MATRIX = [
    ("GET", "/api/v1/regions", ALL),
    ("GET", "/api/v1/shelters", ALL),  # each sees its own (test_api_lists_are_scoped_as_the_pages)
    ("GET", "/api/v1/shelters/{shelter}", everyone_but("other_monitor", "other_regional")),
    ("GET", "/api/v1/shelters/{other_shelter}", everyone_but("monitor", "other_monitor", "regional", "staff")),
    ("GET", "/api/v1/shelters/{shelter}/availability", everyone_but("other_monitor", "other_regional")),
    ("POST", "/api/v1/shelters/{shelter}/availability", only("monitor", "coordinator", "staff"),
     {"free_women": 1, "free_men": 0, "free_children": 0}),
    ("POST", "/api/v1/shelters/{other_shelter}/availability", only("coordinator"),
     {"free_women": 1, "free_men": 0, "free_children": 0}),
    ("GET", "/api/v1/places?sex=female", everyone_but("staff")),
    ("GET", "/api/v1/rounds", ALL),
    ("GET", "/api/v1/rounds/{round}", ALL),
    ("GET", "/api/v1/responses", ALL),
    ("GET", "/api/v1/responses/{response}", everyone_but("other_monitor", "other_regional")),
    ("PUT", "/api/v1/responses/{response}/sections/C", only("monitor"), {"version": 1, "answers": {"C1": 5}}),
    ("GET", "/api/v1/questionnaires", ALL),
    ("GET", "/api/v1/questionnaires/2020.1", ALL),
    ("GET", "/api/v1/rounds/{round}/findings", ALL),
    ("GET", "/api/v1/rounds/{round}/recommendations/national", only("admin", "coordinator", "ministry")),
    ("GET", "/api/v1/rounds/{round}/recommendations/regions/UA-46",
     only("admin", "coordinator", "ministry", "regional")),
    ("GET", "/api/v1/rounds/{round}/indicators",
     only("admin", "coordinator", "ministry", "regional", "other_regional")),
    ("GET", "/api/v1/rounds/{round}/indicators/UA-46", only("admin", "coordinator", "ministry", "regional")),
    ("POST", "/api/v1/rounds/{round}/exports", only("admin", "coordinator", "ministry", "regional"),
     {"kind": "csv", "region": "UA-46"}),
    ("POST", "/api/v1/rounds/{round}/exports", only("admin", "coordinator", "ministry"), {"kind": "csv"}),
    ("GET", "/api/hsds/", ALL),
    ("GET", "/api/hsds/services", ALL),  # each sees its own (tests/directory/test_hsds_api.py)
    ("GET", "/api/hsds/organizations", ALL),
    ("GET", "/api/hsds/service_at_locations", ALL),
    *(("GET", f"/api/hsds/{path}/{{shelter_{kind}}}", everyone_but("other_monitor", "other_regional"))
      for path, kind in HSDS_ITEMS),
    *(("GET", f"/api/hsds/{path}/{{other_shelter_{kind}}}", everyone_but("monitor", "other_monitor", "regional",
                                                                        "staff"))
      for path, kind in HSDS_ITEMS),
]

# POST routes the matrix leaves out: logging in and out, "log out everywhere" (one's own sessions) and the
# language switch answer everybody; a password link's page answers whoever holds the token (tests/auth).
NOT_IN_MATRIX = {"auth.login", "auth.logout", "auth.set_language", "auth.logout_everywhere", "auth.set_password"}


@pytest.fixture
def world(make):
    users = {
        "admin": make.user(Role.ADMIN),
        "coordinator": make.user(Role.COORDINATOR),
        "monitor": make.user(Role.MONITOR),
        "other_monitor": make.user(Role.MONITOR),
        "regional": make.user(Role.REGIONAL, region="UA-46"),
        "other_regional": make.user(Role.REGIONAL, region="UA-12"),
        "ministry": make.user(Role.MINISTRY),
    }
    shelter = make.shelter(region="UA-46", monitors=[users["monitor"]])
    other_shelter = make.shelter(region="UA-12")
    users["staff"] = make.user(Role.SHELTER_STAFF, shelter=shelter)
    round_ = make.round()
    load_programme(SHIPPED_PROGRAMME.read_text(encoding="utf-8"), SHIPPED_PROGRAMME.name)
    response = start_response(shelter, round_, users["monitor"])
    _, token_secret = create_token(users["other_monitor"], "matrix")
    db.session.flush()
    ids = {"shelter": shelter.id, "other_shelter": other_shelter.id, "round": round_.id, "response": response.id,
           "user": users["other_monitor"].id, "monitor": users["monitor"].id,
           "token": db.session.scalar(select(ApiToken.id).where(ApiToken.token_hash == token_hash(token_secret)))}
    ids |= {f"{name}_{kind}": object_id(kind, ids[name]) for name in ("shelter", "other_shelter")
            for _, kind in HSDS_ITEMS}
    for key in ("to_return", "to_approve", "to_bulk_approve"):
        submitted_shelter = make.shelter(region="UA-46", monitors=[users["monitor"]])
        submitted = start_response(submitted_shelter, round_, users["monitor"])
        submitted.answers = complete_answers(submitted_shelter)
        assert submit_response(submitted, users["monitor"]).ok
        db.session.flush()
        ids[key] = submitted.id
    db.session.commit()
    return users, ids


def _call(client, method, url, extra=None, ids=None):
    if method == "GET":
        return client.get(url)
    data = {"version": "1", "original": "{}", "C1": "5", "I4": "yes", "region": "UA-46", "status": "accepted",
            "kind": "indicator", "code": "t8_assisted", "year": "2013", "value": "12", "source": "Regional report"}
    data.update({key: value.format(**ids) for key, value in (extra or {}).items()})
    return client.post(url, data=data)


def _rows():
    for row in MATRIX:
        method, template, allowed = row[:3]
        yield method, template, allowed, (row[3] if len(row) > 3 else None)


@pytest.mark.parametrize("role", ROLES)
def test_route_role_matrix(client, world, role):
    users, ids = world
    login(client, users[role])
    wrong = []
    for method, template, allowed, extra in _rows():
        url = template.format(**ids)
        status = _call(client, method, url, extra, ids).status_code
        expected = {200, 302} if role in allowed else {403}
        if status not in expected:
            wrong.append((method, url, status, sorted(expected)))
    assert wrong == []


@pytest.mark.parametrize("role", ROLES)
def test_api_route_role_matrix(client, world, role, monkeypatch):
    users, ids = world
    started = []
    monkeypatch.setattr("shelter_monitor.api.v1.exports.start_export_job",
                        lambda app, user_id, *args: started.append(user_id) or SimpleNamespace(
                            id="job", kind="csv", status="running"))
    headers = bearer(users[role])
    wrong = []
    for method, template, allowed, *body in API_MATRIX:
        url = template.format(**ids)
        status = client.open(url, method=method, headers=headers, json=body[0] if body else None).status_code
        expected = {200, 201, 202} if role in allowed else {403}
        if status not in expected:
            wrong.append((method, url, status, sorted(expected)))
    assert wrong == []
    assert len(started) == sum(1 for row in API_MATRIX if row[1].endswith("/exports") and role in row[2])


def test_api_refuses_every_route_without_a_token(client, world):
    _, ids = world
    for method, template, _, *body in API_MATRIX:
        response = client.open(template.format(**ids), method=method, json=body[0] if body else None)
        assert response.status_code == 401 and response.mimetype == "application/problem+json", template


def test_api_lists_are_scoped_as_the_pages(client, world):
    users, ids = world

    def listed(role: str, url: str = "/api/v1/shelters") -> list[dict]:
        return client.get(url, headers=bearer(users[role])).get_json()

    regional = listed("regional")
    assert {s["region"] for s in regional} == {"UA-46"} and ids["other_shelter"] not in {s["id"] for s in regional}
    assert [s["id"] for s in listed("other_regional")] == [ids["other_shelter"]]
    assert [s["id"] for s in listed("staff")] == [ids["shelter"]]
    assert len(listed("ministry")) == 5
    assert listed("other_monitor", "/api/v1/responses") == [] and listed("other_regional", "/api/v1/responses") == []
    assert {r["shelter_id"] for r in listed("regional", "/api/v1/responses")} <= {s["id"] for s in regional}


def test_api_shows_address_and_phone_only_where_the_policy_allows(client, world):
    users, ids = world
    for role, shown in [("admin", True), ("coordinator", True), ("monitor", True), ("regional", False),
                        ("ministry", False), ("staff", False)]:
        shelter = client.get(f"/api/v1/shelters/{ids['shelter']}", headers=bearer(users[role])).get_json()
        assert (shelter["contact"] is not None) is shown, role
        listed = client.get("/api/v1/shelters", headers=bearer(users[role])).get_json()
        assert all(("Secret street" in str(item)) is shown for item in listed if item["id"] == ids["shelter"]), role


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    _, ids = world
    for method, template, _, extra in _rows():
        response = _call(client, method, template.format(**ids), extra, ids)
        assert response.status_code == 302 and "/login" in response.location, template


def _pattern(rule) -> re.Pattern:
    """The rule's path as a pattern a matrix row's URL template (placeholders in braces) has to match."""
    parts = re.split(r"<[^>]+>", rule.rule)
    return re.compile("^" + "[^/]+".join(re.escape(part) for part in parts) + "$")


def test_every_post_route_is_in_the_matrix(app):
    """A new POST route fails here until the matrix says who may post to it (or NOT_IN_MATRIX says why not)."""
    posted = [template.split("?")[0] for method, template, _, _ in _rows() if method == "POST"]
    posted += [row[1] for row in API_MATRIX if row[0] in ("POST", "PUT")]
    missing = [f"{rule.endpoint} {rule.rule}" for rule in app.url_map.iter_rules()
               if rule.methods & {"POST", "PUT"} and rule.endpoint not in NOT_IN_MATRIX
               and not any(_pattern(rule).match(path) for path in posted)]
    assert missing == []
    assert {rule.endpoint for rule in app.url_map.iter_rules()} >= NOT_IN_MATRIX


def test_regional_user_lists_only_its_own_region(client, make, login_as):
    make.shelter(region="UA-46", name="Lviv shelter")
    make.shelter(region="UA-12", name="Dnipro shelter")
    login_as(Role.REGIONAL, region="UA-46")
    page = client.get("/shelters").get_data(as_text=True)
    assert "Lviv shelter" in page and "Dnipro shelter" not in page


def test_monitor_lists_only_assigned_shelters(client, make):
    monitor = make.user(Role.MONITOR)
    make.shelter(name="Mine", monitors=[monitor])
    make.shelter(name="Not mine")
    login(client, monitor)
    page = client.get("/shelters").get_data(as_text=True)
    assert "Mine" in page and "Not mine" not in page


def test_confidential_address_is_shown_only_to_roles_allowed(client, make):
    shelter = make.shelter(region="UA-46", address="7 Hidden lane")
    for role, region, shown in [(Role.ADMIN, None, True), (Role.COORDINATOR, None, True),
                                (Role.REGIONAL, "UA-46", False), (Role.MINISTRY, None, False)]:
        user = make.user(role, region=region)
        login(client, user)
        page = client.get(f"/shelters/{shelter.id}").get_data(as_text=True)
        assert ("7 Hidden lane" in page) is shown, role
        client.post("/logout")


ROLE_DECISION = re.compile(r"\.role\s*(==|!=|\bin\b|\bnot in\b)|\bREAD_ALL\b|\bRole\.[A-Z_]+\s*(==|!=|\))")
NOT_DECIDING = {"auth", "demo", "cli"}  # the policy itself; the demo and the CLI create and list users by role


def test_no_role_decision_outside_the_policy():
    """Views, services and templates ask `can` (or a scope helper of the policy); none compares roles itself."""
    root = Path(__file__).resolve().parent.parent
    files = [p for p in (root / "shelter_monitor").rglob("*.py") if p.relative_to(root).parts[1] not in NOT_DECIDING]
    files += list((root / "templates").rglob("*.html"))
    found = [f"{path.relative_to(root)}:{number}: {line.strip()}"
             for path in files for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if ROLE_DECISION.search(line)]
    assert found == []


@pytest.mark.parametrize(("role", "start"), [
    ("coordinator", "/review"), ("staff", "/shelters/{shelter}"), ("admin", "/dashboard"), ("ministry", "/dashboard"),
    ("regional", "/dashboard"), ("monitor", None),
])
def test_each_role_starts_where_the_policy_says(client, world, role, start):
    users, ids = world
    login(client, users[role])
    response = client.get("/")
    if start is None:
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and response.location.endswith(start.format(**ids))


def test_only_monitors_can_be_assigned_to_a_shelter(client, world):
    users, ids = world
    login(client, users["coordinator"])
    page = client.get(f"/shelters/{ids['shelter']}/monitors").get_data(as_text=True)
    assert users["monitor"].email in page and users["other_monitor"].email in page
    assert all(users[role].email not in page for role in ("admin", "regional", "ministry", "staff"))
    client.post(f"/shelters/{ids['shelter']}/monitors", data={"monitors": [users["monitor"].id, users["admin"].id]})
    db.session.expire_all()
    assert [m.email for m in db.session.get(Shelter, ids["shelter"]).monitors] == [users["monitor"].email]


def test_regional_user_is_sent_to_its_own_recommendations_and_sees_its_own_links(client, world):
    users, ids = world
    login(client, users["regional"])
    response = client.get(f"/rounds/{ids['round']}/recommendations")
    assert response.status_code == 302 and response.location.endswith(f"/rounds/{ids['round']}/recommendations/UA-46")
    page = client.get(f"/rounds/{ids['round']}").get_data(as_text=True)
    assert f"/rounds/{ids['round']}/recommendations/UA-46" in page and f"/rounds/{ids['round']}/exports" in page
    exports = client.get(f"/rounds/{ids['round']}/exports").get_data(as_text=True)
    assert 'value="UA-46"' in exports and 'value="UA-12"' not in exports and 'value=""' not in exports


def test_an_export_job_is_seen_by_its_owner_only(client, world):
    users, _ = world
    job = ExportJob(id="permission-test-job", user_id=users["ministry"].id, kind="csv", status="done",
                    content=b"shelter_id\n", download_name="export.csv")
    _JOBS[job.id] = job
    urls = [f"/exports/jobs/{job.id}", f"/exports/jobs/{job.id}/status", f"/exports/jobs/{job.id}/file"]
    try:
        for url in urls:
            response = client.get(url)
            assert response.status_code == 302 and "/login" in response.location
        for role in ROLES:
            login(client, users[role])
            assert [client.get(url).status_code for url in urls] == [200 if role == "ministry" else 404] * 3, role
            client.post("/logout")
    finally:
        _JOBS.pop(job.id, None)
