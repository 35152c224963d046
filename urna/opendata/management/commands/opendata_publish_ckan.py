"""Publish an exercise's open dataset (or a published survey's, or the citizen-queries dataset)
to a CKAN portal.

    manage.py opendata_publish_ckan <exercise-slug>
    manage.py opendata_publish_ckan --encuesta <survey-slug>
    manage.py opendata_publish_ckan --consultas

Needs CKAN_URL and CKAN_API_KEY (or --url/--api-key); --organization sets the CKAN
organisation that owns the package (most portals require one).
"""

import ckanapi
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from urna.opendata.ckan import publish
from urna.opendata.management.publishing import (
    add_dataset_arguments,
    dataset_from_options,
    public_base_url,
)


class Command(BaseCommand):
    help = "Publica un conjunto de datos abiertos en un portal CKAN (API de acciones)."

    def add_arguments(self, parser):
        add_dataset_arguments(parser)
        parser.add_argument("--url", default="", help="URL del portal CKAN (o CKAN_URL)")
        parser.add_argument("--api-key", default="", help="clave del API (o CKAN_API_KEY)")
        parser.add_argument("--organization", default="", help="organización dueña en CKAN")

    def handle(self, *args, **options):
        url = options["url"] or settings.CKAN_URL
        api_key = options["api_key"] or settings.CKAN_API_KEY
        if not url or not api_key:
            raise CommandError("Configure CKAN_URL y CKAN_API_KEY (o use --url y --api-key).")
        dataset = dataset_from_options(options)
        try:
            result = publish(
                dataset,
                url=url,
                api_key=api_key,
                base_url=public_base_url(),
                owner_org=options["organization"] or getattr(settings, "CKAN_OWNER_ORG", ""),
            )
        except ckanapi.CKANAPIError as exc:
            raise CommandError(f"CKAN rechazó la publicación: {exc}") from exc
        verb = "creado" if result.created else "actualizado"
        self.stdout.write(
            f"Paquete {result.name} {verb} en {url} "
            f"({len(result.resources_created)} recursos nuevos, "
            f"{len(result.resources_updated)} actualizados)."
        )
