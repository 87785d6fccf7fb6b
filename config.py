"""Configuration read from the environment."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
#: Local state of one web server (the default SQLite database, import scratch files).
INSTANCE_DIR = Path(os.environ.get("PILOTMGR_INSTANCE_DIR") or BASE_DIR / "instance")


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain postgresql:// URLs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    PILOTMGR_INSTANCE_DIR = str(INSTANCE_DIR)
    SQLALCHEMY_DATABASE_URI = database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'pilotmgr.sqlite'}")
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "8025"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "pilotmgr@localhost")
    #: The domain of every Message-ID; empty means the host of PILOTMGR_BASE_URL, so two
    #: installations never give two mails the same id.
    MAIL_MESSAGE_ID_DOMAIN = os.environ.get("MAIL_MESSAGE_ID_DOMAIN", "")
    PILOTMGR_TIMEZONE = os.environ.get("PILOTMGR_TIMEZONE", "Asia/Ho_Chi_Minh")
    #: Absolute base URL used in e-mails, calendar feeds and memo QR codes.
    #: A pilot that has not changed stage for this many days counts as stuck on the dashboard.
    PILOTMGR_STUCK_DAYS = int(os.environ.get("PILOTMGR_STUCK_DAYS", "30"))
    #: Largest spreadsheet accepted by the bulk import.
    PILOTMGR_IMPORT_MAX_MB = int(os.environ.get("PILOTMGR_IMPORT_MAX_MB", "5"))
    #: What one import may hold: data rows, header columns, characters in one cell.
    PILOTMGR_IMPORT_MAX_ROWS = int(os.environ.get("PILOTMGR_IMPORT_MAX_ROWS", "2000"))
    PILOTMGR_IMPORT_MAX_COLUMNS = int(os.environ.get("PILOTMGR_IMPORT_MAX_COLUMNS", "60"))
    PILOTMGR_IMPORT_MAX_CELL = int(os.environ.get("PILOTMGR_IMPORT_MAX_CELL", "10000"))
    #: Hours an uploaded file waits between its dry run and its commit before it is removed.
    PILOTMGR_IMPORT_KEEP_HOURS = int(os.environ.get("PILOTMGR_IMPORT_KEEP_HOURS", "24"))
    PILOTMGR_BASE_URL = os.environ.get("PILOTMGR_BASE_URL", "http://127.0.0.1:5000")
    #: Evidence and regulation files live in the database ("database", the only store so
    #: far); every web server on the database serves them.
    PILOTMGR_FILE_STORE = os.environ.get("PILOTMGR_FILE_STORE", "database")
    #: Scratch space of the spreadsheet import, and where evidence files lived before
    #: migration 0015 moved them into the database.
    PILOTMGR_UPLOAD_DIR = os.environ.get("PILOTMGR_UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    MAX_CONTENT_LENGTH = int(os.environ.get("PILOTMGR_MAX_UPLOAD_MB", "20")) * 1024 * 1024
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = PILOTMGR_TIMEZONE
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "pilotmgr" / "translations")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None
    PER_PAGE = 25
    #: How long after a rollout is scaled its owner reviews whether it still delivers.
    PILOTMGR_BENEFIT_REVIEW_MONTHS = int(os.environ.get("PILOTMGR_BENEFIT_REVIEW_MONTHS", "6"))


class DevelopmentConfig(Config):
    DEBUG = False


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = database_url(
        os.environ.get("PILOTMGR_TEST_DATABASE_URL", "sqlite://")
    )
    SERVER_NAME = None


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE

    @classmethod
    def check(cls) -> None:
        if not os.environ.get("SECRET_KEY"):
            raise RuntimeError("SECRET_KEY must be set in the environment for production")


def config_from_env() -> type[Config]:
    name = os.environ.get("PILOTMGR_CONFIG", "development").lower()
    return {"production": ProductionConfig, "test": TestConfig}.get(name, DevelopmentConfig)
