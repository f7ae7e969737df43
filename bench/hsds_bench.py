"""The HSDS directory at scale: /api/hsds/services (a page of 50) at 2,000 shelters (SQLite in a temporary file).

Every third shelter has two availability updates (bench.api_bench.add_shelters) and every second an approved
response with the answers the directory reads. Prints p50 of the page next to a bare API route (same token, same
throttling hooks, one query), and the number of SQL statements of the page at 50 and at 2,000 shelters (they must be
equal: answers and free places are loaded for the page in bulk, never per shelter).

Run: python -m bench.hsds_bench
"""
import datetime as dt
import tempfile

import flask_migrate
from sqlalchemy import insert

from bench.api_bench import add_shelters, bench_app, report
from shelter_monitor.api.tokens import create_token
from shelter_monitor.auth.models import Role
from shelter_monitor.auth.service import create_user
from shelter_monitor.extensions import db
from shelter_monitor.responses.models import Response, ResponseState
from shelter_monitor.rounds.models import Round

PAGE = "/api/hsds/services?per_page=50&page=7"
ANSWERS = {"A2": "2020-10-12", "B6": "legal_entity", "C1": 30, "C3": 21,
           "D1": ["adult_women", "adult_men", "mothers_children"], "D2": 6, "D3": 17, "D5": ["passport", "referral"],
           "D6": "no", "D7": "temporary", "D14": "legal_stay_only", "D14b": True}


def add_responses(round_id: int, start: int, stop: int) -> None:
    """An approved response for every second shelter start..stop-1; one bulk insert."""
    rows = [{"shelter_id": n, "round_id": round_id, "questionnaire_version": "2020.1", "answers": ANSWERS,
             "state": ResponseState.APPROVED, "reviewed_at": dt.datetime(2020, 11, 1)}
            for n in range(start, stop) if n % 2 == 0]
    db.session.execute(insert(Response), rows)
    db.session.commit()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = bench_app(folder)
        with app.app_context():
            flask_migrate.upgrade()
            user = create_user("ministry@bench.org", "Ministry", "benchmark-password", Role.MINISTRY)
            round_ = Round(code="2020-10", name="2020-10", questionnaire_version="2020.1",
                           period_start=dt.date(2020, 10, 1), period_end=dt.date(2020, 10, 31))
            db.session.add(round_)
            _, secret = create_token(user, "bench")
            db.session.commit()

            def add(start: int, stop: int) -> None:
                add_shelters(start, stop)
                add_responses(round_.id, start, stop)

            report(app.test_client(), {"Authorization": f"Bearer {secret}"}, "/api/hsds/services, page of 50",
                   PAGE, PAGE.replace("page=7", "page=1"), add)


if __name__ == "__main__":
    main()
