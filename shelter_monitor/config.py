"""Settings from the environment. SQLite in instance/ unless DATABASE_URL says otherwise."""
import datetime as dt
import os
import secrets
from pathlib import Path


def normalise_database_url(url: str) -> str:
    """Let a plain postgresql:// URL use psycopg 3 (SQLAlchemy would pick psycopg2 otherwise)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def load_secret_key(instance_path: str) -> str:
    """SECRET_KEY from the environment, or one generated once into instance/secret_key for local runs."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def from_environment(instance_path: str, generate_secret: bool = True) -> dict:
    """Settings read from the environment (and, for local runs, the generated secret key)."""
    max_body = int(os.environ.get("MAX_CONTENT_LENGTH", str(2 * 2**20)))
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(instance_path) / 'shelter_monitor.db'}"
    secure = os.environ.get("SESSION_COOKIE_SECURE", "1") == "1"  # on unless turned off for plain-HTTP local runs
    idle_minutes = int(os.environ.get("SESSION_IDLE_MINUTES", "480"))
    max_days = int(os.environ.get("SESSION_MAX_DAYS", "7"))
    return {
        "SECRET_KEY": load_secret_key(instance_path) if generate_secret else None,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "BABEL_DEFAULT_LOCALE": os.environ.get("DEFAULT_LANGUAGE", "uk"),
        "LANGUAGES": ("uk", "en"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        "HSTS_SECONDS": int(os.environ.get("HSTS_SECONDS", "31536000")),  # sent only with SESSION_COOKIE_SECURE
        "SESSION_IDLE_MINUTES": idle_minutes,
        "SESSION_MAX_DAYS": max_days,
        "PERMANENT_SESSION_LIFETIME": dt.timedelta(days=max_days),
        "WTF_CSRF_TIME_LIMIT": None,
        "PASSWORD_HASH_METHOD": os.environ.get("PASSWORD_HASH_METHOD", "scrypt"),
        "LOGIN_LIMIT_PER_ADDRESS": os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "30 per 10 minutes; 100 per day"),
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get("LOGIN_LIMIT_PER_ACCOUNT",
                                                  "5 per minute; 10 per 15 minutes; 20 per day"),
        "API_LIMIT_PER_TOKEN": os.environ.get("API_LIMIT_PER_TOKEN", "300 per minute; 10000 per hour"),
        "HSDS_PUBLIC": os.environ.get("HSDS_PUBLIC", "0") == "1",  # /api/hsds/ without a token
        "RATELIMIT_STORAGE_URI": os.environ.get("REDIS_URL") or "memory://",
        "RATELIMIT_STRATEGY": "moving-window",
        "PROXY_FIX_X_FOR": int(os.environ.get("PROXY_FIX_X_FOR", "0")),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "1") == "1",
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_SENDER": os.environ.get("MAIL_SENDER", "shelter-monitor@localhost"),
        "RULES_MEDIUM_FINDINGS_NEEDED": int(os.environ.get("RULES_MEDIUM_FINDINGS_NEEDED", "1")),
        "REDIS_URL": os.environ.get("REDIS_URL"),
        "EXPORT_SYNC_LIMIT": int(os.environ.get("EXPORT_SYNC_LIMIT", "300")),
        "EXPORT_TTL_HOURS": float(os.environ.get("EXPORT_TTL_HOURS", "24")),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO").upper(),
        "LOG_FORMAT": os.environ.get("LOG_FORMAT", "text").lower(),
        "AVAILABILITY_STALE_DAYS": int(os.environ.get("AVAILABILITY_STALE_DAYS", "14")),
        "MAX_CONTENT_LENGTH": max_body,
        "MAX_FORM_MEMORY_SIZE": max_body,
        "IMPORT_MAX_BYTES": int(os.environ.get("IMPORT_MAX_BYTES", str(20 * 2**20))),
    }
