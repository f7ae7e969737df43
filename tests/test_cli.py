"""The command line: users create / list / deactivate, demo load, rules evaluate."""
import json

from sqlalchemy import func, select

from shelter_monitor.auth.models import User
from shelter_monitor.extensions import db
from shelter_monitor.regions.models import Region
from shelter_monitor.responses.models import RegionalForm, Response, ResponseState
from shelter_monitor.shelters.models import Shelter


def test_users_create_list_deactivate(app, ctx):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--email", "Olena@Example.org", "--name", "Olena",
                                 "--role", "regional", "--region", "UA-46", "--password", "long enough pw"])
    assert result.exit_code == 0, result.output
    assert "Created olena@example.org (regional)" in result.output
    listed = runner.invoke(args=["users", "list"]).output
    assert "olena@example.org\tregional\tUA-46\tactive" in listed
    assert runner.invoke(args=["users", "deactivate", "olena@example.org"]).exit_code == 0
    assert "inactive" in runner.invoke(args=["users", "list"]).output


def test_users_create_refuses_bad_input_clearly(app, ctx):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--email", "r@example.org", "--name", "R", "--role", "regional",
                                 "--password", "long enough pw"])
    assert result.exit_code != 0 and "regional user needs a region" in result.output
    result = runner.invoke(args=["users", "create", "--email", "r@example.org", "--name", "R", "--role", "monitor",
                                 "--password", "short"])
    assert result.exit_code != 0 and "at least 12 characters" in result.output
    result = runner.invoke(args=["users", "create", "--email", "r@example.org", "--name", "R", "--role", "monitor",
                                 "--password", "Password1234"])
    assert result.exit_code != 0 and "among the most common" in result.output
    result = runner.invoke(args=["users", "deactivate", "nobody@example.org"])
    assert result.exit_code != 0 and "no user" in result.output


def test_demo_load_fills_an_empty_database_once(app, ctx):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "coordinator@demo.shelter-monitor.org" in result.output
    shelters = db.session.scalar(select(func.count(Shelter.id)))
    regions = db.session.scalar(select(func.count(func.distinct(Shelter.region_id))))
    types = set(db.session.scalars(select(Shelter.institution_type)))
    iso_codes = set(db.session.scalars(select(Region.iso_code).join(Shelter, Shelter.region_id == Region.id)))
    assert 55 <= shelters <= 65 and regions >= 12 and len(types) == 13
    assert {"UA-30", "UA-46", "UA-12", "UA-51", "UA-63"} <= iso_codes
    states = dict(db.session.execute(select(Response.state, func.count()).group_by(Response.state)).all())
    assert states[ResponseState.SUBMITTED] > 30 and states[ResponseState.APPROVED] > 5
    assert db.session.scalar(select(func.count(RegionalForm.id))) >= regions - 3
    assert {u.role for u in db.session.scalars(select(User))} == {
        "admin", "coordinator", "monitor", "regional", "ministry", "shelter_staff"}

    before = db.session.scalar(select(func.count(Response.id)))
    again = runner.invoke(args=["demo", "load"])
    assert again.exit_code == 0 and "nothing loaded, nothing changed" in again.output
    assert db.session.scalar(select(func.count(Response.id))) == before


def test_results_refresh_recomputes_stored_results(app, ctx):
    from shelter_monitor.availability.models import LatestAnswers
    from shelter_monitor.dashboards.models import RoundIndicators

    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    db.session.execute(LatestAnswers.__table__.delete())
    db.session.execute(RoundIndicators.__table__.delete())
    db.session.commit()
    result = runner.invoke(args=["results", "refresh"])
    assert result.exit_code == 0 and "Refreshed 5 rounds" in result.output  # 2013-10 to 2015-10, 2019-10, 2020-10
    assert db.session.scalar(select(func.count()).select_from(LatestAnswers)) > 40
    assert db.session.scalar(select(func.count()).select_from(RoundIndicators)) == 5


def test_rules_evaluate_drops_hidden_answers(app, tmp_path):
    path = tmp_path / "answers.json"
    answers = {"B2": "UA-46", "B4": "cspa", "D11": 60, "D12": "no", "D4": "no", "C8": "no", "C8a": 3,
               "C8b": ["stay_limit", "male", "father_with_child", "foreigner"]}
    path.write_text(json.dumps({"responses": [{"id": "a", "answers": answers}]}))
    result = app.test_cli_runner().invoke(args=["rules", "evaluate", str(path)])
    assert result.exit_code == 0, result.stderr
    found = [(f["code"], f["severity"]) for f in json.loads(result.stdout)["shelters"]["a"]]
    assert found == [("M1", "medium"), ("R5", "medium")]
