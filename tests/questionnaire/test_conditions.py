"""One table of cases through the Python evaluator and the browser's (static/js/conditions.js, run by Node)."""
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from shelter_monitor.questionnaire.conditions import evaluate
from shelter_monitor.web import ROOT

CASES = json.loads((Path(__file__).parent / "condition_cases.json").read_text(encoding="utf-8"))
JS_EVALUATOR = ROOT / "static" / "js" / "conditions.js"
NODE_SCRIPT = """
const {evaluate} = require(process.argv[1]);
const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(cases.map(c => evaluate(c.condition, c.answers, c.context || {}))));
"""


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_python_evaluator(case):
    assert evaluate(case["condition"], case["answers"], case.get("context", {})) == case["expected"]


def test_browser_evaluator_agrees_on_every_case():
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("Node.js is needed to run the browser evaluator's cases")
        pytest.skip("Node.js not installed")
    result = subprocess.run([node, "-e", NODE_SCRIPT, str(JS_EVALUATOR)], input=json.dumps(CASES),
                            capture_output=True, text=True, check=True, timeout=30)
    got = json.loads(result.stdout)
    wrong = [(c["name"], c["expected"], g) for c, g in zip(CASES, got, strict=True) if g != c["expected"]]
    assert wrong == []
