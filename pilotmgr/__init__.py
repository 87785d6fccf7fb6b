"""pilotmgr: pilot, select the successful one, roll out."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, g, request
from flask_login import current_user

from config import Config, ProductionConfig, config_from_env
from pilotmgr.extensions import babel, csrf, db, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def get_locale() -> str:
    user = getattr(g, "api_user", None)
    if user is None and current_user and current_user.is_authenticated:
        user = current_user
    if user is not None:
        return user.lang
    lang = request.cookies.get("lang") if request else None
    return lang if lang in ("vi", "en") else "vi"


def create_app(config_class: type[Config] | None = None) -> Flask:
    config_class = config_class or config_from_env()
    if issubclass(config_class, ProductionConfig):
        config_class.check()
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_path=str(getattr(config_class, "PILOTMGR_INSTANCE_DIR", ROOT / "instance")),
        instance_relative_config=False,
    )
    app.config.from_object(config_class)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from pilotmgr import models  # noqa: F401  (every table known before anything else)
    from pilotmgr.core.models import normalise_text_on_set

    normalise_text_on_set(db.Model)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(
        app, locale_selector=get_locale, timezone_selector=lambda: app.config["PILOTMGR_TIMEZONE"]
    )

    from pilotmgr.core.urls import register_converters
    from pilotmgr.core.web import register_web

    register_converters(app)
    register_web(app)
    from pilotmgr.api import register_api

    register_api(app)
    from pilotmgr.cli import register_cli

    register_cli(app)
    return app
