"""The programme file: the shipped 2012 programme holds every figure of spec/programme.md; bad files are refused."""
from decimal import Decimal

import pytest

from shelter_monitor.programmes.plan import ProgrammeFileError, from_document, parse_programme, to_document
from shelter_monitor.programmes.service import SHIPPED_PROGRAMME

SHIPPED = SHIPPED_PROGRAMME.read_text(encoding="utf-8")
D = Decimal

# spec/programme.md, funding plan (Annex 1), thousand UAH: source -> (total, 2013, 2014, 2015)
FUNDING = {
    "state": ("2996.616", "1003.505", "845.427", "1147.684"),
    "local": ("1514.833", "473.479", "504.476", "536.878"),
    "other": ("2881.735", "914.119", "959.817", "1007.799"),
    "state_msp": ("2102.735", "719.958", "547.703", "835.074"),
    "state_moi": ("893.881", "283.547", "297.724", "312.610"),
}
TOTAL = ("7393.184", "2391.103", "2309.720", "2692.361")
# spec/programme.md, tasks and Annex 3 indicators: task -> (indicator code, unit, total, 2013, 2014, 2015)
INDICATORS = {
    "1": ("t1_activities", "items", 15, 5, 5, 5),
    "2": ("t2_monitoring_reports", "reports", 3, 1, 1, 1),
    "3": ("t3_system_activities", "items", 22, 7, 8, 7),
    "4": ("t4_trained", "persons", 414, 138, 138, 138),
    "5": ("t5_prevention", "items", 5, 2, 1, 2),
    "8": ("t8_assisted", "persons", 3726, 1242, 1242, 1242),
}
# Annex 2 sub-indicators named in spec/programme.md: code -> per year
SUB_INDICATORS = {"t1_council_meetings": 4, "t1_annual_reports": 1, "t3_regional_checks": 4,
                  "t4_trained_civil_servants": 108, "t4_trained_other": 30}


@pytest.fixture(scope="module")
def shipped():
    return parse_programme(SHIPPED)


def test_shipped_programme_is_national_for_2013_to_2015(shipped):
    assert shipped.code == "ua-thb-2012" and shipped.region is None
    assert shipped.years == (2013, 2014, 2015)
    assert [t.number for t in shipped.tasks] == ["1", "2", "3", "4", "5", "6", "7", "8"]
    assert {language for task in shipped.tasks for language in task.title} == {"en", "uk"}


def test_shipped_funding_plan_has_every_figure_of_annex_1(shipped):
    lines = {line.code: line for line in shipped.funding_lines()}
    for code, (total, *years) in FUNDING.items():
        assert lines[code].total == D(total), code
        assert [lines[code].plan[y] for y in shipped.years] == [D(v) for v in years], code
    assert shipped.funding_total.total == D(TOTAL[0])
    assert [shipped.funding_total.plan[y] for y in shipped.years] == [D(v) for v in TOTAL[1:]]


def test_shipped_funding_adds_up_by_source_and_year(shipped):
    for year in shipped.years:
        assert sum(source.plan[year] for source in shipped.funding) == shipped.funding_total.plan[year]
        state = next(s for s in shipped.funding if s.code == "state")
        assert sum(part.plan[year] for part in state.parts) == state.plan[year]
    for line in [*shipped.funding_lines(), shipped.funding_total]:
        assert sum(line.plan.values()) == line.total, line.code
    assert sum(source.total for source in shipped.funding) == shipped.funding_total.total


def test_shipped_indicators_have_every_target_of_annex_3(shipped):
    tasks = {task.number: task for task in shipped.tasks}
    for number, (code, unit, total, *years) in INDICATORS.items():
        indicator = next(i for i in tasks[number].indicators if i.code == code)
        assert indicator.unit["en"] == unit and indicator.total == total, code
        assert [indicator.targets[y] for y in shipped.years] == years, code
    assert tasks["6"].indicators == () and tasks["7"].indicators == ()
    for code, per_year in SUB_INDICATORS.items():
        _, indicator = shipped.indicator(code)
        assert set(indicator.targets.values()) == {per_year} and indicator.total == 3 * per_year


def test_shipped_measures_sit_beside_the_targets_they_approach(shipped):
    measures = {i.code: i.measure for _, i in shipped.indicators() if i.measure}
    assert measures == {"t2_monitoring_reports": "rounds_held", "t3_regional_programmes": "regions_with_programme",
                        "t4_trained": "staff_trained", "t8_assisted": "persons_accommodated"}
    assert next(s for s in shipped.funding if s.code == "local").measure == "local_disbursed"


def test_document_round_trip_keeps_every_figure_exact(shipped):
    assert from_document(to_document(shipped)) == shipped
    assert to_document(shipped)["funding"][0]["parts"][1]["plan"]["2015"] == "312.610"


def test_the_source_of_a_target_has_a_text_per_language_or_one_for_both(shipped):
    t8 = next(i for task in shipped.tasks for i in task.indicators if i.code == "t8_assisted")
    assert t8.source == {"en": "Annex 3", "uk": "Додаток 3"}
    one_text = parse_programme(SHIPPED.replace("source: {en: Annex 3, uk: Додаток 3}", "source: MSP-2012/3", 1))
    first = next(i for task in one_text.tasks for i in task.indicators if i.source)
    assert first.source == {"en": "MSP-2012/3", "uk": "MSP-2012/3"}
    stored = to_document(shipped)
    stored["tasks"][0]["indicators"][0]["source"] = "Annex 3"  # as documents were stored before
    assert from_document(stored).tasks[0].indicators[0].source == {"en": "Annex 3", "uk": "Annex 3"}


def _problems(text: str) -> list[str]:
    with pytest.raises(ProgrammeFileError) as caught:
        parse_programme(text)
    return [str(p) for p in caught.value.problems]


def _line_of(text: str, fragment: str) -> int:
    """The line of the fragment's last occurrence (where a replacement duplicates a line, the later one)."""
    return [n for n, line in enumerate(text.splitlines(), 1) if fragment in line][-1]


@pytest.mark.parametrize(("find", "replace", "expected"), [
    ("total: 1514.833", "total: 1514.8", "funding 'local': total 1514.8 is not the sum of the years (1514.833)"),
    ("{2013: 5, 2014: 5, 2015: 5}\n        total: 15", "{2013: 5, 2014: five, 2015: 5}\n        total: 15",
     "'five' is not a number"),
    ("plan: {2013: 283.547,", "plan: {2013: 283.5,", "funding 'state' 2013: its parts add up to 1003.458"),
    ("plan: {2013: 2391.103,", "plan: {2013: 2391.1,", "funding total 2013: the sources add up to 2391.103"),
    ("measure: rounds_held", "measure: shelters_visited", "unknown measure 'shelters_visited'"),
    ("        targets: {2013: 138,", "        targets: {2012: 138,", "2012 is not one of the programme's years"),
    ("        unit: {en: items, uk: од.}\n        targets: {2013: 2",
     "        units: {en: items}\n        targets: {2013: 2", "unknown key 'units'"),
    ("      - code: t1_council_meetings", "      - code: t1_activities", "'t1_activities' is used twice"),
    ("region: national", "region: UA-99", "'UA-99' is not an ISO 3166-2 code"),
    ("targets: {2013: 1242,", "targets: {2013: -1242,", "'-1242' must be a number of 0 or more"),
])
def test_a_file_with_an_error_is_refused_with_its_line(find, replace, expected):
    assert find in SHIPPED, find
    broken = SHIPPED.replace(find, replace, 1)
    problems = _problems(broken)
    line = _line_of(broken, replace.splitlines()[0].strip())
    assert any(p.startswith("line ") and expected in p for p in problems), problems
    assert any(abs(int(p.split(":")[0].removeprefix("line ")) - line) <= 1 for p in problems), (line, problems)


def test_every_problem_of_a_file_is_listed_in_line_order():
    broken = SHIPPED.replace("total: 15\n", "total: 16\n", 1).replace("targets: {2013: 1242,", "targets: {2013: x,")
    problems = _problems(broken)
    assert len(problems) == 2
    assert problems[0].startswith(f"line {_line_of(broken, 'total: 16')}:")
    assert problems[1].startswith(f"line {_line_of(broken, 'targets: {2013: x,')}:")


def test_yaml_syntax_errors_name_their_line():
    broken = SHIPPED.replace("years: [2013, 2014, 2015]", "years: [2013, 2014, 2015", 1)
    assert _problems(broken)[0].startswith("line ") and "not valid YAML" in _problems(broken)[0]


def test_missing_parts_and_empty_file_are_refused():
    assert "'tasks' is missing" in " ".join(_problems("format: shelter-monitor-programme/1\ncode: x\n"))
    assert _problems("") == ["line 1: the file is empty"]


def test_unreadable_values_stay_empty_and_totals_are_not_guessed():
    text = SHIPPED.replace("targets: {2013: 7, 2014: 8, 2015: 7}", "targets: {2013: 7, 2014: , 2015: 7}")
    programme = parse_programme(text)
    _, indicator = programme.indicator("t3_system_activities")
    assert indicator.targets[2014] is None and indicator.total == 22


def test_a_regional_programme_with_regional_targets_loads():
    regional = "        regional_targets:\n          UA-46: {2013: 60, 2014: 62}\n"
    text = SHIPPED.replace("region: national", "region: UA-46").replace("        total: 3726\n",
                                                                        "        total: 3726\n" + regional)
    programme = parse_programme(text)
    assert programme.region == "UA-46"
    _, indicator = programme.indicator("t8_assisted")
    assert indicator.regional_targets == {"UA-46": {2013: 60, 2014: 62, 2015: None}}
