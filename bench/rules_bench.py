"""How long the rules take over a large round: 5,000 demo responses through evaluate_round, best of 5, next to
reading the same responses from the database (SQLite in a temporary file; PostgreSQL too when
BENCH_DATABASE_URL names an empty database), and a whole refresh_round (read, evaluate, store).

Run: python -m bench.rules_bench
"""
import datetime as dt
import itertools
import os
import random
import tempfile
import time
from pathlib import Path

import flask_migrate
from sqlalchemy import insert, select, text

from shelter_monitor import create_app
from shelter_monitor.demo.generator import DEMO_REGIONS_WITHOUT_FORM, demo_answers, demo_regional_answers, demo_shelters
from shelter_monitor.extensions import db
from shelter_monitor.questionnaire.loader import load_definition
from shelter_monitor.recommendations.service import evaluate_stored_round, refresh_round
from shelter_monitor.regions.models import Region
from shelter_monitor.responses.models import Response
from shelter_monitor.rounds.models import Round
from shelter_monitor.rules.engine import evaluate_round, load_rules
from shelter_monitor.shelters.models import Shelter

RESPONSES = 5_000
REPEATS = 5
VISIT = dt.date(2020, 10, 12)


def demo_round(size: int = RESPONSES) -> tuple[list[tuple[str, str, dict]], dict[str, dict]]:
    """`size` responses: the demo shelters over and over, each pass drawn from its own seed."""
    shelters = demo_shelters()
    responses = []
    for seed in itertools.count():
        rng = random.Random(seed)
        for shelter in shelters:
            if len(responses) == size:
                regional_rng = random.Random(2020)
                regions = sorted({s.region for s in shelters} - set(DEMO_REGIONS_WITHOUT_FORM))
                return responses, {iso: demo_regional_answers(iso, regional_rng) for iso in regions}
            answers = demo_answers(shelter, "2020-10", VISIT, True, rng)
            responses.append((f"{shelter.key}-{seed}", shelter.region, answers))
    raise AssertionError("unreachable")


def best_time(function, repeats: int = REPEATS) -> float:
    """The fastest of `repeats` runs, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def store_round(responses: list[tuple[str, str, dict]]) -> Round:
    """A round holding the responses, each of its own shelter, all submitted (bulk inserts)."""
    region_ids = dict(db.session.execute(select(Region.iso_code, Region.id)).all())
    round_ = Round(code="bench", name="bench", period_start=dt.date(2020, 10, 1), period_end=dt.date(2020, 10, 31),
                   questionnaire_version="2020.1")
    db.session.add(round_)
    db.session.flush()
    db.session.execute(insert(Shelter), [
        {"id": n, "name": key, "region_id": region_ids[iso], "institution_type": answers["B4"],
         "ownership": answers["B5"]} for n, (key, iso, answers) in enumerate(responses, start=1)])
    db.session.execute(insert(Response), [
        {"shelter_id": n, "round_id": round_.id, "questionnaire_version": "2020.1", "answers": answers,
         "state": "submitted"} for n, (_, _, answers) in enumerate(responses, start=1)])
    db.session.commit()
    return round_


def read_responses(round_: Round) -> int:
    """What refresh_round reads: every submitted response of the round with its region."""
    rows = db.session.execute(
        select(Response.id, Response.shelter_id, Region.iso_code, Response.answers)
        .join(Shelter, Response.shelter_id == Shelter.id).join(Region, Shelter.region_id == Region.id)
        .where(Response.round_id == round_.id)).all()
    db.session.expire_all()
    return len(rows)


def database_figures(label: str, url: str, responses: list[tuple[str, str, dict]]) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        flask_migrate.upgrade()
        round_ = store_round(responses)
        read = best_time(lambda: read_responses(round_))
        stored = best_time(lambda: evaluate_stored_round(round_))
        refresh = best_time(lambda: (refresh_round(round_), db.session.commit()), repeats=3)
        print(f"{label}: read {len(responses)} responses from the database: {read * 1000:.0f} ms")
        print(f"{label}: read and evaluate (evaluate_stored_round): {stored * 1000:.0f} ms")
        print(f"{label}: refresh_round (read, evaluate, replace stored results): {refresh * 1000:.0f} ms")
        db.session.execute(text("SELECT 1"))
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    rules = load_rules(load_definition())
    responses, regional = demo_round()
    seconds = best_time(lambda: evaluate_round(rules, responses, regional))
    print(f"rules: evaluate {len(responses)} responses: {seconds * 1000:.0f} ms")
    with tempfile.TemporaryDirectory() as folder:
        database_figures("sqlite", f"sqlite:///{Path(folder) / 'bench.db'}", responses)
    if os.environ.get("BENCH_DATABASE_URL"):
        database_figures("postgresql", os.environ["BENCH_DATABASE_URL"], responses)


if __name__ == "__main__":
    main()
