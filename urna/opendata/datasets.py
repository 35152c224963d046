"""Datasets and their metadata: the Frictionless data package and the DCAT-US catalogue.

A ``Dataset`` is what a catalogue lists: an exercise's dataset (its tables in
``tables.exercise_tables``), a published perception survey's (``survey_tables.survey_tables``)
or the platform's citizen-queries dataset (``platform_tables.query_tables``). Which datasets
exist is decided in ``selectors``; this module only describes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from urna.opendata.tables import Table

EXERCISE = "exercise"
QUERIES = "queries"
SURVEY = "survey"
# The kinds with one dataset per slug; their URL names are "opendata:<kind>_<suffix>".
PER_SLUG = (EXERCISE, SURVEY)

FORMATS = {
    "csv": ("text/csv", "CSV"),
    "json": ("application/json", "JSON"),
}
CSV_DIALECT = {
    "delimiter": ",",
    "lineTerminator": "\r\n",
    "quoteChar": '"',
    "doubleQuote": True,
    "header": True,
}
DCAT_US_SCHEMA = "https://project-open-data.cio.gov/v1.1/schema"
# Known licences by URL: (SPDX-style id, title). Any other URL is published as it is.
LICENSES = {
    "https://creativecommons.org/licenses/by/4.0/": (
        "CC-BY-4.0",
        "Creative Commons Atribución 4.0 Internacional",
    ),
    "https://creativecommons.org/licenses/by-sa/4.0/": (
        "CC-BY-SA-4.0",
        "Creative Commons Atribución-CompartirIgual 4.0 Internacional",
    ),
    "https://creativecommons.org/publicdomain/zero/1.0/": (
        "CC0-1.0",
        "Creative Commons CC0 1.0 Universal (dominio público)",
    ),
    "https://opendatacommons.org/licenses/odbl/1-0/": (
        "ODbL-1.0",
        "Open Data Commons Open Database License 1.0",
    ),
}


PACKAGE_TITLE = _("Paquete de datos (Frictionless Data)")
ZIP_TITLE = _("Todo el paquete en un archivo ZIP")


_SLUG_MARK = "slug-placeholder-3f9c"


@lru_cache(maxsize=32)
def _url_template(name: str, script_prefix: str) -> str:
    # One reverse() per URL name instead of three per dataset: the catalogue lists thousands.
    return reverse(name, kwargs={"slug": _SLUG_MARK})


def license_info() -> dict[str, str]:
    url = settings.OPENDATA_LICENSE
    name, title = LICENSES.get(url, ("other", url))
    return {"name": name, "path": url, "title": title}


@dataclass
class Dataset:
    kind: str  # EXERCISE, SURVEY or QUERIES
    # stable public id: "urna-ejercicio-<slug>", "urna-encuesta-<slug>", "urna-pqrsd"
    identifier: str
    title: str
    description: str
    keywords: list[str]
    publisher: str
    publisher_acronym: str
    spatial: str
    temporal: tuple[date | None, date | None]
    modified: datetime
    tables: list[Table]
    issued: datetime | None = None
    preliminary: bool = False
    partners: list[str] = field(default_factory=list)
    exercise: Any = None  # the Exercise, for exercise datasets
    survey: Any = None  # the Survey, for survey datasets

    @property
    def subject(self) -> Any:
        """What the tables are read for: the exercise, the survey, or None (the platform)."""
        return self.exercise if self.exercise is not None else self.survey

    @property
    def slug(self) -> str | None:
        return getattr(self.subject, "slug", None)

    @property
    def owner(self) -> Any:
        """The entity whose data it is; None for the platform's own datasets."""
        if self.exercise is not None:
            return self.exercise.owner
        return getattr(self.survey, "entity", None)

    def table(self, name: str) -> Table | None:
        return next((t for t in self.tables if t.name == name), None)

    # --- URLs (paths; absolute with ``absolute``) ---

    def _path(self, suffix: str) -> str:
        if self.kind in PER_SLUG:
            return _url_template(f"opendata:{self.kind}_{suffix}", get_script_prefix()).replace(
                _SLUG_MARK, self.slug or ""
            )
        return reverse(f"opendata:queries_{suffix}")

    def landing_path(self) -> str:
        return self._path("page")

    @cached_property
    def _package_path(self) -> str:
        return self._path("package")

    def resource_path(self, table: Table, fmt: str) -> str:
        # Resources sit next to datapackage.json (one reverse() per dataset: the catalogue
        # lists a thousand datasets).
        return self._package_path.removesuffix("datapackage.json") + f"{table.name}.{fmt}"

    def package_path(self) -> str:
        return self._package_path

    def zip_path(self) -> str:
        return self._path("zip")

    def zip_filename(self) -> str:
        return f"{self.identifier}.zip"

    @property
    def temporal_text(self) -> str:
        start, end = self.temporal
        return f"{start.isoformat() if start else ''}/{end.isoformat() if end else ''}"


def absolute(path: str, base_url: str) -> str:
    return base_url.rstrip("/") + path


def datapackage(dataset: Dataset, *, base_url: str, local: bool = False) -> dict[str, Any]:
    """The Frictionless Tabular Data Package descriptor (``datapackage.json``).

    ``local`` gives resource paths inside the ZIP (``data/<name>.csv``); otherwise each path is
    the CSV's download URL, so the descriptor works on its own.
    """
    landing = absolute(dataset.landing_path(), base_url)
    resources = []
    for table in dataset.tables:
        path = (
            f"data/{table.name}.csv"
            if local
            else absolute(dataset.resource_path(table, "csv"), base_url)
        )
        resources.append(
            {
                "name": table.name,
                "title": str(table.title),
                "description": str(table.description),
                "path": path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": CSV_DIALECT,
                "schema": table.schema(),
            }
        )
    descriptor: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": dataset.identifier,
        "id": landing,
        "title": dataset.title,
        "description": dataset.description,
        "homepage": landing,
        "created": dataset.modified.isoformat(),
        "keywords": dataset.keywords,
        "licenses": [license_info()],
        "contributors": [{"title": dataset.publisher, "role": "publisher"}]
        + [{"title": name, "role": "contributor"} for name in dataset.partners],
        "sources": [{"title": "Urna", "path": landing}],
        "resources": resources,
    }
    return descriptor


def catalog_entry(
    dataset: Dataset, *, base_url: str, texts: dict[int, str] | None = None
) -> dict[str, Any]:
    """One dataset of the DCAT-US (Project Open Data v1.1) catalogue.

    ``texts`` memoises translated labels across the datasets of one catalogue: every exercise
    shares the same tables, and a thousand datasets would otherwise mean tens of thousands of
    gettext lookups.
    """
    texts = {} if texts is None else texts

    def text(value: Any) -> str:
        # Keyed by identity: hashing a lazy translation would translate it.
        found = texts.get(id(value))
        if found is None:
            found = texts[id(value)] = str(value)
        return found

    landing = absolute(dataset.landing_path(), base_url)
    package_url = absolute(dataset.package_path(), base_url)
    distributions: list[dict[str, Any]] = []
    for table in dataset.tables:
        for fmt, (media_type, label) in FORMATS.items():
            distributions.append(
                {
                    "@type": "dcat:Distribution",
                    "title": f"{text(table.title)} ({label})",
                    "description": text(table.description),
                    "downloadURL": absolute(dataset.resource_path(table, fmt), base_url),
                    "mediaType": media_type,
                    "format": label,
                    "describedBy": package_url,
                    "describedByType": "application/json",
                }
            )
    distributions.append(
        {
            "@type": "dcat:Distribution",
            "title": text(PACKAGE_TITLE),
            "downloadURL": package_url,
            "mediaType": "application/json",
            "format": "Data Package",
            "conformsTo": "https://specs.frictionlessdata.io/data-package/",
        }
    )
    distributions.append(
        {
            "@type": "dcat:Distribution",
            "title": text(ZIP_TITLE),
            "downloadURL": absolute(dataset.zip_path(), base_url),
            "mediaType": "application/zip",
            "format": "ZIP",
        }
    )
    entry: dict[str, Any] = {
        "@type": "dcat:Dataset",
        "identifier": dataset.identifier,
        "title": dataset.title,
        "description": dataset.description,
        "keyword": dataset.keywords,
        "modified": dataset.modified.isoformat(),
        "publisher": {"@type": "org:Organization", "name": dataset.publisher},
        "contactPoint": {
            "@type": "vcard:Contact",
            "fn": dataset.publisher,
            "hasEmail": "mailto:" + contact_email(),
        },
        "accessLevel": "public",
        "license": settings.OPENDATA_LICENSE,
        "rights": text(LICENSES.get(settings.OPENDATA_LICENSE, ("", settings.OPENDATA_LICENSE))[1]),
        "spatial": dataset.spatial,
        "temporal": dataset.temporal_text,
        "landingPage": landing,
        "language": ["es-CO"],
        "distribution": distributions,
    }
    if dataset.issued:
        entry["issued"] = dataset.issued.date().isoformat()
    return entry


def catalog(datasets: list[Dataset], *, base_url: str) -> dict[str, Any]:
    texts: dict[int, str] = {}
    return {
        "@context": f"{DCAT_US_SCHEMA}/catalog.jsonld",
        "@id": absolute(reverse("opendata:catalog"), base_url),
        "@type": "dcat:Catalog",
        "conformsTo": DCAT_US_SCHEMA,
        "describedBy": f"{DCAT_US_SCHEMA}/catalog.json",
        "dataset": [catalog_entry(d, base_url=base_url, texts=texts) for d in datasets],
    }


def contact_email() -> str:
    """The open-data contact address; ``OPENDATA_CONTACT_EMAIL`` when the deployment sets it."""
    configured = getattr(settings, "OPENDATA_CONTACT_EMAIL", "")
    if configured:
        return configured
    sender = settings.DEFAULT_FROM_EMAIL
    return sender.split("<")[-1].rstrip(">").strip() if "<" in sender else sender


def local_date(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment else None
