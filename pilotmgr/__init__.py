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

    from pilotmgr.api import register_api
    from pilotmgr.core.urls import register_converters
    from pilotmgr.core.web import register_web

    register_converters(app)
    register_web(app)
    register_features(app)
    from pilotmgr.auth.service import user_for_token

    register_api(app, api_routes(), token_user=user_for_token)
    from pilotmgr.cli import register_cli

    register_cli(app)
    return app


def api_routes() -> tuple:
    """Every feature's API operations."""
    from pilotmgr.auth import api as auth
    from pilotmgr.discussion import api as discussion
    from pilotmgr.exports import api as exports
    from pilotmgr.memos import api as memos
    from pilotmgr.pilots import api as pilots
    from pilotmgr.reminders import api as reminders
    from pilotmgr.results import api as results
    from pilotmgr.rollout import api as rollout
    from pilotmgr.units import api as units

    features = (auth, units, pilots, results, rollout, memos, reminders, discussion, exports)
    return tuple(feature.routes for feature in features)


def register_features(app: Flask) -> None:
    """The features' web side: who is signed in, what every template may name, every page."""
    from pilotmgr.auth import admin_views
    from pilotmgr.auth.models import ROLE_LABELS, User
    from pilotmgr.auth.views import bp as auth_bp
    from pilotmgr.dashboard.views import bp as dashboard_bp
    from pilotmgr.dashboard.views import my_work_page
    from pilotmgr.discussion.views import bp as discussion_bp
    from pilotmgr.exports.imports import bp as imports_bp
    from pilotmgr.exports.views import bp as exports_bp
    from pilotmgr.memos.views import bp as memos_bp
    from pilotmgr.memos.views import pilot_memos
    from pilotmgr.notices.notifications import unread_count
    from pilotmgr.pilots import lifecycle
    from pilotmgr.pilots.history import describe
    from pilotmgr.pilots.stages import Stage
    from pilotmgr.pilots.views import bp as pilots_bp
    from pilotmgr.programmes.views import bp as programmes_bp
    from pilotmgr.reminders import mail_views
    from pilotmgr.reminders.views import bp as reminders_bp
    from pilotmgr.results.views import bp as results_bp
    from pilotmgr.rollout import merge_views
    from pilotmgr.rollout.views import bp as rollout_bp
    from pilotmgr.search.views import bp as search_bp
    from pilotmgr.units.views import bp as admin_bp

    @login_manager.user_loader
    def load_user(user_id: str):
        # A deactivated account's open sessions end with it.
        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        return user if user is not None and user.is_active else None

    app.jinja_env.globals.update(
        STAGE_LABELS=lifecycle.STAGE_LABELS,
        OUTCOME_LABELS=lifecycle.OUTCOME_LABELS,
        STAGES=lifecycle.STAGES,
        Stage=Stage,
        FINISHED_STAGES=lifecycle.FINISHED,
        ROLLOUT_STAGES=lifecycle.ROLLOUT,
        ROLE_LABELS=ROLE_LABELS,
        describe_history=describe,
    )

    @app.context_processor
    def layout_globals():
        signed_in = current_user and current_user.is_authenticated
        return {"unread_count": unread_count(current_user) if signed_in else 0}

    # The pilot pages show what features built on pilots add: the memos block, and a task's
    # form that failed on "my work" comes back on that page.
    app.extensions["pilotmgr.memos_block"] = pilot_memos
    app.extensions["pilotmgr.my_work_page"] = my_work_page
    admin_views.routes.attach(admin_bp)  # the users' pages live under /admin with the units'
    merge_views.routes.attach(admin_bp)  # merging units moves pilots and rollout targets
    mail_views.routes.attach(reminders_bp)  # mail settings and the admins' mail problems
    for blueprint in (
        auth_bp,
        dashboard_bp,
        pilots_bp,
        admin_bp,
        reminders_bp,
        results_bp,
        rollout_bp,
        memos_bp,
        discussion_bp,
        exports_bp,
        imports_bp,
        search_bp,
        programmes_bp,
    ):
        app.register_blueprint(blueprint)
