"""Load everything a fresh installation shows: territory, entities and each app's demo data.

Idempotent: running it again changes nothing. Each app that has demo data provides
``urna/<app>/demo.py`` with ``demo_load(stdout)``; they run in INSTALLED_APPS order.
"""

import importlib

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load DIVIPOLA, the national entities and the demo data of every app (idempotent)."

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            if not config.name.startswith("urna."):
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            module.demo_load(stdout=self.stdout)
