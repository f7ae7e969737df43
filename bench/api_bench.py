"""The API at scale: /api/v1/shelters (a page of 100) at 2,000 shelters (SQLite in a temporary file).

Prints p50 of the page next to a bare API route (same token, same throttling and audit hooks, one query), and the
number of SQL statements of the page at 50 and at 2,000 shelters (they must be equal: the latest availability and
the contact decision are loaded for the page in bulk, never per shelter).

Run: python -m bench.api_bench
"""
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import flask_migrate
from sqlalchemy import func, insert, select

from shelter_monitor import create_app
from shelter_monitor.api.tokens import create_token
from shelter_monitor.api.v1.common import api_blueprint
from shelter_monitor.auth.models import Role
from shelter_monitor.auth.service import create_user
from shelter_monitor.availability.models import AvailabilityUpdate
from shelter_monitor.demo.generator import demo_shelters
from shelter_monitor.extensions import db
from shelter_monitor.regions.models import Region
from shelter_monitor.shelters.models import Shelter
from tests.conftest import recorded_statements

SMALL, LARGE = 50, 2_000
REQUESTS = 30
PAGE = "/api/v1/shelters?page_size=100&page=3"


def add_shelters(start: int, stop: int) -> None:
    """Shelters start..stop-1 (ids), every third with two availability updates; bulk inserts."""
    profiles = demo_shelters()
    region_ids = dict(db.session.execute(select(Region.iso_code, Region.id)).all())
    shelters, updates = [], []
    for n in range(start, stop):
        profile = profiles[n % len(profiles)]
        shelters.append({"id": n, "name": f"{profile.name} {n}", "region_id": region_ids[profile.region],
                         "institution_type": profile.institution_type, "ownership": profile.ownership,
                         "capacity": profile.capacity, "address": f"{n} Street", "phone": "+380 00 000 0000"})
        if n % 3 == 0:
            updates += [{"shelter_id": n, "as_of": dt.datetime(2020, 11, day, 9), "free_women": n % 5,
                         "free_men": n % 3, "free_children": n % 4, "admissions_open": True} for day in (19, 20)]
    for model, rows in ((Shelter, shelters), (AvailabilityUpdate, updates)):
        db.session.execute(insert(model), rows)
    db.session.commit()


def p50(client, url: str, headers: dict) -> float:
    timings = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings) * 1000


def statements(client, url: str, headers: dict) -> int:
    client.get(url, headers=headers)  # the token's first use of the minute writes last_used_at: not counted
    with recorded_statements() as seen:
        assert client.get(url, headers=headers).status_code == 200
    return len(seen)


def bare_blueprint():
    blueprint = api_blueprint("api_bench", "benchmark only")

    @blueprint.get("/bench-bare")
    def bare():
        return {"shelters": db.session.scalar(select(func.count(Shelter.id)))}

    return blueprint


def bench_app(folder: str):
    """The app on a SQLite file in `folder`, with the bare route and throttling out of the way."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'bench.db'}",
                      "SECRET_KEY": "bench", "BABEL_DEFAULT_LOCALE": "en",
                      "API_LIMIT_PER_TOKEN": "1000000 per minute",
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    app.register_blueprint(bare_blueprint())
    return app


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = bench_app(folder)
        with app.app_context():
            flask_migrate.upgrade()
            user = create_user("coordinator@bench.org", "Coordinator", "benchmark-password", Role.COORDINATOR)
            _, secret = create_token(user, "bench")
            db.session.commit()
            report(app.test_client(), {"Authorization": f"Bearer {secret}"}, "/api/v1/shelters, page of 100",
                   PAGE, PAGE.replace("page=3", "page=1"), add_shelters)


def report(client, headers: dict, label: str, page: str, small_page: str,
           add: Callable[[int, int], None]) -> None:
    """Add SMALL then LARGE shelters with `add(start, stop)`, counting the SQL statements of the page at each size
    (`small_page` at SMALL), then print the page's p50 beside the bare route's, and the counts."""
    counts = {}
    for size, (start, stop) in ((SMALL, (1, SMALL + 1)), (LARGE, (SMALL + 1, LARGE + 1))):
        add(start, stop)
        counts[size] = statements(client, page if size == LARGE else small_page, headers)
    bare = "bare API route (one query)"
    figures = {bare: p50(client, "/api/v1/bench-bare", headers), label: p50(client, page, headers)}
    print(f"{LARGE} shelters, p50 of {REQUESTS} requests with a token:")
    for name, value in figures.items():
        print(f"  {name}: {value:.1f} ms")
    print(f"  page / bare route: {figures[label] / figures[bare]:.1f}x")
    for size, count in counts.items():
        print(f"SQL statements of a page at {size} shelters: {count}")


if __name__ == "__main__":
    main()
