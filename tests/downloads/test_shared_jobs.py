"""With REDIS_URL, an export job started through one app instance (a gunicorn worker) is seen, polled and downloaded
through another one sharing the database and Redis, by its owner only; nothing is kept on a disk, and it expires."""
import os
from pathlib import Path

import pytest
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, SimpleWorker

from shelter_monitor import create_app
from shelter_monitor.auth.models import Role
from shelter_monitor.downloads.jobs import _JOBS, QUEUE
from tests.conftest import app_config, login
from tests.downloads.test_downloads import round_with_data  # noqa: F401 (a fixture)

REDIS_URL = "redis://127.0.0.1:6379/9"  # a database of this test's own: flushed before and after


@pytest.fixture
def redis():
    """Redis at REDIS_URL, emptied. Unreachable: a failure in CI, a skip elsewhere."""
    connection = Redis.from_url(REDIS_URL)
    try:
        connection.flushdb()
    except RedisError as error:
        if os.environ.get("CI"):
            pytest.fail(f"Redis at {REDIS_URL} cannot be reached: {error}", pytrace=False)
        pytest.skip(f"Redis at {REDIS_URL} cannot be reached: {error}")
    yield connection
    connection.flushdb()


def _instance(database_url: str):
    return create_app(app_config(database_url, REDIS_URL=REDIS_URL, EXPORT_SYNC_LIMIT=1, EXPORT_TTL_HOURS=2))


def _files(app) -> set[str]:
    folder = Path(app.instance_path) / "exports"  # where jobs used to leave their files
    return {path.name for path in folder.iterdir()} if folder.is_dir() else set()


def test_a_job_started_on_one_instance_is_polled_and_downloaded_on_another(database_url, redis, make,
                                                                           round_with_data):  # noqa: F811
    first, second = _instance(database_url), _instance(database_url)
    coordinator, other = make.user(Role.COORDINATOR), make.user(Role.COORDINATOR)
    on_first, on_second = first.test_client(), second.test_client()
    login(on_first, coordinator)
    on_second.set_cookie("session", on_first.get_cookie("session").value)  # the same browser, the other worker

    files_before = _files(first)
    started = on_first.get(f"/rounds/{round_with_data.id}/exports/file?kind=csv&region=&lang=en&multi=split")
    assert started.status_code == 302 and "/exports/jobs/" in started.location
    job_url = started.location
    job_id = job_url.rsplit("/", 1)[-1]
    assert job_id not in _JOBS  # nothing kept in this process
    assert on_second.get(job_url).status_code == 200
    assert on_second.get(job_url + "/status").get_json() == {"status": "queued", "file": None}

    queue = Queue(QUEUE, connection=redis)
    with second.app_context():  # a worker process with the app's configuration (`flask worker`)
        assert SimpleWorker([queue], connection=redis).work(burst=True)

    status = on_second.get(job_url + "/status").get_json()
    assert status["status"] == "done"
    download = on_second.get(status["file"])
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    assert "Shelter in UA-46" in download.get_data().decode("utf-8-sig")
    assert on_first.get(status["file"]).get_data() == download.get_data()

    # another user (logged in on either instance) gets nothing of it
    for app in (first, second):
        stranger = app.test_client()
        login(stranger, other)
        assert [stranger.get(job_url + tail).status_code for tail in ("", "/status", "/file")] == [404] * 3

    # the finished file lives in Redis with the configured expiry, not on a disk
    ttls = [redis.ttl(key) for key in redis.scan_iter(f"*{job_id}*")]
    assert ttls and all(0 < ttl <= 2 * 3600 for ttl in ttls)
    assert _files(first) == files_before


def test_the_worker_command_runs_the_queued_jobs_and_needs_redis(database_url, redis):
    result = _instance(database_url).test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    without = create_app(app_config(database_url)).test_cli_runner().invoke(args=["worker", "--burst"])
    assert without.exit_code != 0 and "REDIS_URL is not set" in without.output


def test_an_id_no_job_can_have_is_a_404_not_rqs_error(database_url, redis, make):
    app = _instance(database_url)
    client = app.test_client()
    user = make.user(Role.COORDINATOR)
    login(client, user)
    for url in ("/exports/jobs/{}", "/exports/jobs/{}/status", "/exports/jobs/{}/file", "/api/v1/exports/{}",
                "/api/v1/exports/{}/file"):
        for job_id in ("a.b", "..", "x" * 40):
            assert client.get(url.format(job_id)).status_code == 404, url.format(job_id)
