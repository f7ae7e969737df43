"""`flask programme load FILE`: load, reload keeping entered figures, refuse a bad file whole with its line."""
from decimal import Decimal

from sqlalchemy import func, select

from shelter_monitor.auth.models import Role
from shelter_monitor.extensions import db
from shelter_monitor.programmes.models import ActualValue, Programme
from shelter_monitor.programmes.service import SHIPPED_PROGRAMME, enter_value, programme_by_code, programme_plan

SHIPPED = SHIPPED_PROGRAMME.read_text(encoding="utf-8")


def _load(app, tmp_path, text: str, name: str = "programme.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return app.test_cli_runner().invoke(args=["programme", "load", str(path)])


def test_load_then_reload_replaces_the_plan_and_keeps_entered_figures(app, ctx, tmp_path, make):
    result = _load(app, tmp_path, SHIPPED)
    assert result.exit_code == 0, result.stderr
    assert "Loaded programme ua-thb-2012 (2013-2015)" in result.output
    row = programme_by_code("ua-thb-2012")
    enter_value(make.user(Role.MINISTRY), row, "indicator", "t8_assisted", 2013, None, "1078", "Annual report", "")
    db.session.commit()
    corrected = SHIPPED.replace("Persons provided with assistance", "Persons who received assistance")
    result = _load(app, tmp_path, corrected)
    assert result.exit_code == 0 and "Reloaded programme ua-thb-2012" in result.output
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Programme.id))) == 1
    _, indicator = programme_plan(programme_by_code("ua-thb-2012")).indicator("t8_assisted")
    assert indicator.title["en"] == "Persons who received assistance"
    assert db.session.scalar(select(ActualValue.value)) == Decimal(1078)


def test_a_malformed_file_is_refused_whole_with_its_line(app, ctx, tmp_path):
    assert _load(app, tmp_path, SHIPPED).exit_code == 0
    broken = SHIPPED.replace("Persons provided with assistance", "Changed title").replace(
        "plan: {2013: 914.119,", "plan: {2013: 914.1x9,")
    line = next(n for n, text in enumerate(broken.splitlines(), 1) if "914.1x9" in text)
    result = _load(app, tmp_path, broken, "broken.yaml")
    assert result.exit_code == 2
    assert "broken.yaml: not loaded, nothing changed." in result.stderr
    assert f"broken.yaml: line {line}: funding 'other' 2013: '914.1x9' is not a number" in result.stderr
    db.session.expire_all()
    _, indicator = programme_plan(programme_by_code("ua-thb-2012")).indicator("t8_assisted")
    assert indicator.title["en"] == "Persons provided with assistance"


def test_a_reload_that_would_drop_entered_figures_is_refused(app, ctx, tmp_path, make):
    assert _load(app, tmp_path, SHIPPED).exit_code == 0
    enter_value(make.user(Role.MINISTRY), programme_by_code("ua-thb-2012"), "indicator", "t5_prevention", 2014,
                None, "1", "Report", "")
    db.session.commit()
    start = SHIPPED.index("    indicators:\n      - code: t5_prevention")
    end = SHIPPED.index('  - number: "6"')
    result = _load(app, tmp_path, SHIPPED[:start] + SHIPPED[end:])
    assert result.exit_code == 2
    assert "indicator 't5_prevention' 2014 (1 entered)" in result.stderr
    db.session.expire_all()
    assert programme_plan(programme_by_code("ua-thb-2012")).indicator("t5_prevention") is not None


def test_a_file_that_is_not_utf8_is_refused(app, ctx, tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes("title: Програма".encode("cp1251"))
    result = app.test_cli_runner().invoke(args=["programme", "load", str(path)])
    assert result.exit_code == 2 and "not loaded" in result.stderr
