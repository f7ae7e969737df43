"""Log lines as text or JSON: one line per request, and every unhandled error with its traceback.

A request line holds the method, the path without its query string, the status, the duration in milliseconds and
the user id ("-" when nobody is logged in): never a query string, a form value, an answer or a name. LOG_LEVEL
(default INFO) and LOG_FORMAT (text | json) come from the environment. Under gunicorn the lines go to gunicorn's
error log (stderr unless --error-logfile says otherwise), elsewhere to stderr.
"""
import datetime as dt
import json
import logging
import sys

FORMATS = ("text", "json")
REQUEST_FIELDS = ("method", "path", "status", "duration_ms", "user")


class TextFormatter(logging.Formatter):
    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the request fields of a request line, and the
    traceback of an error."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
                 "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        entry.update(getattr(record, "request", {}))
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class ForwardHandler(logging.StreamHandler):
    """Writes to the stream of another handler (gunicorn's error log), read at each line because gunicorn reopens
    its log files on SIGUSR1."""

    def __init__(self, target: logging.StreamHandler):
        super().__init__(target.stream)
        self.target = target

    def emit(self, record: logging.LogRecord) -> None:
        self.setStream(self.target.stream)
        super().emit(record)


class OwnHandler(logging.StreamHandler):
    """stderr, when no gunicorn error log is there to join."""


def configure_logger(logger: logging.Logger, level: str, format_: str) -> None:
    """Send the logger's records (and its children's, such as the request lines) to gunicorn's error log when
    running under gunicorn, to stderr otherwise, formatted as asked. Handlers installed by an earlier call (another
    app in the same process) are replaced, not added to."""
    if format_ not in FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(FORMATS)}, not {format_!r}")
    from flask.logging import default_handler

    for handler in list(logger.handlers):
        if handler is default_handler or isinstance(handler, (ForwardHandler, OwnHandler)):
            logger.removeHandler(handler)
    gunicorn = [handler for handler in logging.getLogger("gunicorn.error").handlers
                if isinstance(handler, logging.StreamHandler)]
    handlers = [ForwardHandler(handler) for handler in gunicorn] or [OwnHandler(sys.stderr)]
    formatter = JsonFormatter() if format_ == "json" else TextFormatter()
    for handler in handlers:
        handler.setFormatter(formatter)
        logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False  # one line each, even where the root logger has handlers of its own


def request_line(logger: logging.Logger, method: str, path: str, status: int, duration_ms: float,
                 user: str) -> None:
    """Log one finished request. The path is cut to 200 characters, any control character in it shown as "?"
    (a request line cannot forge another)."""
    path = "".join(c if c.isprintable() else "?" for c in path[:200])
    fields = {"method": method, "path": path, "status": status, "duration_ms": round(duration_ms, 1), "user": user}
    logger.info("%s %s %s %.1f ms user=%s", method, path, status, duration_ms, user, extra={"request": fields})
