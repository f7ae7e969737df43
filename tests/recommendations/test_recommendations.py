"""Stored findings and recommendations follow the workflow; pages, follow-up and the CLI."""
import datetime as dt
import json

import pytest
from sqlalchemy import select

from shelter_monitor.auth.models import Role
from shelter_monitor.extensions import db
from shelter_monitor.recommendations.models import (
    Finding,
    FollowUp,
    NationalRecommendation,
    RegionalRecommendation,
)
from shelter_monitor.regions.service import region_by_iso
from shelter_monitor.responses.service import (
    approve_responses,
    regional_form_for,
    return_response,
    save_regional_form,
    start_response,
    submit_response,
)
from tests.conftest import login
from tests.responses.helpers import complete_answers


def _submitted(make, monitor, round_, region="UA-65", **changes):
    shelter = make.shelter(region=region, monitors=[monitor], institution_type="cspa", ownership="oblast")
    response = start_response(shelter, round_, monitor)
    response.answers = {**complete_answers(shelter), **changes}
    assert submit_response(response, monitor).ok
    db.session.commit()
    return response


@pytest.fixture
def people(make):
    return {"monitor": make.user(Role.MONITOR), "coordinator": make.user(Role.COORDINATOR),
            "kherson": make.user(Role.REGIONAL, region="UA-65"), "lviv": make.user(Role.REGIONAL, region="UA-46"),
            "ministry": make.user(Role.MINISTRY)}


M1_ANSWERS = {"D11": 90, "D12": "no", "D13": "yes", "D13a": 2}


def test_submitting_stores_findings_and_returning_withdraws_them(make, people):
    round_ = make.round()
    response = _submitted(make, people["monitor"], round_, **M1_ANSWERS)
    finding = db.session.scalar(select(Finding).where(Finding.response_id == response.id, Finding.code == "M1"))
    assert finding.severity == "high" and finding.evidence["D11"] == 90 and finding.evidence["B4"] == "cspa"
    national = db.session.scalar(select(NationalRecommendation).where(NationalRecommendation.code == "M1"))
    assert national.region_codes == ["UA-65"] and national.shelter_ids == [response.shelter_id]

    return_response(response, "check D11", {}, people["coordinator"])
    db.session.commit()
    assert db.session.scalar(select(Finding).where(Finding.response_id == response.id)) is None
    assert db.session.scalar(select(NationalRecommendation).where(NationalRecommendation.code == "M1")) is None

    assert submit_response(response, people["monitor"]).ok
    approve_responses([response], people["coordinator"])
    db.session.commit()
    assert db.session.scalar(select(Finding).where(Finding.code == "M1")).severity == "high"


def test_regional_form_decides_r7_and_its_absence_is_no_data(make, people):
    round_ = make.round()
    _submitted(make, people["monitor"], round_)
    r7 = select(RegionalRecommendation).where(RegionalRecommendation.code == "R7")
    assert db.session.scalar(r7).status == "no_data"
    form = regional_form_for(region_by_iso("UA-65"), round_)
    save_regional_form(form, {"I4": "yes", "I4a_allocated": 100000, "I4a_disbursed": 20000}, 0, people["kherson"])
    db.session.commit()
    row = db.session.scalar(r7)
    assert (row.status, row.severity, row.reasons) == ("issued", "medium", ["funds_under_half_disbursed"])
    save_regional_form(form, {"I4": "yes", "I4a_allocated": 100000, "I4a_disbursed": 50000}, 1, people["kherson"])
    db.session.commit()
    assert db.session.scalar(r7) is None


def test_regional_view_is_limited_to_the_users_region(client, make, people):
    round_ = make.round()
    _submitted(make, people["monitor"], round_, **M1_ANSWERS)
    login(client, people["kherson"])
    assert client.get(f"/rounds/{round_.id}/recommendations").location.endswith(
        f"/rounds/{round_.id}/recommendations/UA-65")
    page = client.get(f"/rounds/{round_.id}/recommendations/UA-65").get_data(as_text=True)
    assert "Keep access of victims of trafficking to shelters" in page and "No data" in page
    assert client.get(f"/rounds/{round_.id}/recommendations/UA-46").status_code == 403
    client.post("/logout")
    login(client, people["monitor"])
    assert client.get(f"/rounds/{round_.id}/recommendations/UA-65").status_code == 403
    assert client.get(f"/rounds/{round_.id}/recommendations").status_code == 403


def test_ministry_view_lists_m_codes_and_the_national_table(client, make, people):
    round_ = make.round()
    response = _submitted(make, people["monitor"], round_, **M1_ANSWERS)
    login(client, people["ministry"])
    page = client.get(f"/rounds/{round_.id}/recommendations").get_data(as_text=True)
    assert "Work out extending the period of stay" in page and "Kherson Oblast" in page
    assert f"/shelters/{response.shelter_id}#findings-{round_.id}" in page


def test_follow_up_by_the_addressee_only_with_history(client, make, people):
    round_ = make.round()
    _submitted(make, people["monitor"], round_, **M1_ANSWERS, D4="no")
    url = f"/rounds/{round_.id}/recommendations/R5/follow-up"
    for who in ("lviv", "monitor", "ministry", "coordinator"):
        login(client, people[who])
        assert client.post(url, data={"region": "UA-65", "status": "accepted"}).status_code == 403, who
        client.post("/logout")
    login(client, people["kherson"])
    client.post(url, data={"region": "UA-65", "status": "accepted", "comment": "Budget request sent"})
    client.post(url, data={"region": "UA-65", "status": "in_progress", "comment": "Room being prepared"})
    history = db.session.scalars(select(FollowUp).order_by(FollowUp.id)).all()
    assert [(f.status, f.comment) for f in history] == [("accepted", "Budget request sent"),
                                                       ("in_progress", "Room being prepared")]
    page = client.get(f"/rounds/{round_.id}/recommendations/UA-65").get_data(as_text=True)
    assert "Room being prepared" in page and "Budget request sent" in page
    assert client.post(f"/rounds/{round_.id}/recommendations/M1/follow-up",
                       data={"status": "done"}).status_code == 403
    client.post("/logout")
    login(client, people["ministry"])
    assert client.post(f"/rounds/{round_.id}/recommendations/M1/follow-up",
                       data={"status": "done"}).status_code == 302


def test_next_round_shows_the_previous_status_and_whether_still_found(client, make, people):
    earlier = make.round("2019-10", dt.date(2019, 10, 1), dt.date(2019, 10, 31), covid_section=False)
    shelter = make.shelter(region="UA-65", monitors=[people["monitor"]], institution_type="cspa", ownership="oblast")
    old = start_response(shelter, earlier, people["monitor"])
    old.answers = {**complete_answers(shelter, "2019-10", covid=False), "D4": "no"}
    submit_response(old, people["monitor"])
    db.session.commit()
    login(client, people["kherson"])
    client.post(f"/rounds/{earlier.id}/recommendations/R5/follow-up", data={"region": "UA-65", "status": "done"})
    later = make.round()
    _submitted(make, people["monitor"], later, D4="no")
    page = client.get(f"/rounds/{later.id}/recommendations/UA-65").get_data(as_text=True)
    assert "Round 2019-10:" in page and "Done" in page and "the problem is still found in this round" in page


def test_shelter_page_shows_findings_with_labelled_evidence(client, make, people):
    round_ = make.round()
    response = _submitted(make, people["monitor"], round_, **M1_ANSWERS)
    login(client, people["ministry"])
    page = client.get(f"/shelters/{response.shelter_id}").get_data(as_text=True)
    assert "Maximum stay under the institution" in page and "Work out extending the period of stay" in page


def test_cli_evaluates_a_file(app, tmp_path):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({
        "responses": [{"id": "a", "answers": {"B2": "UA-46", "B4": "cspa", "D11": 60, "D12": "no", "D4": "no"}},
                      {"id": "b", "answers": {"B2": "UA-46", "B4": "ngo_tip", "D4": "yes"}}],
        "regional": {"UA-46": {"I4": "yes", "I4a_allocated": 100000, "I4a_disbursed": 20000}}}))
    result = app.test_cli_runner().invoke(args=["rules", "evaluate", str(path)])
    assert result.exit_code == 0, result.stderr
    output = json.loads(result.stdout)
    assert [f["code"] for f in output["shelters"]["a"]] == ["M1", "R5"]
    assert output["shelters"]["b"] == []
    assert {"code": "R7", "severity": "medium", "shelters": []} in output["regions"]["UA-46"]
    assert output["national"][0]["code"] == "M1" and output["national"][0]["shelters"] == ["a"]


@pytest.mark.parametrize("content, message", [
    ("{not json", "JSON"),
    ('{"responses": [{"id": "a", "answers": {"B2": "UA-46", "Z9": 1}}]}', "Z9"),
    ('{"responses": [{"id": "a", "answers": {"B2": "UA-46", "C1": "ten"}}]}', "C1"),
])
def test_cli_refuses_bad_files_with_status_2(app, tmp_path, content, message):
    path = tmp_path / "answers.json"
    path.write_text(content)
    result = app.test_cli_runner().invoke(args=["rules", "evaluate", str(path)])
    assert result.exit_code == 2 and message in result.stderr and result.stdout == ""


def test_demo_issues_every_category_somewhere(app, ctx):
    assert app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    national = set(db.session.scalars(select(NationalRecommendation.code)))
    regional = set(db.session.scalars(select(RegionalRecommendation.code).where(
        RegionalRecommendation.status == "issued")))
    assert national == {"M1", "M2", "M3"}
    assert regional == {"R1", "R2", "R3", "R4", "R5", "R6", "R7"}
    severities = set(db.session.execute(select(Finding.code, Finding.severity)).all())
    assert {(code, level) for code in ("M1", "M2", "M3", "R1", "R2", "R3", "R4", "R5", "R6")
            for level in ("medium", "high")} <= severities
