"""What one workflow step costs as the round grows: a submit and an approve (service call and commit, as the view
does it) with 50 and with 5,000 submitted responses in the round, on SQLite in a temporary file and on PostgreSQL
when BENCH_DATABASE_URL names an empty database (it is emptied first). Prints p50 and max of RUNS steps and the
SQL statements of each.

Run: python -m bench.submit_bench
"""
import datetime as dt
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

import flask_migrate
import sqlalchemy as sa
from sqlalchemy import event, insert, select

from shelter_monitor import create_app
from shelter_monitor.auth.models import Role
from shelter_monitor.auth.service import create_user
from shelter_monitor.demo.generator import DEMO_REGIONS_WITHOUT_FORM, demo_answers, demo_regional_answers, demo_shelters
from shelter_monitor.extensions import db
from shelter_monitor.regions.models import Region
from shelter_monitor.responses.models import RegionalForm, Response
from shelter_monitor.responses.service import approve_responses, submit_response
from shelter_monitor.rounds.models import Round
from shelter_monitor.rounds.results import refresh_results
from shelter_monitor.shelters.models import Shelter

SIZES = (50, 5_000)
RUNS = 9
ROUND_CODE = "2020-10"


def store_round(size: int) -> tuple[Round, list[int]]:
    """A round with `size` submitted responses and RUNS drafts (complete, ready to submit), one shelter each, and
    the demo regional forms; results computed once. Returns the round and the drafts' ids."""
    profiles = demo_shelters()
    region_ids = dict(db.session.execute(select(Region.iso_code, Region.id)).all())
    round_ = Round(code=ROUND_CODE, name="bench", period_start=dt.date(2020, 10, 1),
                   period_end=dt.date(2020, 10, 31), questionnaire_version="2020.1")
    db.session.add(round_)
    db.session.flush()
    shelters, responses = [], []
    for n in range(1, size + RUNS + 1):
        profile = profiles[n % len(profiles)]
        rng = random.Random(n)
        shelters.append({"id": n, "name": f"{profile.name} {n}", "region_id": region_ids[profile.region],
                         "institution_type": profile.institution_type, "ownership": profile.ownership,
                         "capacity": profile.capacity})
        responses.append({"shelter_id": n, "round_id": round_.id, "questionnaire_version": "2020.1",
                          "answers": demo_answers(profile, ROUND_CODE, dt.date(2020, 10, 12), True, rng),
                          "state": "submitted" if n <= size else "draft"})
    db.session.execute(insert(Shelter), shelters)
    db.session.execute(insert(Response), responses)
    regional_rng = random.Random(2020)
    forms = sorted({p.region for p in profiles} - set(DEMO_REGIONS_WITHOUT_FORM))
    db.session.execute(insert(RegionalForm), [
        {"region_id": region_ids[iso], "round_id": round_.id, "answers": demo_regional_answers(iso, regional_rng)}
        for iso in forms])
    db.session.commit()
    refresh_results(round_)
    db.session.commit()
    drafts = db.session.scalars(select(Response.id).where(Response.round_id == round_.id, Response.state == "draft")
                                .order_by(Response.id)).all()
    return round_, list(drafts)


class StatementCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *args) -> None:
        self.count += 1


def timed(step, counter: StatementCounter) -> tuple[float, int]:
    db.session.expire_all()
    counter.count = 0
    start = time.perf_counter()
    step()
    db.session.commit()
    return time.perf_counter() - start, counter.count


def measure(label: str, url: str) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1"})
    with app.app_context():
        flask_migrate.upgrade()
        monitor = create_user("monitor@bench.org", "Monitor", None, Role.MONITOR)
        coordinator = create_user("coordinator@bench.org", "Coordinator", None, Role.COORDINATOR)
        db.session.commit()
        counter = StatementCounter()
        event.listen(db.engine, "before_cursor_execute", counter)
        for size in SIZES:
            round_, drafts = store_round(size)
            figures: dict[str, list[tuple[float, int]]] = {"submit": [], "approve": []}
            for response_id in drafts:
                response = db.session.get(Response, response_id)

                def submit(response=response) -> None:
                    if not submit_response(response, monitor).ok:
                        raise AssertionError("the benchmark's draft is not complete")
                figures["submit"].append(timed(submit, counter))
                figures["approve"].append(timed(lambda r=response: approve_responses([r], coordinator), counter))
            for kind, runs in figures.items():
                seconds = [s for s, _ in runs]
                statements = sorted({n for _, n in runs})
                print(f"{label}: {kind} with {size:>5} responses in the round: "
                      f"p50 {statistics.median(seconds) * 1000:6.1f} ms, max {max(seconds) * 1000:6.1f} ms, "
                      f"SQL statements {'/'.join(map(str, statements))}")
            clear(round_)
        event.remove(db.engine, "before_cursor_execute", counter)
        db.session.remove()
        db.engine.dispose()


def clear(round_: Round) -> None:
    """Delete everything the size's round added, so the next size starts from an empty round."""
    for table in reversed(db.metadata.sorted_tables):
        if table.name in ("region", "alembic_version", "user_account"):
            continue
        db.session.execute(table.delete())
    db.session.commit()


def reset_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        measure("sqlite", f"sqlite:///{Path(folder) / 'bench.db'}")
    if os.environ.get("BENCH_DATABASE_URL"):
        from shelter_monitor.config import normalise_database_url

        url = normalise_database_url(os.environ["BENCH_DATABASE_URL"])
        reset_postgres(url)
        measure("postgresql", url)


if __name__ == "__main__":
    main()
