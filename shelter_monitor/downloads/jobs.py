"""Exports too large to build within a request run as jobs in a small in-process worker pool; the page polls
their status. (One process holds its jobs: with several processes, route a user's polls to the same one, or run
the exports synchronously.)"""
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from threading import Lock

from flask import Flask

from shelter_monitor.downloads.service import FORMATS, build_file, file_name, gather_export
from shelter_monitor.downloads.texts import export_texts
from shelter_monitor.extensions import db
from shelter_monitor.regions.service import region_by_iso
from shelter_monitor.rounds.models import Round

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


def start_export_job(app: Flask, user_id: int, round_id: int, region_iso: str | None, language: str, kind: str,
                     multi: str) -> ExportJob:
    """Queue an export; its file lands in instance/exports/."""
    job = ExportJob(id=uuid.uuid4().hex, user_id=user_id, kind=kind)
    with _LOCK:
        _JOBS[job.id] = job
    _EXECUTOR.submit(_run, app, job, round_id, region_iso, language, multi)
    return job


def _run(app: Flask, job: ExportJob, round_id: int, region_iso: str | None, language: str, multi: str) -> None:
    with app.test_request_context():
        try:
            round_ = db.session.get(Round, round_id)
            region = region_by_iso(region_iso) if region_iso else None
            data = gather_export(round_, region, language, export_texts(language))
            folder = Path(app.instance_path) / "exports"
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{job.id}.{FORMATS[job.kind][0]}"
            path.write_bytes(build_file(job.kind, data, multi))
            job.path, job.download_name, job.status = str(path), file_name(job.kind, data), "done"
        except Exception:  # a failed export must show as failed on the page, never hang
            app.logger.exception("export job %s failed", job.id)
            job.status = "failed"
        finally:
            db.session.remove()


def find_job(job_id: str, user_id: int) -> ExportJob | None:
    """The user's own job, or None."""
    job = _JOBS.get(job_id)
    return job if job is not None and job.user_id == user_id else None
