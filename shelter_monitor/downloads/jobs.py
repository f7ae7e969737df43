"""Exports too large to build within a request run as jobs; the page polls their status.

With REDIS_URL set, every job goes to the RQ queue "exports" (run `flask --app shelter_monitor worker`, or
`rq worker exports`, with the app's environment): the job, its owner, its status and the finished file live in
Redis and expire after EXPORT_TTL_HOURS, so any web worker on any machine answers the page, the polls and the
download, and nothing is left on a disk. Without Redis, a small pool inside the web process runs them and keeps the
files in its memory for the same time: only the process that started a job knows it, which holds for the
single-process development server alone (the app warns at start).
"""
import re
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from threading import Lock
from typing import Any

from flask import Flask, current_app, has_app_context
from redis import Redis
from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.job import Job

from shelter_monitor.downloads.service import build_file, file_name, gather_export, layout_for
from shelter_monitor.extensions import db
from shelter_monitor.regions.service import region_by_iso
from shelter_monitor.rounds.models import Round

QUEUE = "exports"
JOB_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")  # what RQ accepts (start_export_job's uuid4().hex among them)
QUEUES = (QUEUE,)  # what `flask worker` listens to
RQ_STATUS = {"queued": "queued", "deferred": "queued", "scheduled": "queued", "started": "running",
             "finished": "done"}
_EXECUTOR = ThreadPoolExecutor(max_workers=2, thread_name_prefix="export")
_JOBS: dict[str, "ExportJob"] = {}
_LOCK = Lock()


@dataclass
class ExportJob:
    """One export job, with what it exports (the page names the file and its scope)."""

    id: str
    user_id: int
    kind: str
    round_id: int | None = None      # None: a job queued before its scope was kept
    region_iso: str | None = None    # None: national
    language: str | None = None
    all_rounds: bool = False
    status: str = "queued"       # queued | running | done | failed
    content: bytes | None = None
    download_name: str | None = None
    started: float = field(default_factory=time.monotonic)

    @property
    def pending(self) -> bool:
        return self.status in ("queued", "running")

    def meta(self) -> dict[str, Any]:
        """What the RQ job keeps besides its arguments, to rebuild this on any machine."""
        return {"user_id": self.user_id, "kind": self.kind, "round_id": self.round_id, "region": self.region_iso,
                "language": self.language, "all_rounds": self.all_rounds}


@lru_cache(maxsize=4)
def redis_connection(url: str) -> Redis:
    """One client (and connection pool) per Redis URL and process."""
    return Redis.from_url(url)


def _queue(app: Flask) -> Queue | None:
    url = app.config.get("REDIS_URL")
    return Queue(QUEUE, connection=redis_connection(url)) if url else None


def _ttl_seconds(app: Flask) -> int:
    return int(app.config["EXPORT_TTL_HOURS"] * 3600)


def warn_if_in_process(app: Flask) -> None:
    """Say at start when export jobs cannot be shared between processes."""
    if not app.config.get("REDIS_URL"):
        app.logger.warning("REDIS_URL is not set: export jobs run inside the web process, which works only in a "
                           "single-process development server; set REDIS_URL and run the worker in production")


def start_export_job(app: Flask, user_id: int, round_id: int, region_iso: str | None, language: str, kind: str,
                     multi: str, layout: dict[str, Any] | None = None) -> ExportJob:
    """Queue an export for the user; only that user will see it (find_job). `layout`: the data files' layout
    choices (downloads.service.LAYOUT_DEFAULTS), plain values so that the queue can store them."""
    job = ExportJob(id=uuid.uuid4().hex, user_id=user_id, kind=kind, round_id=round_id, region_iso=region_iso,
                    language=language, all_rounds=bool((layout or {}).get("all_rounds")))
    arguments = (kind, round_id, region_iso, language, multi, dict(layout or {}))
    ttl = _ttl_seconds(app)
    queue = _queue(app)
    if queue is not None:
        queue.enqueue(run_export, *arguments, job_id=job.id, meta=job.meta(),
                      ttl=ttl, result_ttl=ttl, failure_ttl=ttl)
        return job
    with _LOCK:
        for expired in [key for key, old in _JOBS.items() if time.monotonic() - old.started > ttl]:
            del _JOBS[expired]
        _JOBS[job.id] = job
    _EXECUTOR.submit(_run_in_process, app, job, arguments)
    return job


def run_export(kind: str, round_id: int, region_iso: str | None, language: str, multi: str,
               layout: dict[str, Any] | None = None) -> tuple[bytes, str]:
    """Build the export file: (content, download name). Runs in an RQ worker or in the in-process pool."""
    if has_app_context():
        app = current_app._get_current_object()
    else:
        from shelter_monitor import create_app  # `rq worker` builds the app from its environment

        app = create_app()
    with app.test_request_context():
        try:
            round_ = db.session.get(Round, round_id)
            region = region_by_iso(region_iso) if region_iso else None
            layout = layout_for(kind, layout)
            all_rounds = layout["all_rounds"]
            data = gather_export(round_, region, language, all_rounds=all_rounds)
            return build_file(kind, data, multi, layout), file_name(kind, data, all_rounds)
        finally:
            db.session.remove()


def _run_in_process(app: Flask, job: ExportJob, arguments: tuple) -> None:
    job.status = "running"
    with app.app_context():
        try:
            job.content, job.download_name = run_export(*arguments)
            job.status = "done"
        except Exception:  # a failed export must show as failed on the page, never hang
            app.logger.exception("export job %s failed", job.id)
            job.status = "failed"


def find_job(job_id: str, user_id: int, with_file: bool = False) -> ExportJob | None:
    """The user's own job with its current status (and, with_file, its finished file), or None: another user's
    job, an unknown one, an expired one and an id no job can have (RQ refuses to look such an id up) are all
    None."""
    if not JOB_ID.fullmatch(job_id):
        return None
    queue = _queue(current_app)
    if queue is None:
        job = _JOBS.get(job_id)
        fresh = job is not None and time.monotonic() - job.started <= _ttl_seconds(current_app)
        return job if fresh and job.user_id == user_id else None
    try:
        queued = Job.fetch(job_id, connection=queue.connection)
    except NoSuchJobError:
        return None
    if queued.meta.get("user_id") != user_id:
        return None
    status = RQ_STATUS.get(queued.get_status(refresh=True), "failed")
    content, name = queued.return_value() if status == "done" and with_file else (None, None)
    meta = queued.meta  # .get: a job queued before the scope was kept has none
    return ExportJob(job_id, user_id, meta["kind"], meta.get("round_id"), meta.get("region"), meta.get("language"),
                     bool(meta.get("all_rounds")), status, content, name)
