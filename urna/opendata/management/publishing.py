"""What the commands that publish to an outside portal (CKAN, Socrata) share: which dataset to
publish, chosen by an exercise's slug, --encuesta <slug> or --consultas, and the public base
URL of its links."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from urna.core.errors import NotFound
from urna.opendata.datasets import Dataset
from urna.opendata.selectors import dataset_for_slug, queries_dataset, survey_dataset_for_slug


def add_dataset_arguments(parser: Any) -> None:
    parser.add_argument("slug", nargs="?", help="slug del ejercicio")
    parser.add_argument(
        "--encuesta", default="", metavar="SLUG", help="publicar una encuesta de percepción"
    )
    parser.add_argument(
        "--consultas", action="store_true", help="publicar el conjunto de consultas (PQRSD)"
    )


def dataset_from_options(options: dict[str, Any]) -> Dataset:
    """The exercise's dataset, a published survey's or the citizen-queries one; CommandError
    for anything else."""
    chosen = [bool(options["slug"]), bool(options.get("encuesta")), bool(options["consultas"])]
    if sum(chosen) != 1:
        raise CommandError(_("Indique el slug de un ejercicio, --encuesta <slug> o --consultas."))
    try:
        if options["consultas"]:
            return queries_dataset()
        if options.get("encuesta"):
            return survey_dataset_for_slug(options["encuesta"])
        return dataset_for_slug(options["slug"])
    except NotFound as exc:
        raise CommandError(exc.message) from exc


def public_base_url() -> str:
    return settings.PUBLIC_BASE_URL or "http://127.0.0.1:8000"
