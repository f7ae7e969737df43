"""Shelter Monitor: monitoring of shelters that take persons affected by human trafficking.

Importing the package loads nothing else, so that its plain-Python modules (rules, exports, indicators,
programme plans) can be used without Flask. `create_app` comes from shelter_monitor.app on first use, which keeps
`flask --app shelter_monitor` and gunicorn's `shelter_monitor:create_app()` working.
"""

__all__ = ["create_app"]


def __getattr__(name: str):
    if name == "create_app":
        from shelter_monitor.app import create_app

        return create_app
    raise AttributeError(f"module 'shelter_monitor' has no attribute {name!r}")
