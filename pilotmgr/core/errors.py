"""Errors that services raise; the web UI and the API each translate them once."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l


class ServiceError(Exception):
    status = 400
    title = "Bad request"

    def __init__(self, detail: str = "", **extra):
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class NotFound(ServiceError):
    status = 404
    title = "Not found"


class PermissionDenied(ServiceError):
    status = 403
    title = "Forbidden"


class ValidationFailed(ServiceError):
    """Field → list of messages; nothing was changed."""

    status = 422
    title = "Unprocessable content"

    def __init__(self, errors: dict[str, list[str]], detail: str = ""):
        super().__init__(detail or "; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


class Conflict(ServiceError):
    status = 409
    title = "Conflict"


class GuardFailed(Conflict):
    """A lifecycle transition whose guard is not yet satisfied."""

    def __init__(self, missing: list[str], detail: str = ""):
        super().__init__(detail or "; ".join(str(m) for m in missing))
        self.missing = missing


class StaleVersion(Conflict):
    def __init__(self, detail: str = ""):
        super().__init__(
            detail or str(_l("Someone else changed this in the meantime. Reload and try again."))
        )


def check_version(obj, version) -> None:
    """Refuse a write based on an out-of-date read (optimistic locking)."""
    if version is None:
        raise ValidationFailed({"version": [str(_l("This field is required."))]})
    if isinstance(version, bool) or (isinstance(version, float) and not version.is_integer()):
        raise ValidationFailed({"version": [str(_l("Must be a whole number."))]})
    try:
        version = int(version)
    except (TypeError, ValueError, OverflowError):
        raise ValidationFailed({"version": [str(_l("Must be a whole number."))]}) from None
    if version != obj.version:
        raise StaleVersion()
