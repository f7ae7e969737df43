"""Dashboards and "find a place" at scale: 2,000 shelters x 3 rounds (SQLite in a temporary file).

Prints p50 of the national dashboard next to a bare route that runs one query (same app, same run), p50 of a
region page and of "find a place", and the number of SQL statements of the dashboard and the region page at 50
and at 2,000 shelters (they must be equal).

Run: python -m bench.dashboard_bench
"""
import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path

import flask_migrate
from sqlalchemy import event, func, insert, select

from shelter_monitor import create_app
from shelter_monitor.auth.models import Role
from shelter_monitor.auth.service import create_user
from shelter_monitor.availability.models import AvailabilityUpdate
from shelter_monitor.demo.generator import demo_answers, demo_shelters
from shelter_monitor.extensions import db
from shelter_monitor.programmes.service import SHIPPED_PROGRAMME, load_programme
from shelter_monitor.regions.models import Region
from shelter_monitor.responses.models import Response
from shelter_monitor.rounds.models import Round
from shelter_monitor.rounds.results import refresh_results
from shelter_monitor.shelters.models import Shelter

PASSWORD = "benchmark-password"
SMALL, LARGE = 50, 2_000
ROUNDS = [("2018-10", dt.date(2018, 10, 1), False), ("2019-10", dt.date(2019, 10, 1), False),
          ("2020-10", dt.date(2020, 10, 1), True)]
REQUESTS = 30


def add_shelters(start: int, stop: int, rounds: list[Round]) -> None:
    """Shelters start..stop-1 (ids), each with a submitted response in every round and, for every third, an
    availability update; bulk inserts."""
    profiles = demo_shelters()
    region_ids = dict(db.session.execute(select(Region.iso_code, Region.id)).all())
    shelters, responses, updates = [], [], []
    for n in range(start, stop):
        profile = profiles[n % len(profiles)]
        shelters.append({"id": n, "name": f"{profile.name} {n}", "region_id": region_ids[profile.region],
                         "institution_type": profile.institution_type, "ownership": profile.ownership,
                         "capacity": profile.capacity})
        for round_ in rounds:
            rng = random.Random(n * 10 + round_.id)
            visit = round_.period_start + dt.timedelta(days=rng.randrange(28))
            responses.append({"shelter_id": n, "round_id": round_.id, "questionnaire_version": "2020.1",
                              "answers": demo_answers(profile, round_.code, visit, round_.covid_section, rng),
                              "state": "submitted"})
        if n % 3 == 0:
            updates.append({"shelter_id": n, "as_of": dt.datetime(2020, 11, 20, 9), "free_women": n % 5,
                            "free_men": n % 3, "free_children": n % 4, "admissions_open": True})
    for model, rows in ((Shelter, shelters), (Response, responses), (AvailabilityUpdate, updates)):
        db.session.execute(insert(model), rows)
    db.session.commit()


def programme_over_bench_years() -> str:
    """The shipped programme moved onto the benchmark's years, so that every measure has rounds to read."""
    text = SHIPPED_PROGRAMME.read_text(encoding="utf-8")
    for old, new in zip(("2013", "2014", "2015"), (start.year for _, start, _ in ROUNDS), strict=True):
        text = text.replace(old, str(new))
    return text


def p50(client, url: str) -> float:
    timings = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings) * 1000


def statements(client, url: str) -> int:
    seen = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'bench.db'}",
                          "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False, "BABEL_DEFAULT_LOCALE": "en",
                          "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})

        @app.get("/bench-bare")
        def bare():
            return {"shelters": db.session.scalar(select(func.count(Shelter.id)))}

        with app.app_context():
            flask_migrate.upgrade()
            rounds = [Round(code=code, name=code, period_start=start, period_end=start + dt.timedelta(days=30),
                            questionnaire_version="2020.1", covid_section=covid) for code, start, covid in ROUNDS]
            db.session.add_all(rounds)
            create_user("ministry@bench.org", "Ministry", PASSWORD, Role.MINISTRY)
            db.session.commit()
            latest = rounds[-1].id
            client = app.test_client()
            client.post("/login", data={"email": "ministry@bench.org", "password": PASSWORD})
            dashboard, region = f"/rounds/{latest}/dashboard", f"/rounds/{latest}/dashboard/UA-12"
            load_programme(programme_over_bench_years(), "bench.yaml")
            programme, indicator = "/programmes/ua-thb-2012", "/programmes/ua-thb-2012/indicators/t8_assisted"
            counts = {}
            for size, (start, stop) in ((SMALL, (1, SMALL + 1)), (LARGE, (SMALL + 1, LARGE + 1))):
                add_shelters(start, stop, rounds)
                for round_ in rounds:
                    refresh_results(round_)
                db.session.commit()
                counts[size] = (statements(client, dashboard), statements(client, region),
                                statements(client, programme), statements(client, indicator))
            find = "/find-a-place?sex=male&children_ages=2&group_size=1"
            find_region = find + "&region=UA-12&include_neighbours=y"
            figures = {"bare route (one query)": p50(client, "/bench-bare"),
                       "national dashboard": p50(client, dashboard),
                       "region page": p50(client, region), "find a place (all regions)": p50(client, find),
                       "find a place (a region and its neighbours)": p50(client, find_region),
                       "programme overview": p50(client, programme), "programme indicator page": p50(client, indicator),
                       "programme funding page": p50(client, "/programmes/ua-thb-2012/funding")}
        print(f"{LARGE} shelters x {len(ROUNDS)} rounds, p50 of {REQUESTS} requests:")
        for label, value in figures.items():
            print(f"  {label}: {value:.1f} ms")
        ratio = figures["national dashboard"] / figures["bare route (one query)"]
        print(f"  dashboard / bare route: {ratio:.1f}x")
        for size, (national, regional, overview, indicator_page) in counts.items():
            print(f"SQL statements at {size} shelters: dashboard {national}, region page {regional}, "
                  f"programme overview {overview}, programme indicator page {indicator_page}")


if __name__ == "__main__":
    main()
