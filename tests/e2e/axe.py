"""axe-core (npm, installed into tests/e2e/node_modules by .ci/run with npm ci) run in a Playwright page."""
import os
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


def axe_violations(page) -> list[str]:
    """The page's axe violations of serious or critical impact, one line per rule and element."""
    if not AXE.exists():
        message = f"axe-core not installed at {AXE}: npm ci --prefix tests/e2e"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluate, not a script tag: the app's CSP forbids inline
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{page.url} {v['id']} ({v['impact']}): {node['target']}"
            for v in result["violations"] if v["impact"] in BLOCKING for node in v["nodes"]]
