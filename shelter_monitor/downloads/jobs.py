"""Exports too large to build within a request run as jobs; the page polls their status.

With REDIS_URL set, jobs go to the RQ queue "exports" (run `rq worker exports` next to the app, with the same
environment); otherwise a small in-process worker pool runs them (its jobs live in that one process)."""
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from threading import Lock

from flask import Flask, current_app, has_app_context
from redis import Redis
from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.job import Job

from shelter_monitor.downloads.service import FORMATS, build_file, file_name, gather_export
from shelter_monitor.downloads.texts import export_texts
from shelter_monitor.extensions import db
from shelter_monitor.regions.service import region_by_iso
from shelter_monitor.rounds.models import Round

QUEUE = "exports"
RQ_STATUS = {"queued": "running", "started": "running", "deferred": "running", "scheduled": "running",
             "finished": "done"}
_EXECUTOR = ThreadPoolExecutor(max_workers=2, thread_name_prefix="export")
_JOBS: dict[str, "ExportJob"] = {}
_LOCK = Lock()


@dataclass
class ExportJob:
    id: str
    user_id: int
    kind: str
    status: str = "running"      # running | done | failed
    path: str | None = None
    download_name: str | None = None


def _queue(app: Flask) -> Queue | None:
    url = app.config.get("REDIS_URL")
    return Queue(QUEUE, connection=Redis.from_url(url)) if url else None


def start_export_job(app: Flask, user_id: int, round_id: int, region_iso: str | None, language: str, kind: str,
                     multi: str) -> ExportJob:
    """Queue an export; its file lands in instance/exports/."""
    job = ExportJob(id=uuid.uuid4().hex, user_id=user_id, kind=kind)
    arguments = (job.id, kind, round_id, region_iso, language, multi, app.instance_path)
    queue = _queue(app)
    if queue is not None:
        queue.enqueue(run_export, *arguments, job_id=job.id, meta={"user_id": user_id, "kind": kind})
        return job
    with _LOCK:
        _JOBS[job.id] = job
    _EXECUTOR.submit(_run_in_process, app, job, arguments)
    return job


def run_export(job_id: str, kind: str, round_id: int, region_iso: str | None, language: str, multi: str,
               instance_path: str) -> tuple[str, str]:
    """Build the export file; returns (path, download name). Runs in an RQ worker or in the in-process pool."""
    if not has_app_context():
        from shelter_monitor import create_app  # an RQ worker process builds the app from its environment

        with create_app().test_request_context():
            return run_export(job_id, kind, round_id, region_iso, language, multi, instance_path)
    try:
        round_ = db.session.get(Round, round_id)
        region = region_by_iso(region_iso) if region_iso else None
        data = gather_export(round_, region, language, export_texts(language))
        folder = Path(instance_path) / "exports"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{job_id}.{FORMATS[kind][0]}"
        path.write_bytes(build_file(kind, data, multi))
        return str(path), file_name(kind, data)
    finally:
        db.session.remove()


def _run_in_process(app: Flask, job: ExportJob, arguments: tuple) -> None:
    with app.test_request_context():
        try:
            job.path, job.download_name = run_export(*arguments)
            job.status = "done"
        except Exception:  # a failed export must show as failed on the page, never hang
            app.logger.exception("export job %s failed", job.id)
            job.status = "failed"


def find_job(job_id: str, user_id: int) -> ExportJob | None:
    """The user's own job with its current status, or None."""
    queue = _queue(current_app)
    if queue is None:
        job = _JOBS.get(job_id)
        return job if job is not None and job.user_id == user_id else None
    try:
        queued = Job.fetch(job_id, connection=queue.connection)
    except NoSuchJobError:
        return None
    if queued.meta.get("user_id") != user_id:
        return None
    status = RQ_STATUS.get(queued.get_status(refresh=True), "failed")
    path, name = queued.return_value() if status == "done" else (None, None)
    return ExportJob(job_id, user_id, queued.meta["kind"], status, path, name)
