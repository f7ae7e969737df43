"""The SPSS and Stata files, read back with pyreadstat: the same rows and columns as the workbook, valid names,
variable labels (question text) and value labels (choices) in the export's language, 0/1 choice variables,
numbers, dates and date-times as such."""
import datetime as dt
import io
import re

import pyreadstat
import pytest

from shelter_monitor.exports.columns import cell_value
from shelter_monitor.exports.data import ResponseRow
from shelter_monitor.exports.stats import stats_columns, variable_names, write_dta, write_sav
from shelter_monitor.exports.tables import table_columns
from shelter_monitor.questionnaire.model import localize
from tests.exports.test_tables import VERSION, demo_responses, make_export

READERS = {"sav": (write_sav, pyreadstat.read_sav), "dta": (write_dta, pyreadstat.read_dta)}


@pytest.fixture(scope="module")
def export():
    responses = demo_responses()[:40]
    first = responses[0]
    responses[0] = ResponseRow(first.response_id, first.shelter_id, first.shelter_name, first.region, first.state,
                               VERSION, first.answers, round="2020-10", submitted_at=dt.datetime(2020, 10, 13, 9, 30),
                               submitted_by="Monitor One")
    return make_export(responses, language="uk")


def read_back(export, kind: str, tmp_path, **options):
    write, read = READERS[kind]
    path = tmp_path / f"export.{kind}"
    write(export, path, **options)
    return read(str(path))


def test_names_are_valid_and_unique():
    names = variable_names(["C8b.male", "1abc", "in", "x" * 40, "x" * 40, "E1.psych", "Ж1"])
    assert names[0] == "C8b_male" and names[1] == "v1abc" and names[5] == "E1_psych"
    assert len(set(name.lower() for name in names)) == len(names)
    for name in names:
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,31}", name), name
        assert name.lower() not in ("in",)


@pytest.mark.parametrize("kind", ["sav", "dta"])
def test_same_rows_and_columns_as_the_workbook_with_labels(export, kind, tmp_path):
    frame, meta = read_back(export, kind, tmp_path)
    definition = export.definitions[VERSION]
    columns = table_columns(export, "split")
    assert len(frame) == len(export.responses)
    assert list(frame.columns) == variable_names([c.key for c in columns])
    for name in frame.columns:
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,31}", name), name
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    c1_label = localize(definition.question("C1").label, "uk")
    assert labels["C1"] == c1_label if kind == "sav" else c1_label.startswith(labels["C1"])
    value_labels = meta.variable_value_labels
    b4 = definition.question("B4")
    assert value_labels["B4"] == {number: localize(choice.label, "uk") for number, choice in enumerate(b4.choices, 1)}
    assert value_labels["C8b_male"] == {0: "не обрано", 1: "обрано"}
    assert value_labels["A5"] == {0: "ні", 1: "так"}
    assert value_labels["C8"] == {1: "так", 2: "ні", 3: "невідомо"}

    first = export.responses[0]
    row = frame.iloc[0]
    codes = {choice.value: number for number, choice in enumerate(b4.choices, 1)}
    assert row["B4"] == codes[first.answers["B4"]]
    assert row["C1"] == first.answers["C1"]
    assert row["A5"] == int(first.answers["A5"])
    male = next(c for c in columns if c.key == "C8b.male")
    expected = cell_value(male, first.answers)
    assert (row["C8b_male"] == expected) if expected is not None else row["C8b_male"] != row["C8b_male"]
    assert row["I1_state"] == first.answers["I1"].get("state", 0)
    assert row["A2"] == dt.date.fromisoformat(first.answers["A2"])
    assert row["submitted_at"] == dt.datetime(2020, 10, 13, 9, 30)
    assert row["round"] == "2020-10" and row["submitted_by"] == "Monitor One"
    assert value_labels["state"][row["state"]] == "подано"


@pytest.mark.parametrize("kind", ["sav", "dta"])
def test_free_text_only_when_asked(export, kind, tmp_path):
    frame, _meta = read_back(export, kind, tmp_path)
    assert "B1" not in frame.columns
    frame, _meta = read_back(export, kind, tmp_path, include_text=True)
    assert frame.iloc[0]["B1"] == export.responses[0].answers["B1"]


def test_writes_to_a_stream(export):
    stream = io.BytesIO()
    write_sav(export, stream)
    assert stream.getvalue()[:4] == b"$FL2"
    columns, variables = stats_columns(export)
    assert len(columns) == len(variables)
