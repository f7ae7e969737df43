"""The export job page: a heading and text for each state, which file and scope, the download link once ready, a
link back to the exports, and a refresh that works without JavaScript while the job is pending."""
import re
import uuid

import pytest

from shelter_monitor.auth.models import Role
from shelter_monitor.downloads.jobs import _JOBS, ExportJob

HEADINGS = {"queued": "Your export is waiting to start", "running": "Your export is being prepared",
            "done": "Your export is ready", "failed": "Your export failed"}


def _shown_heading(page: str) -> str:
    shown = re.findall(r'<div data-state="(\w+)"(?: role="alert")?>\s*<h1>([^<]*)</h1>', page)
    assert len(shown) == 1, shown  # every other state's part is hidden
    return shown[0][1]


@pytest.fixture
def job_of(client, login_as, make):
    """job_of(status, **scope) -> the page of a job of the logged-in coordinator in that state."""
    user = login_as(Role.COORDINATOR)
    round_ = make.round()

    def _page(status: str, **scope) -> str:
        values = {"kind": "xlsx", "round_id": round_.id, "region_iso": "UA-46", "language": "uk"} | scope
        job = ExportJob(id=uuid.uuid4().hex, user_id=user.id, status=status, **values)
        _JOBS[job.id] = job
        try:
            response = client.get(f"/exports/jobs/{job.id}")
            assert response.status_code == 200
            return response.get_data(as_text=True)
        finally:
            del _JOBS[job.id]
    _page.round = round_
    return _page


@pytest.mark.parametrize("status", list(HEADINGS))
def test_the_heading_matches_the_state(job_of, status):
    page = job_of(status)
    assert _shown_heading(page) == HEADINGS[status]
    pending = status in ("queued", "running")
    assert ('<noscript><meta http-equiv="refresh" content="5"></noscript>' in page) == pending
    done_part = page.split('data-state="done"')[1].split("</div>")[0]  # shown by the script once ready
    assert "Download the file" in done_part


def test_the_page_names_the_file_and_its_scope_and_links_back(job_of):
    page = job_of("done")
    for text in ("Data (XLSX)", "Round 2020-10", "Lviv Oblast", "Українська"):
        assert text in page, text
    assert re.search(r'<div data-state="done">.*?href="/exports/jobs/\w+/file"', page, re.S)
    assert f'href="/rounds/{job_of.round.id}/exports"' in page and "Back to the exports of Round 2020-10" in page
    national = job_of("running", region_iso=None, language="en", kind="pdf", all_rounds=True)
    for text in ("Report (PDF)", "National", "English", "Every round"):
        assert text in national, text
