"""Publish an exercise's open dataset (or a published survey's, or the citizen-queries dataset)
to a Socrata portal such as datos.gov.co, one Socrata dataset per table.

    manage.py opendata_publish_socrata <exercise-slug>
    manage.py opendata_publish_socrata --encuesta <survey-slug>
    manage.py opendata_publish_socrata --consultas

Needs SOCRATA_DOMAIN and SOCRATA_API_KEY_ID/SOCRATA_API_KEY_SECRET (or SOCRATA_USERNAME/
SOCRATA_PASSWORD); SOCRATA_CATEGORY (or --categoria) sets the portal's category. Publishing
again replaces the same Socrata datasets; --recrear creates new ones (when the old ones were
deleted on the portal).
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from urna.opendata.management.publishing import (
    add_dataset_arguments,
    dataset_from_options,
    public_base_url,
)
from urna.opendata.socrata import SocrataError, portal_from_settings, publish


class Command(BaseCommand):
    help = "Publica un conjunto de datos abiertos en un portal Socrata (datos.gov.co)."

    def add_arguments(self, parser):
        add_dataset_arguments(parser)
        parser.add_argument("--dominio", default="", help="dominio del portal (o SOCRATA_DOMAIN)")
        parser.add_argument(
            "--categoria", default="", help="categoría del portal (o SOCRATA_CATEGORY)"
        )
        parser.add_argument(
            "--recrear",
            action="store_true",
            help="crear conjuntos nuevos en vez de reemplazar los publicados antes",
        )

    def handle(self, *args, **options):
        try:
            portal = portal_from_settings(domain=options["dominio"], category=options["categoria"])
        except SocrataError as exc:
            raise CommandError(exc.message) from exc
        dataset = dataset_from_options(options)
        try:
            result = publish(
                dataset, portal=portal, base_url=public_base_url(), recreate=options["recrear"]
            )
        except SocrataError as exc:
            raise CommandError(exc.message) from exc
        for table in result.tables:
            verb = _("creado") if table.created else _("reemplazado")
            if table.awaiting_approval:
                verb += " " + _("(en espera de aprobación del portal)")
            self.stdout.write(f"{table.table}: {table.url(result.domain)} {verb}")
        self.stdout.write(
            _(
                "%(dataset)s publicado en %(domain)s: %(new)s conjuntos nuevos, "
                "%(old)s reemplazados."
            )
            % {
                "dataset": dataset.identifier,
                "domain": result.domain,
                "new": result.created,
                "old": result.replaced,
            }
        )
