"""The application factory: configuration, extensions, blueprints, CLI and error handlers (wired in web.py)."""
from flask import Flask

from shelter_monitor import config as settings
from shelter_monitor.web import (
    ROOT,
    register_blueprints,
    register_cli,
    register_errorhandlers,
    register_extensions,
)


def create_app(config: dict | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, CLI and error handlers; nothing else."""
    app = Flask("shelter_monitor", template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"),
                instance_relative_config=True)
    overrides = dict(config or {})
    app.config.update(settings.from_environment(app.instance_path, generate_secret="SECRET_KEY" not in overrides))
    app.config.update(overrides)
    app.config["SQLALCHEMY_DATABASE_URI"] = settings.normalise_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_cli(app)
    return app
