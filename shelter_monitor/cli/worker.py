"""`flask --app shelter_monitor worker`: runs the background jobs queued in Redis (REDIS_URL)."""
import click
from flask import current_app
from flask.cli import with_appcontext
from rq import Worker

from shelter_monitor.downloads.jobs import QUEUES, redis_connection


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run the jobs queued now, then stop.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run the export jobs (RQ queue "exports") with this app's configuration; start one or more next to the web
    server. Equivalent to `rq worker exports` with the same environment."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.UsageError("REDIS_URL is not set: without Redis, export jobs run inside the web process")
    Worker(list(QUEUES), connection=redis_connection(url)).work(burst=burst)
