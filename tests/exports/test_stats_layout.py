"""The SPSS and Stata files follow the table's layout options, and hold dates as dates however many rows come
before the first one (pyreadstat takes a column of date objects whose first hundred are blank for text)."""
import datetime as dt

import pyreadstat
import pytest

from shelter_monitor.exports.data import ResponseRow
from shelter_monitor.exports.stats import write_dta, write_sav
from shelter_monitor.exports.tables import TableOptions
from tests.exports.test_tables import demo_responses, make_export

READERS = {"sav": (write_sav, pyreadstat.read_sav), "dta": (write_dta, pyreadstat.read_dta)}


def _with_answers(response: ResponseRow, **answers) -> ResponseRow:
    return ResponseRow(response.response_id, response.shelter_id, response.shelter_name, response.region,
                       response.state, response.questionnaire_version, {**response.answers, **answers},
                       round=response.round)


@pytest.mark.parametrize("kind", ["sav", "dta"])
def test_a_date_first_given_after_a_hundred_blank_rows_is_a_date(kind, tmp_path):
    responses = demo_responses(150)
    blank = [_with_answers(r, K1a_from=None) for r in responses[:149]]
    export = make_export([*blank, _with_answers(responses[149], K1a_from="2020-03-29")])
    write, read = READERS[kind]
    write(export, tmp_path / f"export.{kind}")
    frame, meta = read(str(tmp_path / f"export.{kind}"))
    assert frame["K1a_from"].iloc[-1] == dt.date(2020, 3, 29)
    assert frame["K1a_from"].iloc[:149].isna().all()
    assert frame["A2"].iloc[0] == dt.date.fromisoformat(responses[0].answers["A2"])
    assert meta.original_variable_types["K1a_from"] == ("DATE11" if kind == "sav" else "%td")


@pytest.mark.parametrize("kind", ["sav", "dta"])
def test_joined_choices_are_one_text_variable_of_codes_or_labels(kind, tmp_path):
    export = make_export(demo_responses(5), language="uk")
    d10 = export.definitions["2020.1"].question("D10")
    write, read = READERS[kind]
    for values in ("codes", "labels"):
        path = tmp_path / f"{values}.{kind}"
        write(export, path, options=TableOptions(multi="joined", values=values))
        frame, meta = read(str(path))
        assert "D10_active_tb" not in frame.columns and "D10" not in meta.variable_value_labels
        for response, cell in zip(export.responses, frame["D10"], strict=True):
            chosen = response.answers.get("D10") or []
            expected = ";".join(chosen) if values == "codes" else "; ".join(d10.choice(v).label["uk"] for v in chosen)
            assert cell == expected


def test_spss_levels_of_measurement(tmp_path):
    export = make_export(demo_responses(3))
    write_sav(export, tmp_path / "export.sav")
    _frame, meta = pyreadstat.read_sav(str(tmp_path / "export.sav"))
    measures = meta.variable_measure
    assert measures["C1"] == "scale" and measures["A2"] == "scale"
    assert measures["B4"] == measures["C8b_male"] == measures["response_id"] == measures["region"] == "nominal"
