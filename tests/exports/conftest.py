"""The fixtures the table and import tests share: the default definition and an export of demo responses."""
import pytest

from shelter_monitor.exports.data import ExportData
from shelter_monitor.questionnaire.loader import load_definition
from shelter_monitor.questionnaire.model import Definition
from tests.exports.test_tables import VERSION, demo_responses, make_export


@pytest.fixture(scope="module")
def definition() -> Definition:
    return load_definition(VERSION)


@pytest.fixture(scope="module")
def data() -> ExportData:
    return make_export(demo_responses())
