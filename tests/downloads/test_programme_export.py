"""An export of a round carries the programme the round reports on (plan against actual), in a fixed number of
queries, and its wording for the builders."""
import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from pptx import Presentation

from shelter_monitor.auth.models import Role
from shelter_monitor.downloads.service import build_file, gather_export
from shelter_monitor.extensions import db
from shelter_monitor.programmes.service import SHIPPED_PROGRAMME, enter_value, load_programme
from shelter_monitor.regions.service import region_by_iso
from tests.conftest import recorded_statements


def _gather(app, round_, region=None, language="en"):
    with app.test_request_context():
        return gather_export(round_, region, language)


@pytest.fixture
def programme(make):
    row, _ = load_programme(SHIPPED_PROGRAMME.read_text(encoding="utf-8"), SHIPPED_PROGRAMME.name)
    db.session.commit()
    return row


def test_the_export_of_a_round_holds_the_programme_with_entered_and_measured_values(app, make, programme):
    coordinator = make.user(Role.COORDINATOR)
    earlier = make.round("2014-03", dt.date(2014, 3, 1), dt.date(2014, 3, 31), is_open=False)
    round_ = make.round("2014-10", dt.date(2014, 10, 1), dt.date(2014, 10, 31), is_open=False)
    enter_value(coordinator, programme, "indicator", "t8_assisted", 2014, None, "1078", "MSP report 2014", "")
    enter_value(coordinator, programme, "funding", "local", 2013, None, "473.479", "Ministry of Finance", "")
    db.session.commit()

    data = _gather(app, round_)

    overview = data.programme
    assert overview is not None and overview.programme.code == "ua-thb-2012" and overview.region is None
    assisted = overview.row("indicator", "t8_assisted").cell(2014)
    assert assisted.target == 1242 and assisted.entered.value == 1078 and assisted.entered.source == "MSP report 2014"
    assert str(overview.row("funding", "local").cell(2013).entered.value.normalize()) == "473.479"
    rounds = overview.row("indicator", "t2_monitoring_reports").cell(2014).measured
    assert rounds.value == 2 and set(rounds.rounds) == {earlier.code, round_.code}

    sheet = load_workbook(io.BytesIO(build_file("xlsx", data)))["Programme"]
    rows = {(row[2], *row[6:10]) for row in sheet.iter_rows(values_only=True)}
    assert ("t8_assisted", 2014, None, 1242, 1078) in rows  # code, year, total marker, target, official value
    deck = Presentation(io.BytesIO(build_file("deck", data)))
    assert "Programme: plan against actual" in [slide.shapes.title.text for slide in deck.slides]


def test_a_regional_export_holds_the_regions_view_of_the_programme(app, make, programme):
    round_ = make.round("2015-10", dt.date(2015, 10, 1), dt.date(2015, 10, 31))
    data = _gather(app, round_, region_by_iso("UA-46"))
    assert data.programme is not None and data.programme.region == "UA-46"
    assert data.programme.row("indicator", "t2_monitoring_reports").measure is None  # a national measure only


def test_without_a_programme_the_export_has_none(app, make):
    assert _gather(app, make.round()).programme is None


def test_the_programme_needs_no_more_queries_for_more_entered_values(app, make, programme):
    coordinator = make.user(Role.COORDINATOR)
    round_ = make.round("2014-10", dt.date(2014, 10, 1), dt.date(2014, 10, 31))

    def count_queries() -> int:
        with recorded_statements() as statements:
            data = _gather(app, round_)
        assert data.programme is not None
        return len(statements)

    counts = []
    for codes in (["t8_assisted"], ["t1_activities", "t4_trained", "t5_prevention", "t8_assisted"]):
        for code in codes:
            for year in (2013, 2014, 2015):
                enter_value(coordinator, programme, "indicator", code, year, None, "5", "Report", "")
                enter_value(coordinator, programme, "indicator", code, year, region_by_iso("UA-46"), "1", "Report", "")
        db.session.commit()
        counts.append(count_queries())
    assert counts[0] == counts[1]
