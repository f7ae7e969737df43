"""Load on a production-like server: gunicorn (2 workers) on PostgreSQL and Redis, 20 monitors filling and
submitting questionnaires and 2 coordinators approving them, all at once for 60 seconds; then a check that every
save the server acknowledged is in the database.

It creates a throw-away PostgreSQL database (dropped at the end) with the demo data, 20 more monitors with 40
drafts each and a second coordinator, flushes a Redis database of its own, and starts gunicorn on a free port of
127.0.0.1 (everything stays on the loopback). Each simulated user is a thread with its own session cookie and
CSRF token, going through the pages as a browser does: a monitor opens a draft, then each section (GET) and saves
it (POST with the form's version and original answers), then submits; a coordinator reads the review queue, opens
a submitted response and approves it; before each request a user pauses --think seconds on average (exponentially
distributed: a person reading and typing; 0 runs flat out). Login throttling is set high (every user comes from
127.0.0.1).

Prints p50 / p95 / max per request kind, errors (any 5xx, refused or unexpected answer, or failed connection),
and lost values (an acknowledged save whose answers are not what the database holds at the end, or an
acknowledged submit that is not submitted or approved). Targets: save and submit p95 < 250 ms, 0 errors, 0 lost.

Run: python -m bench.load_bench [--duration 60] [--monitors 20] [--coordinators 2] [--workers 2] [--think 1.0]
Environment: BENCH_POSTGRES_URL (a server's maintenance database, default
postgresql://postgres@127.0.0.1:5432/postgres), BENCH_REDIS_URL (default redis://127.0.0.1:6379/10, flushed).
"""
import argparse
import dataclasses
import datetime as dt
import html
import http.client
import os
import random
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import flask_migrate
import sqlalchemy as sa
from redis import Redis
from sqlalchemy import select

from shelter_monitor import create_app
from shelter_monitor.auth.models import Role
from shelter_monitor.auth.service import create_user
from shelter_monitor.config import normalise_database_url
from shelter_monitor.demo.generator import demo_answers, demo_shelters
from shelter_monitor.demo.service import load_demo
from shelter_monitor.extensions import db
from shelter_monitor.questionnaire.loader import load_definition
from shelter_monitor.regions.service import region_by_iso
from shelter_monitor.responses.models import Response
from shelter_monitor.responses.service import start_response
from shelter_monitor.rounds.models import Round
from shelter_monitor.shelters.models import Shelter
from tests.responses.helpers import form_post

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
DRAFTS_PER_MONITOR = 40
ROUND_CODE = "2020-10"
TARGET_P95_MS = 250
DEFINITION = load_definition()
HIDDEN = '<input[^>]*name="{}"[^>]*value="([^"]*)"'


# --- the throw-away database ------------------------------------------------------------------------------------

def create_database(server_url: str) -> str:
    name = f"shelter_load_bench_{os.getpid()}"
    engine = sa.create_engine(normalise_database_url(server_url), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    parts = urlsplit(server_url)
    return parts._replace(path=f"/{name}").geturl()


def drop_database(server_url: str, url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    engine = sa.create_engine(normalise_database_url(server_url), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@dataclasses.dataclass
class World:
    password: str
    monitors: dict[str, list[int]]      # email -> draft response ids
    coordinators: list[str]
    answers: dict[int, dict]            # response id -> complete answers to post


def build_world(database_url: str, redis_url: str, monitors: int, coordinators: int) -> World:
    """Schema, demo data, the bench's monitors with their drafts and the extra coordinators."""
    password = secrets.token_urlsafe(12)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench", "REDIS_URL": redis_url})
    with app.app_context():
        flask_migrate.upgrade(directory=str(ROOT / "migrations"))
        load_demo(password)
        db.session.commit()
        round_ = db.session.scalar(select(Round).where(Round.code == ROUND_CODE))
        profiles = demo_shelters()
        world = World(password, {}, ["coordinator@demo.shelter-monitor.org"], {})
        for n in range(1, coordinators):
            email = f"bench-coordinator-{n}@example.org"
            create_user(email, f"Bench coordinator {n}", password, Role.COORDINATOR, None)
            world.coordinators.append(email)
        for m in range(monitors):
            email = f"bench-monitor-{m}@example.org"
            monitor = create_user(email, f"Bench monitor {m}", password, Role.MONITOR, None)
            world.monitors[email] = []
            for k in range(DRAFTS_PER_MONITOR):
                profile = profiles[(m * DRAFTS_PER_MONITOR + k) % len(profiles)]
                profile = dataclasses.replace(profile, name=f"{profile.name} (bench {m}-{k})")
                shelter = Shelter(name=profile.name, region=region_by_iso(profile.region),
                                  settlement=profile.settlement, institution_type=profile.institution_type,
                                  ownership=profile.ownership, specialised=profile.specialised,
                                  capacity=profile.capacity, status=profile.status, address=profile.address,
                                  phone=profile.phone, monitors=[monitor])
                db.session.add(shelter)
                response = start_response(shelter, round_, monitor)
                db.session.flush()
                world.monitors[email].append(response.id)
                world.answers[response.id] = demo_answers(profile, ROUND_CODE, dt.date(2020, 10, 12), True,
                                                          random.Random(response.id))
        db.session.commit()
        db.engine.dispose()
    return world


# --- the server ---------------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(database_url: str, redis_url: str, workers: int, port: int, log) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url, "SECRET_KEY": secrets.token_hex(32),
           "SESSION_COOKIE_SECURE": "0", "LOGIN_LIMIT_PER_ADDRESS": "100000 per minute",
           "LOGIN_LIMIT_PER_ACCOUNT": "100000 per minute"}
    server = subprocess.Popen([str(GUNICORN), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
                               "shelter_monitor:create_app()"], cwd=ROOT, env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped at start; see its log")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/readyz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not become ready within 60 s")


# --- the simulated users ------------------------------------------------------------------------------------------

class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)      # kind -> seconds
        self.errors = defaultdict(list)     # kind -> descriptions

    def record(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.times[kind].append(seconds)

    def error(self, kind: str, what: str) -> None:
        with self.lock:
            self.errors[kind].append(what)


class Unexpected(Exception):
    pass


class Browser:
    """One user's cookie and CSRF token; each request on a new connection (gunicorn's sync workers close them)."""

    def __init__(self, port: int, stats: Stats, think: float, rng: random.Random):
        self.port, self.stats, self.think, self.rng = port, stats, think, rng
        self.cookie = None
        self.csrf = None

    def request(self, kind: str, method: str, path: str, form: dict | None = None,
                expect: tuple[int, ...] = (200,)) -> tuple[int, str, dict]:
        if self.think:
            time.sleep(self.rng.expovariate(1 / self.think))
        headers = {"Cookie": f"session={self.cookie}"} if self.cookie else {}
        body = None
        if form is not None:
            body = urlencode({**form, "csrf_token": self.csrf or ""}, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            text = answer.read().decode("utf-8", "replace")
            connection.close()
        except OSError as error:
            self.stats.error(kind, f"{method} {path}: {error}")
            raise Unexpected from error
        self.stats.record(kind, time.perf_counter() - started)
        answer_headers = {key.lower(): value for key, value in answer.getheaders()}
        cookie = answer_headers.get("set-cookie", "")
        if cookie.startswith("session="):
            self.cookie = cookie.split(";", 1)[0].split("=", 1)[1]
        if answer.status not in expect:
            self.stats.error(kind, f"{method} {path}: {answer.status}")
            raise Unexpected
        return answer.status, text, answer_headers

    def login(self, email: str, password: str) -> None:
        _, page, _ = self.request("login page", "GET", "/login")
        self.csrf = hidden(page, "csrf_token")
        self.request("login", "POST", "/login", {"email": email, "password": password}, expect=(302,))
        status, page, headers = self.request("start page", "GET", "/", expect=(200, 302))
        if status == 302:  # a coordinator's start page is the review queue
            _, page, _ = self.request("start page", "GET", urlsplit(headers["location"]).path)
        self.csrf = hidden(page, "csrf_token") or self.csrf  # a fresh session has a fresh token


def hidden(page: str, name: str) -> str | None:
    found = re.search(HIDDEN.format(name), page)
    return html.unescape(found.group(1)) if found else None


def posted_codes(code: str, answers: dict) -> dict:
    return {q.code: answers[q.code] for q in DEFINITION.section(code).questions
            if answers.get(q.code) is not None and q.form == "shelter" and q.choices_from != "rounds"}


class Window:
    """The measured window: it opens once every user has logged in (login is timed, but outside it)."""

    def __init__(self, users: int, duration: float):
        self.duration = duration
        self.deadline = float("inf")
        self.opened = None
        self.barrier = threading.Barrier(users, action=self._open)

    def _open(self) -> None:
        self.opened = time.monotonic()
        self.deadline = self.opened + self.duration

    def start(self) -> None:
        self.barrier.wait()

    def over(self) -> bool:
        return time.monotonic() > self.deadline


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.saved = defaultdict(dict)   # response id -> answers acknowledged as saved
        self.submitted = set()
        self.approved = set()


def monitor(port, email, password, drafts, answers, window, stats, results, think, seed):
    browser = Browser(port, stats, think, random.Random(seed))
    try:
        try:
            browser.login(email, password)
        finally:
            window.start()
        for response_id in drafts:
            if window.over():
                return
            _, page, _ = browser.request("response page", "GET", f"/responses/{response_id}")
            sections = list(dict.fromkeys(re.findall(rf'/responses/{response_id}/sections/(\w+)"', page)))
            for code in sections:
                if window.over():
                    return
                path = f"/responses/{response_id}/sections/{code}"
                _, form_page, _ = browser.request("section page", "GET", path)
                form = {**form_post(code, answers[response_id], 0), "version": hidden(form_page, "version"),
                        "original": hidden(form_page, "original") or "{}", "save": "1"}
                _, saved_page, _ = browser.request("save", "POST", path, form)
                if 'data-saved="1"' not in saved_page:
                    stats.error("save", f"POST {path}: 200 without saved")
                    continue
                with results.lock:
                    results.saved[response_id].update(posted_codes(code, answers[response_id]))
            _, _, headers = browser.request("submit", "POST", f"/responses/{response_id}/submit", {},
                                            expect=(302,))
            browser.request("response page", "GET", urlsplit(headers["location"]).path)
            with results.lock:  # checked against the database at the end
                results.submitted.add(response_id)
    except Unexpected:
        return


def coordinator(port, email, password, share, shares, window, stats, results, think, seed):
    browser = Browser(port, stats, think, random.Random(seed))
    try:
        try:
            browser.login(email, password)
        finally:
            window.start()
        while not window.over():
            _, queue, _ = browser.request("review queue", "GET", "/review")
            mine = [int(i) for i in dict.fromkeys(re.findall(r'href="/responses/(\d+)"', queue))
                    if int(i) % shares == share]
            if not mine:
                time.sleep(0.5)
                continue
            for response_id in mine[:5]:
                if window.over():
                    return
                browser.request("response page", "GET", f"/responses/{response_id}")
                _, _, headers = browser.request("approve", "POST", f"/responses/{response_id}/approve", {},
                                                expect=(302,))
                if urlsplit(headers["location"]).path != "/review":
                    stats.error("approve", f"response {response_id} refused")
                    continue
                with results.lock:
                    results.approved.add(response_id)
    except Unexpected:
        return


# --- the run ------------------------------------------------------------------------------------------------------

def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def lost_values(database_url: str, redis_url: str, results: Results) -> list[str]:
    """Every acknowledged save and submit, compared with what the database holds."""
    lost = []
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench", "REDIS_URL": redis_url})
    with app.app_context():
        stored = {r.id: r for r in db.session.scalars(select(Response).where(Response.id.in_(results.saved)))}
        for response_id, answers in results.saved.items():
            held = stored[response_id].answers or {}
            lost += [f"response {response_id} {code}: saved {value!r}, stored {held.get(code)!r}"
                     for code, value in answers.items() if held.get(code) != value]
        states = dict(db.session.execute(select(Response.id, Response.state)
                                         .where(Response.id.in_(results.submitted | results.approved))).all())
        lost += [f"response {i} submitted, now {states[i]}" for i in results.submitted
                 if states[i] not in ("submitted", "approved")]
        lost += [f"response {i} approved, now {states[i]}" for i in results.approved if states[i] != "approved"]
        db.engine.dispose()
    return lost


SERVER_KINDS = {"save": re.compile(r"POST /responses/\d+/sections/\w+ "),
                "submit": re.compile(r"POST /responses/\d+/submit "),
                "approve": re.compile(r"POST /responses/\d+/approve "),
                "section page": re.compile(r"GET /responses/\d+/sections/\w+ ")}
SERVER_LINE = re.compile(r"shelter_monitor\.request: (.*) ([\d.]+) ms user=")


def server_side(log_path: Path) -> str:
    """p50 / p95 of the durations the app itself logged, per kind: the time in the app, without the queueing."""
    durations = defaultdict(list)
    for line in log_path.read_text(encoding="utf-8", errors="replace").splitlines():
        found = SERVER_LINE.search(line)
        if found:
            for kind, pattern in SERVER_KINDS.items():
                if pattern.match(found.group(1) + " "):
                    durations[kind].append(float(found.group(2)))
    return "; ".join(f"{kind} p50 {percentile(values, 0.5):.0f} ms, p95 {percentile(values, 0.95):.0f} ms"
                     for kind, values in durations.items())


def report(stats: Stats, results: Results, lost: list[str], duration: float, args) -> bool:
    print(f"\n{args.monitors} monitors, {args.coordinators} coordinators, gunicorn --workers {args.workers}, "
          f"{duration:.0f} s, think time {args.think:g} s; PostgreSQL and Redis on 127.0.0.1")
    print(f"{'request':<15} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'errors':>7}")
    total = 0
    for kind in sorted(set(stats.times) | set(stats.errors)):
        times = [t * 1000 for t in stats.times.get(kind, [])]
        total += len(times)
        row = (f"{percentile(times, 0.5):8.1f} {percentile(times, 0.95):8.1f} {max(times):8.1f}" if times
               else f"{'-':>8} {'-':>8} {'-':>8}")
        print(f"{kind:<15} {len(times):>6} {row} {len(stats.errors.get(kind, [])):>7}")
    errors = [f"{kind}: {what}" for kind, items in stats.errors.items() for what in items]
    print(f"{total} requests ({total / duration:.0f}/s); {sum(map(len, results.saved.values()))} answers in "
          f"acknowledged saves of {len(results.saved)} responses; {len(results.submitted)} submitted, "
          f"{len(results.approved)} approved")
    for line in errors[:10]:
        print("  error:", line)
    print(f"errors: {len(errors)}; lost values: {len(lost)}")
    for line in lost[:10]:
        print("  lost:", line)
    p95 = {kind: percentile([t * 1000 for t in stats.times[kind]], 0.95) for kind in ("save", "submit")
           if stats.times.get(kind)}
    ok = (len(p95) == 2 and all(v < TARGET_P95_MS for v in p95.values()) and not errors and not lost)
    print(f"targets (save and submit p95 < {TARGET_P95_MS} ms, 0 errors, 0 lost): {'met' if ok else 'NOT met'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--monitors", type=int, default=20)
    parser.add_argument("--coordinators", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean pause before each request, in seconds (a person reading and typing; 0: flat out)")
    args = parser.parse_args()
    server_url = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10")
    for url in (server_url, redis_url):
        if urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit(f"{url}: the bench runs on the loopback only")
    Redis.from_url(redis_url).flushdb()
    database_url = create_database(server_url)
    server = None
    try:
        started = time.perf_counter()
        world = build_world(database_url, redis_url, args.monitors, args.coordinators)
        print(f"database {urlsplit(database_url).path[1:]}: demo data, {len(world.answers)} drafts of "
              f"{args.monitors} monitors ({time.perf_counter() - started:.1f} s)")
        port = free_port()
        log_path = Path(tempfile.gettempdir()) / f"load_bench_gunicorn_{os.getpid()}.log"
        with log_path.open("w") as log:
            server = start_gunicorn(database_url, redis_url, args.workers, port, log)
        stats, results = Stats(), Results()
        window = Window(len(world.monitors) + len(world.coordinators), args.duration)
        threads = [threading.Thread(target=monitor, args=(port, email, world.password, drafts, world.answers,
                                                          window, stats, results, args.think, n))
                   for n, (email, drafts) in enumerate(world.monitors.items())]
        threads += [threading.Thread(target=coordinator, args=(port, email, world.password, n, len(world.coordinators),
                                                               window, stats, results, args.think, 1000 + n))
                    for n, email in enumerate(world.coordinators)]
        load_before = os.getloadavg()[0]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.duration + 120)  # bounded: a request times out after 30 s
        duration = time.monotonic() - (window.opened or time.monotonic())
        lost = lost_values(database_url, redis_url, results)
        ok = report(stats, results, lost, duration, args)
        print(f"server side (the app's request log lines): {server_side(log_path)}")
        print(f"host: {os.cpu_count()} CPUs, load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after "
              "(the load test, PostgreSQL and Redis share them)")
        print(f"gunicorn log: {log_path}")
        return 0 if ok else 1
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        drop_database(server_url, database_url)
        Redis.from_url(redis_url).flushdb()


if __name__ == "__main__":
    sys.exit(main())
