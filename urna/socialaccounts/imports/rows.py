"""One row of an imported file: read, checked and imported, or rejected with its reason.

Accounts go through the registry's services one row at a time (a few thousand accounts, each
audited with its changes); figures, tens of thousands a year, are compared with what is stored
and written a chunk at a time, audited in one insert per chunk.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from urna.audit.services import audit_record_many
from urna.core.errors import DomainError, InvalidInput
from urna.entities.models import Entity
from urna.socialaccounts.imports import values
from urna.socialaccounts.models import SocialAccount, SocialFigure
from urna.socialaccounts.services import SYSTEM_LABEL, account_clean, account_create, account_update


class RowRejected(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class RowsBase:
    """Reads the cells of a row by field and imports chunks of rows: subclasses say what one
    row does (``import_row`` returns created, updated or unchanged, or raises RowRejected)."""

    def __init__(self, *, by: Any, allowed: set[int] | None, columns: dict[str, int]):
        self.by = by
        self.allowed = allowed
        self.columns = columns

    def cell(self, cells: list[str], field: str) -> str:
        index = self.columns.get(field)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def check_scope(self, entity_id: int) -> None:
        if self.allowed is not None and entity_id not in self.allowed:
            raise RowRejected(_("sin permiso sobre la entidad de la cuenta"))

    def import_chunk(self, chunk: list[tuple[int, list[str]]]) -> tuple[dict, list]:
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        rejections = []
        for number, cells in chunk:
            try:
                if not any(cells):
                    raise RowRejected(_("fila vacía"))
                counts[self.import_row(cells)] += 1
            except RowRejected as exc:
                rejections.append((number, exc.reason, cells))
        return counts, rejections

    def import_row(self, cells: list[str]) -> str:
        raise NotImplementedError

    def account_key(self, cells: list[str]) -> tuple[str, str, str]:
        """(network, stored handle, URL) of the row, checked against its URL when both are given."""
        network = values.network_of(self.cell(cells, "network"))
        if network is None:
            raise RowRejected(_("red social desconocida"))
        try:
            handle, url = account_clean(
                network=network,
                handle=self.cell(cells, "handle"),
                profile_url=self.cell(cells, "profile_url"),
            )
        except InvalidInput as exc:
            raise RowRejected(values.reason_of(exc)) from exc
        return network, handle, url


class AccountRows(RowsBase):
    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.entities = {e.acronym.upper(): e for e in Entity.objects.all()}
        self.seen: set[tuple[str, str]] = set()

    def import_row(self, cells: list[str]) -> str:
        entity = self.entities.get(self.cell(cells, "entity").upper())
        if entity is None:
            raise RowRejected(_("sigla de entidad desconocida"))
        self.check_scope(entity.pk)
        network, handle, url = self.account_key(cells)
        if (network, handle) in self.seen:
            raise RowRejected(_("duplicada: la cuenta ya está en una fila anterior del archivo"))
        fields = self.optional_fields(cells)
        try:
            outcome = self.write(entity, network, handle, url, fields)
        except DomainError as exc:
            raise RowRejected(values.reason_of(exc)) from exc
        self.seen.add((network, handle))
        return outcome

    def write(self, entity: Entity, network: str, handle: str, url: str, fields: dict) -> str:
        existing = SocialAccount.objects.filter(network=network, handle=handle).first()
        if existing is None:
            account_create(
                by=self.by, entity=entity, network=network, handle=handle, profile_url=url, **fields
            )
            return "created"
        self.check_scope(existing.entity_id)
        fields.pop("listed_on", None)
        before = existing.updated_at
        account = account_update(
            account=existing, by=self.by, entity=entity, profile_url=url, **fields
        )
        return "unchanged" if account.updated_at == before else "updated"

    def optional_fields(self, cells: list[str]) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        if name := self.cell(cells, "name"):
            fields["name"] = name
        if raw := self.cell(cells, "verified"):
            verified = values.yes_no(raw)
            if verified is None:
                raise RowRejected(_("verificada: escriba sí o no"))
            fields["verified"] = verified
        if raw := self.cell(cells, "status"):
            status = values.status_of(raw)
            if status is None:
                raise RowRejected(_("estado no válido (activa, inactiva, cerrada o en revisión)"))
            fields["status"] = status
        if raw := self.cell(cells, "listed_on"):
            fields["listed_on"] = values.date_of(raw)
            if fields["listed_on"] is None:
                raise RowRejected(_("desde: fecha no válida (use AAAA-MM-DD o DD/MM/AAAA)"))
        return fields


class FigureRows(RowsBase):
    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        # Whole accounts (a few thousand), so that writing and auditing a figure reads none.
        self.accounts = {
            (a.network, a.handle): a
            for a in SocialAccount.objects.only("pk", "network", "handle", "entity_id")
        }
        self.by_id = {a.pk: a for a in self.accounts.values()}
        self.seen: set[tuple[int, date]] = set()
        self.today = timezone.localdate()

    def read(self, cells: list[str]) -> tuple[int, int, date, int, int | None]:
        """(account id, its entity id, day, followers, posts) of a row, or RowRejected."""
        network, handle, _url = self.account_key(cells)
        found = self.accounts.get((network, handle))
        if found is None:
            raise RowRejected(_("cuenta no registrada: impórtela antes como cuenta"))
        account_id, entity_id = found.pk, found.entity_id
        self.check_scope(entity_id)
        day = values.date_of(self.cell(cells, "date"))
        if day is None:
            raise RowRejected(_("fecha no válida (use AAAA-MM-DD o DD/MM/AAAA)"))
        if day > self.today:
            raise RowRejected(_("fecha futura"))
        followers = values.whole_number(self.cell(cells, "followers"))
        if followers is None:
            raise RowRejected(_("seguidores: no es un número entero"))
        if followers < 0:
            raise RowRejected(_("seguidores negativos"))
        posts = None
        if raw := self.cell(cells, "posts"):
            posts = values.whole_number(raw)
            if posts is None:
                raise RowRejected(_("publicaciones: no es un número entero"))
            if posts < 0:
                raise RowRejected(_("publicaciones negativas"))
        if (account_id, day) in self.seen:
            raise RowRejected(_("duplicada: la misma cuenta y fecha está en una fila anterior"))
        self.seen.add((account_id, day))
        return account_id, entity_id, day, followers, posts

    def import_chunk(self, chunk: list[tuple[int, list[str]]]) -> tuple[dict, list]:
        read, rejections = [], []
        for number, cells in chunk:
            try:
                if not any(cells):
                    raise RowRejected(_("fila vacía"))
                read.append(self.read(cells))
            except RowRejected as exc:
                rejections.append((number, exc.reason, cells))
        counts = self.write(read)
        return counts, rejections

    def write(self, read: list[tuple[int, int, date, int, int | None]]) -> dict[str, int]:
        """Create the new figures, update those whose values changed, audit both."""
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        stored = {
            (f.account_id, f.date): f
            for f in SocialFigure.objects.filter(
                account_id__in={r[0] for r in read}, date__in={r[2] for r in read}
            )
        }
        new, changed, audited = [], [], []
        for account_id, _entity_id, day, followers, posts in read:
            figure = stored.get((account_id, day))
            if figure is not None and (figure.followers, figure.posts) == (followers, posts):
                counts["unchanged"] += 1
                continue
            after = {"date": day.isoformat(), "followers": followers, "posts": posts}
            if figure is None:
                figure = SocialFigure(account=self.by_id[account_id], date=day)
                new.append(figure)
                before = None
            else:
                figure.account = self.by_id[account_id]
                before = {"followers": figure.followers, "posts": figure.posts}
                changed.append(figure)
            figure.followers, figure.posts = followers, posts
            figure.source = SocialFigure.Source.CSV
            audited.append((figure, before, after))
        SocialFigure.objects.bulk_create(new, batch_size=500)
        SocialFigure.objects.bulk_update(changed, ["followers", "posts", "source"], batch_size=500)
        counts["created"], counts["updated"] = len(new), len(changed)
        audit_record_many(
            action="socialfigure.record",
            entries=audited,
            actor=self.by,
            actor_label="" if self.by is not None else SYSTEM_LABEL,
        )
        return counts
