"""Login throttling that an outsider cannot turn against a user.

Attempts are counted per client address and per client address + account (never per account alone, so nobody
can lock a user out from elsewhere). Each key has several windows (LOGIN_LIMIT_PER_ACCOUNT, e.g. 5 a minute, 10 a
quarter of an hour, 20 an hour), so the wait grows with the failures instead of a hard lock. The attempt is counted
before the password is checked, in one atomic step of the limiter's storage (Redis when REDIS_URL is set, memory
otherwise), so parallel guesses cannot get more real checks than the limits allow.
"""
from contextlib import suppress

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

limiter = Limiter(key_func=get_remote_address)
_memory_fallback = MovingWindowRateLimiter(MemoryStorage())


def _allows(limits_setting: str, *identifiers: str) -> bool:
    items = parse_many(limits_setting)
    try:
        return all(limiter.limiter.hit(item, "login", *identifiers) for item in items)
    except limiter.storage.base_exceptions:
        # Redis unreachable: keep throttling, per process, rather than refuse every login or allow any number
        current_app.logger.warning("Login throttling storage unreachable; counting in this process's memory")
        return all(_memory_fallback.hit(item, "login", *identifiers) for item in items)


def allow_login_attempt(address: str, email: str) -> bool:
    """Count one login attempt from the address for the email; False when it is over a limit (and must not be
    checked). Every window of both keys is counted, whatever the outcome."""
    config = current_app.config
    per_address = _allows(config["LOGIN_LIMIT_PER_ADDRESS"], address)
    per_account = _allows(config["LOGIN_LIMIT_PER_ACCOUNT"], address, email.strip().lower())
    return per_address and per_account


def forget_failures(address: str, email: str) -> None:
    """After a successful login, the address + account windows start again (the address windows do not)."""
    for item in parse_many(current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]):
        for strategy in (limiter.limiter, _memory_fallback):
            with suppress(limiter.storage.base_exceptions):  # unreachable: its counters are not in use
                strategy.clear(item, "login", address, email.strip().lower())


def reset_counters() -> None:
    """Forget every count (the tests start each case afresh)."""
    limiter.reset()
    _memory_fallback.storage.reset()
