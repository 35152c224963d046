import os

from django.core.wsgi import get_wsgi_application

from urna.jobs.catalog import autodiscover

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urna.settings")
application = get_wsgi_application()


warm_state = {"done": False}


def warm() -> None:
    """Import every view, API router and background task, load the translation catalogues and
    compile Urna's templates now, not on the first request: each worker gunicorn starts, or
    replaces when one dies, would otherwise keep its first callers (and those queued behind
    them) waiting for seconds, and a page's first view would take hundreds of milliseconds
    more. Runs once per process; gunicorn's ``post_worker_init`` (``urna.gunicorn_conf``) calls
    it again, a no-op then, before the worker accepts its first connection."""
    if warm_state["done"]:
        return
    from pathlib import Path

    from django.conf import settings
    from django.template.loader import get_template
    from django.urls import URLResolver, get_resolver
    from django.utils import translation

    def populate(resolver: URLResolver) -> None:  # the reverse() tables, namespace by namespace
        resolver.reverse_dict  # noqa: B018
        for _prefix, nested in resolver.namespace_dict.values():
            populate(nested)

    populate(get_resolver())  # imports the URLconf and everything it names
    # Every app's tasks: the first enqueue (a webhook's drain job) would otherwise import them
    # all, the surveys' weighting and the deliberation's maths among them, on a caller's time.
    autodiscover()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Aporte")
    for folder in Path(__file__).resolve().parent.glob("*/templates"):
        for template in folder.rglob("*.html"):
            get_template(template.relative_to(folder).as_posix())  # cached per process
    warm_state["done"] = True


warm()
