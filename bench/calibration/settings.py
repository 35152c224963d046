"""Settings of the calibration app: nothing but one model, one API route and SQLite in WAL."""

import os

SECRET_KEY = "calibration-only-" + "x" * 40
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["calibration"]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "calibration.urls"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["CALIBRATION_DB"],
        "CONN_MAX_AGE": None,
        "OPTIONS": {
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }
}
