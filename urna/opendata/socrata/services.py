"""Publishing a dataset's tables to a Socrata portal through the Dataset Management API.

For each table: open a revision (``replace`` on the Socrata dataset remembered for that table,
or a new dataset the first time), upload the anonymised CSV as the revision's source, give each
column its type, title and description, wait for the portal to validate the rows, apply the
revision and wait for the job. The id of a new dataset is remembered as soon as the portal
gives it, so a publication that fails halfway is completed on the same dataset next time.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from socrata import Socrata
from socrata.authorization import Authorization
from socrata.revisions import Revision, Revisions

from urna.audit.services import audit_record
from urna.opendata.datasets import Dataset
from urna.opendata.models import SocrataDataset
from urna.opendata.socrata.errors import PORTAL_ERRORS, SocrataError, portal_error
from urna.opendata.socrata.metadata import column_changes, revision_metadata
from urna.opendata.tables import Table

APPROVAL = "submitted_for_approval"
# Between two looks at a job the portal is running; jobs take seconds to minutes.
POLL_SECONDS = 2.0


@dataclass(frozen=True)
class Portal:
    domain: str  # "www.datos.gov.co"
    username: str  # an API key id, or a user's e-mail
    password: str = field(repr=False)  # its secret, or the user's password
    category: str = ""
    poll_seconds: float = POLL_SECONDS
    timeout_seconds: float = 3 * 3600


@dataclass
class PublishedTable:
    table: str
    fourfour: str
    created: bool
    status: str  # "successful", or APPROVAL on portals that review publications

    @property
    def awaiting_approval(self) -> bool:
        return self.status == APPROVAL

    def url(self, domain: str) -> str:
        return f"https://{domain}/d/{self.fourfour}"


@dataclass
class SocrataResult:
    domain: str
    tables: list[PublishedTable] = field(default_factory=list)

    @property
    def created(self) -> int:
        return sum(1 for t in self.tables if t.created)

    @property
    def replaced(self) -> int:
        return len(self.tables) - self.created


def portal_from_settings(*, domain: str = "", category: str = "") -> Portal:
    """The portal configured in settings (an API key before a user's password); SocrataError
    naming the missing settings when it is not configured."""
    domain = (domain or getattr(settings, "SOCRATA_DOMAIN", "")).strip()
    domain = domain.removeprefix("https://").removeprefix("http://").rstrip("/")
    key_id = getattr(settings, "SOCRATA_API_KEY_ID", "")
    key_secret = getattr(settings, "SOCRATA_API_KEY_SECRET", "")
    username = key_id or getattr(settings, "SOCRATA_USERNAME", "")
    password = key_secret if key_id else getattr(settings, "SOCRATA_PASSWORD", "")
    if not domain or not username or not password:
        raise SocrataError(
            _(
                "Configure SOCRATA_DOMAIN y una credencial del portal: SOCRATA_API_KEY_ID y "
                "SOCRATA_API_KEY_SECRET (recomendado) o SOCRATA_USERNAME y SOCRATA_PASSWORD."
            )
        )
    return Portal(
        domain=domain,
        username=username,
        password=password,
        category=category or getattr(settings, "SOCRATA_CATEGORY", ""),
        poll_seconds=POLL_SECONDS,
    )


def socrata_ids(*, domain: str, dataset: str) -> dict[str, str]:
    """The remembered Socrata id of each table of ``dataset`` on ``domain``."""
    return dict(
        SocrataDataset.objects.filter(domain=domain, dataset=dataset).values_list(
            "table", "fourfour"
        )
    )


def publish(
    dataset: Dataset, *, portal: Portal, base_url: str, recreate: bool = False
) -> SocrataResult:
    """Publish every table of ``dataset`` to ``portal``, replacing the Socrata datasets published
    before (``recreate`` forgets them and creates new ones). Raises SocrataError."""
    auth = Authorization(portal.domain, portal.username, portal.password)
    known = {} if recreate else socrata_ids(domain=portal.domain, dataset=dataset.identifier)
    result = SocrataResult(domain=portal.domain)
    for table in dataset.tables:
        result.tables.append(
            _publish_table(
                dataset,
                table,
                auth=auth,
                portal=portal,
                base_url=base_url,
                fourfour=known.get(table.name, ""),
            )
        )
    return result


def _publish_table(
    dataset: Dataset, table: Table, *, auth: Any, portal: Portal, base_url: str, fourfour: str
) -> PublishedTable:
    metadata = revision_metadata(dataset, table, base_url=base_url, category=portal.category)
    created = not fourfour
    try:
        if created:
            revision = Socrata(auth).new(metadata)
            fourfour = revision.view_id()
            _remember(portal.domain, dataset, table, fourfour)
        else:
            revision = Revisions(fourfour, auth).create_replace_revision(metadata=metadata)
        output = _upload(revision, dataset, table, portal)
        job = revision.apply(output_schema=output)
        job = job.wait_for_finish(sleeptime=portal.poll_seconds, timeout=portal.timeout_seconds)
    except PORTAL_ERRORS as exc:
        raise portal_error(exc, domain=portal.domain, table=table.name, fourfour=fourfour) from exc
    published = PublishedTable(
        table=table.name, fourfour=fourfour, created=created, status=job.attributes["status"]
    )
    _record(portal.domain, dataset, published)
    return published


def _upload(revision: Revision, dataset: Dataset, table: Table, portal: Portal) -> Any:
    """Upload the table's CSV into the revision and type its columns; the validated output
    schema. The CSV is streamed into a temporary file first: constant memory, and the database
    is read in this thread, never in socrata-py's upload threads."""
    source = revision.create_upload(f"{table.name}.csv")
    with tempfile.TemporaryFile() as handle:
        for chunk in table.csv(dataset.subject):
            handle.write(chunk)
        handle.seek(0)
        source = source.csv(handle)
    output = source.get_latest_input_schema().get_latest_output_schema()
    for name, transform, title, description in column_changes(table):
        output.change_column_transform(name).to(transform)
        output.change_column_metadata(name, "display_name").to(title)
        output.change_column_metadata(name, "description").to(description)
    output = output.run().wait_for_finish(
        sleeptime=portal.poll_seconds, timeout=portal.timeout_seconds
    )
    errors = output.attributes.get("error_count") or 0
    if errors:
        revision.discard()
        raise SocrataError(
            _(
                "El portal %(domain)s no pudo leer %(count)s valores de la tabla %(table)s; no "
                "se publicó y la revisión se descartó. Es un error de Urna: repórtelo."
            )
            % {"domain": portal.domain, "count": errors, "table": table.name}
        )
    return output


def _remember(domain: str, dataset: Dataset, table: Table, fourfour: str) -> None:
    SocrataDataset.objects.update_or_create(
        domain=domain,
        dataset=dataset.identifier,
        table=table.name,
        defaults={"fourfour": fourfour, "created_at": timezone.now(), "published_at": None},
    )


def _record(domain: str, dataset: Dataset, published: PublishedTable) -> None:
    with transaction.atomic():
        row = SocrataDataset.objects.select_for_update().get(
            domain=domain, dataset=dataset.identifier, table=published.table
        )
        row.published_at = timezone.now()
        row.save(update_fields=["published_at"])
        audit_record(
            action="opendata.socrata_publish",
            obj=row,
            actor_label="manage.py opendata_publish_socrata",
            entity=dataset.owner,
            after={
                "tabla": published.table,
                "socrata": published.fourfour,
                "creado": published.created,
                "estado": published.status,
            },
        )
