"""Settings from the environment. SQLite in instance/ unless DATABASE_URL says otherwise."""
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
    return {
        "SECRET_KEY": load_secret_key(instance_path) if generate_secret else None,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "BABEL_DEFAULT_LOCALE": os.environ.get("DEFAULT_LANGUAGE", "uk"),
        "LANGUAGES": ("uk", "en"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        "PASSWORD_HASH_METHOD": os.environ.get("PASSWORD_HASH_METHOD", "scrypt"),
        "LOGIN_MAX_FAILURES": int(os.environ.get("LOGIN_MAX_FAILURES", "5")),
        "LOGIN_LOCK_MINUTES": int(os.environ.get("LOGIN_LOCK_MINUTES", "15")),
        "RULES_MEDIUM_FINDINGS_NEEDED": int(os.environ.get("RULES_MEDIUM_FINDINGS_NEEDED", "1")),
        "REDIS_URL": os.environ.get("REDIS_URL"),
        "EXPORT_SYNC_LIMIT": int(os.environ.get("EXPORT_SYNC_LIMIT", "300")),
        "AVAILABILITY_STALE_DAYS": int(os.environ.get("AVAILABILITY_STALE_DAYS", "14")),
        "MAX_CONTENT_LENGTH": max_body,
        "MAX_FORM_MEMORY_SIZE": max_body,
        "IMPORT_MAX_BYTES": int(os.environ.get("IMPORT_MAX_BYTES", str(20 * 2**20))),
    }
