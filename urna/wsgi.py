import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urna.settings")
application = get_wsgi_application()


def _warm() -> None:
    """Import every view and API router and load the translation catalogues now, not on the
    first request: each worker gunicorn starts, or replaces after ``--max-requests``, would
    otherwise keep its first callers (and those queued behind them) waiting for seconds."""
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 - imports the URLconf and everything it names
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Aporte")


_warm()
