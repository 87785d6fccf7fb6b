"""What every web page shares: login, layout globals, error pages, the commit at the edge."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from flask import Flask, flash, g, redirect, render_template, request, url_for
from flask_babel import format_datetime, get_locale
from flask_babel import lazy_gettext as _l
from flask_babel import refresh as babel_refresh

from pilotmgr.core.errors import GuardFailed, ServiceError, StaleVersion, ValidationFailed
from pilotmgr.core.formats import format_day, format_number, format_percent
from pilotmgr.extensions import db, login_manager


def safe_next(target: str | None, default: str) -> str:
    """Only follow redirects to paths on this site: "/…", never "//host" or "/\\host".

    Browsers read a backslash as a slash and drop tabs and line breaks inside a URL, so
    "/\\evil.example", or "/", a tab and "/evil.example", lead off the site; a CR or LF in the
    Location header made the redirect itself fail (500). Any control or format character
    refuses the target.
    """
    if not target or not isinstance(target, str):
        return default
    if "\\" in target or any(unicodedata.category(c)[0] == "C" for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def back(default_endpoint: str = "dashboard.my_work", **values):
    referrer = request.referrer or ""
    host = request.host_url.rstrip("/")
    if referrer.startswith(host):
        return redirect(safe_next(referrer[len(host) :], url_for(default_endpoint, **values)))
    return redirect(url_for(default_endpoint, **values))


def web_service_error(exc: ServiceError):
    if isinstance(exc, StaleVersion):
        return web_stale()
    if exc.status in (403, 404):
        return render_template("errors.html", status=exc.status, message=exc.detail), exc.status
    if isinstance(exc, GuardFailed):
        flash(_l("Not yet possible. Still missing:"), "danger")
        for item in exc.missing:
            flash(str(item), "missing")
    elif isinstance(exc, ValidationFailed):
        # A form re-renders these beside its fields; here no form was at hand, so the messages
        # alone (never the field's code) go above the page.
        for messages in exc.errors.values():
            flash(" ".join(str(m) for m in messages), "danger")
    else:
        flash(str(exc.detail), "danger")
    return back()


def web_stale():
    flash(_l("Someone else changed this in the meantime. Reload and try again."), "danger")
    return back()


def web_http_error(exc):
    """Our own page in the reader's language; Werkzeug's English description is never shown."""
    status = exc.code or 500
    return render_template("errors.html", status=status, message=""), status


def needs_confirmation() -> bool:
    """An irreversible step runs only when its confirmation page sent it back (`confirmed`)."""
    return request.form.get("confirmed") != "1"


def confirmation_page(title, consequences, action_label, cancel_url: str, *, danger: bool = True):
    """Ask once more before an irreversible step, saying what will happen.

    The page posts the same fields again, with `confirmed=1`, to the same address; files
    cannot be carried over, so steps that take a file confirm before the upload instead.
    """
    fields = [
        (key, value)
        for key, value in request.form.items(multi=True)
        if key not in ("csrf_token", "confirmed")
    ]
    return render_template(
        "confirm.html",
        title=title,
        consequences=consequences,
        action_label=action_label,
        cancel_url=cancel_url,
        fields=fields,
        action=request.path,
        danger=danger,
    )


def commit() -> None:
    db.session.commit()


def register_web(app: Flask) -> None:
    """What every page shares: sign-in settings, filters, request state, security headers.

    The features' blueprints, the user loader and the features' template globals are wired
    by the app factory (`pilotmgr.create_app`)."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "warning"

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.filters["date"] = format_day
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters["percent"] = format_percent
    app.jinja_env.filters["datetime"] = lambda d, fmt="HH:mm dd/MM/yyyy": (
        format_datetime(d, fmt) if d else ""
    )

    @app.before_request
    def fresh_request_state():
        # Tests (and CLI code calling the app) may reuse one app context across requests;
        # the locale and the API caller must be worked out anew for every request.
        g.pop("api_user", None)
        babel_refresh()

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response
