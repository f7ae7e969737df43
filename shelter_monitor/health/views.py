"""Health checks for a load balancer or an orchestrator: no login, and nothing revealed beyond the answer.

/healthz: the process answers (liveness). /readyz: the database answers `SELECT 1` and, when REDIS_URL is set,
Redis answers PING (readiness); 503 otherwise, without saying which or why.
"""
from flask import Blueprint, current_app
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from shelter_monitor.extensions import db

blueprint = Blueprint("health", __name__)
ENDPOINTS = {"health.healthz", "health.readyz"}  # no session, no user, no login throttling, no CSRF
REDIS_TIMEOUT_SECONDS = 2
PLAIN = {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@blueprint.get("/healthz")
def healthz():
    return "ok", 200, PLAIN


@blueprint.get("/readyz")
def readyz():
    if _database_answers() and _redis_answers():
        return "ok", 200, PLAIN
    return "unavailable", 503, PLAIN


def _database_answers() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        current_app.logger.warning("readiness: the database does not answer")
        return False
    finally:
        db.session.remove()


def _redis_answers() -> bool:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return True
    client = Redis.from_url(url, socket_timeout=REDIS_TIMEOUT_SECONDS, socket_connect_timeout=REDIS_TIMEOUT_SECONDS)
    try:
        return bool(client.ping())
    except RedisError:
        current_app.logger.warning("readiness: Redis does not answer")
        return False
    finally:
        client.close()
