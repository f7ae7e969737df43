"""The plain-Python modules import without Flask: each is imported alone in a fresh interpreter."""
import json
import subprocess
import sys

import pytest

PURE_MODULES = (
    "shelter_monitor",
    "shelter_monitor.rules.engine",
    "shelter_monitor.rules.cli_io",
    "shelter_monitor.exports",
    "shelter_monitor.programmes.plan",
    "shelter_monitor.dashboards.indicators",
    "shelter_monitor.questionnaire.answers",
    "shelter_monitor.questionnaire.xpath",
    "shelter_monitor.questionnaire.xlsform",
    "shelter_monitor.exports.submissions",
    "shelter_monitor.formatting",
    "shelter_monitor.i18n",
    "shelter_monitor.collation",
    "shelter_monitor.availability.matching",
    "shelter_monitor.directory.hsds",
)

PROBE = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0].startswith("flask"))))
"""


@pytest.mark.parametrize("module", PURE_MODULES)
def test_importing_loads_no_flask(module):
    result = subprocess.run([sys.executable, "-c", PROBE, module], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == []


def test_the_package_still_gives_the_app_factory():
    probe = "import shelter_monitor; print(shelter_monitor.create_app.__module__)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "shelter_monitor.app"
