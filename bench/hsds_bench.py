"""The HSDS directory at scale: /api/hsds/services (a page of 50) at 2,000 shelters (SQLite in a temporary file).

Every third shelter has two availability updates (bench.api_bench.add_shelters) and every second an approved
response with the answers the directory reads. Prints p50 of the page next to a bare API route (same token, same
throttling hooks, one query), and the number of SQL statements of the page at 50 and at 2,000 shelters (they must be
equal: answers and free places are loaded for the page in bulk, never per shelter).

Run: python -m bench.hsds_bench
"""
import datetime as dt
import tempfile
from pathlib import Path

import flask_migrate
from sqlalchemy import insert

from bench.api_bench import LARGE, REQUESTS, SMALL, add_shelters, bare_blueprint, p50, statements
from shelter_monitor import create_app
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
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'bench.db'}",
                          "SECRET_KEY": "bench", "BABEL_DEFAULT_LOCALE": "en",
                          "API_LIMIT_PER_TOKEN": "1000000 per minute",
                          "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
        app.register_blueprint(bare_blueprint())
        with app.app_context():
            flask_migrate.upgrade()
            user = create_user("ministry@bench.org", "Ministry", "benchmark-password", Role.MINISTRY)
            round_ = Round(code="2020-10", name="2020-10", questionnaire_version="2020.1",
                           period_start=dt.date(2020, 10, 1), period_end=dt.date(2020, 10, 31))
            db.session.add(round_)
            _, secret = create_token(user, "bench")
            db.session.commit()
            headers = {"Authorization": f"Bearer {secret}"}
            client = app.test_client()
            counts = {}
            for size, (start, stop) in ((SMALL, (1, SMALL + 1)), (LARGE, (SMALL + 1, LARGE + 1))):
                add_shelters(start, stop)
                add_responses(round_.id, start, stop)
                page = PAGE if size == LARGE else PAGE.replace("page=7", "page=1")
                counts[size] = statements(client, page, headers)
            figures = {"bare API route (one query)": p50(client, "/api/v1/bench-bare", headers),
                       "/api/hsds/services, page of 50": p50(client, PAGE, headers)}
        print(f"{LARGE} shelters, p50 of {REQUESTS} requests with a token:")
        for label, value in figures.items():
            print(f"  {label}: {value:.1f} ms")
        ratio = figures["/api/hsds/services, page of 50"] / figures["bare API route (one query)"]
        print(f"  page / bare route: {ratio:.1f}x")
        for size, count in counts.items():
            print(f"SQL statements of a page at {size} shelters: {count}")


if __name__ == "__main__":
    main()
