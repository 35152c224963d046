"""Entities of the response network: create, edit, deactivate and reactivate them (opening a
territorial office with its administrator is in ``staff``). Only the platform team
(``entity.manage``) does this; every change goes to the audit log."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from urna.accounts import permissions
from urna.audit.services import audit_record, client_ip
from urna.core.errors import InvalidInput
from urna.entities.models import Entity
from urna.territory.models import Department, Municipality

MANAGE_ENTITIES = "entity.manage"
ACRONYM_RE = re.compile(r"[A-Z0-9][A-Z0-9-]{1,39}")
TERRITORIAL_KINDS = frozenset({Entity.Kind.GOVERNORATE, Entity.Kind.MAYORALTY})
# Kinds staff may give an entity (the platform team's own entity is made by the loader only).
EDITABLE_KINDS = [kind for kind in Entity.Kind if kind != Entity.Kind.PLATFORM]
AUDITED_FIELDS = (
    "name",
    "acronym",
    "kind",
    "level",
    "sector",
    "parent_id",
    "department_id",
    "municipality_id",
)


def snapshot(entity: Entity) -> dict[str, Any]:
    return {field: getattr(entity, field) for field in AUDITED_FIELDS}


def _changed(before: dict, after: dict) -> tuple[dict, dict]:
    keys = [key for key in after if before.get(key) != after[key]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _clean(
    *,
    entity: Entity | None,
    name: str,
    acronym: str,
    kind: str,
    department: Department | None,
    municipality: Municipality | None,
    parent: Entity | None,
) -> dict[str, Any]:
    name = " ".join((name or "").split())
    acronym = (acronym or "").strip().upper()
    if not 3 <= len(name) <= 200:
        raise InvalidInput(_("Escriba el nombre de la entidad (3 a 200 caracteres)."), field="name")
    if not ACRONYM_RE.fullmatch(acronym):
        raise InvalidInput(
            _("La sigla lleva de 2 a 40 letras mayúsculas, números o guiones (p. ej. MINTIC)."),
            field="acronym",
        )
    others = Entity.objects.exclude(pk=entity.pk) if entity else Entity.objects.all()
    if others.filter(acronym=acronym).exists():
        raise InvalidInput(_("Ya existe una entidad con esa sigla."), field="acronym")
    if kind not in EDITABLE_KINDS:
        raise InvalidInput(_("Elija el tipo de entidad."), field="kind")
    if municipality is not None:
        department = municipality.department
    if kind == Entity.Kind.MAYORALTY:
        if municipality is None:
            raise InvalidInput(_("Una alcaldía necesita su municipio."), field="municipality")
        if others.filter(kind=kind, municipality=municipality).exists():
            raise InvalidInput(
                _("Ese municipio ya tiene su alcaldía en Urna."), field="municipality"
            )
    if kind == Entity.Kind.GOVERNORATE:
        if department is None or municipality is not None:
            raise InvalidInput(
                _("Una gobernación necesita su departamento, sin municipio."), field="department"
            )
        if others.filter(kind=kind, department=department).exists():
            raise InvalidInput(
                _("Ese departamento ya tiene su gobernación en Urna."), field="department"
            )
    if parent is not None and entity is not None and parent.pk == entity.pk:
        raise InvalidInput(_("Una entidad no puede depender de sí misma."), field="parent")
    territorial = kind in TERRITORIAL_KINDS or (
        kind == Entity.Kind.PARTNER and department is not None
    )
    level = Entity.Level.TERRITORIAL if territorial else Entity.Level.NATIONAL
    return {
        "name": name,
        "acronym": acronym,
        "kind": kind,
        "level": level,
        "department": department,
        "municipality": municipality,
        "parent": parent,
    }


def _unique_slug(acronym: str) -> str:
    base = slugify(acronym)[:50] or "entidad"
    slug, n = base, 1
    while Entity.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def entity_create(
    *,
    by: Any,
    name: str,
    acronym: str,
    kind: str,
    sector: str = "",
    parent: Entity | None = None,
    department: Department | None = None,
    municipality: Municipality | None = None,
    request: Any = None,
) -> Entity:
    """A new entity of the network (a ministry, agency, partner, territorial office…)."""
    permissions.require(by, MANAGE_ENTITIES)
    fields = _clean(
        entity=None,
        name=name,
        acronym=acronym,
        kind=kind,
        department=department,
        municipality=municipality,
        parent=parent,
    )
    entity = Entity.objects.create(
        slug=_unique_slug(fields["acronym"]), sector=" ".join(sector.split())[:120], **fields
    )
    audit_record(
        action="entity.create",
        obj=entity,
        actor=by,
        entity=entity,
        after=snapshot(entity),
        ip=client_ip(request),
    )
    return entity


@transaction.atomic
def entity_update(
    *,
    entity: Entity,
    by: Any,
    name: str,
    acronym: str,
    kind: str,
    sector: str = "",
    parent: Entity | None = None,
    department: Department | None = None,
    municipality: Municipality | None = None,
    request: Any = None,
) -> Entity:
    permissions.require(by, MANAGE_ENTITIES, entity)
    if entity.kind == Entity.Kind.PLATFORM:
        raise InvalidInput(_("El equipo de la plataforma no se edita aquí."))
    fields = _clean(
        entity=entity,
        name=name,
        acronym=acronym,
        kind=kind,
        department=department,
        municipality=municipality,
        parent=parent,
    )
    entity = Entity.objects.select_for_update().get(pk=entity.pk)
    before = snapshot(entity)
    for key, value in fields.items():
        setattr(entity, key, value)
    entity.sector = " ".join(sector.split())[:120]
    entity.save()
    old, new = _changed(before, snapshot(entity))
    if new:
        audit_record(
            action="entity.update",
            obj=entity,
            actor=by,
            entity=entity,
            before=old,
            after=new,
            ip=client_ip(request),
        )
    return entity


@transaction.atomic
def entity_set_active(*, entity: Entity, active: bool, by: Any, request: Any = None) -> Entity:
    """Deactivate an entity (its staff lose their roles' effect and it leaves every list; its
    records stay) or bring it back."""
    permissions.require(by, MANAGE_ENTITIES, entity)
    if entity.kind == Entity.Kind.PLATFORM:
        raise InvalidInput(_("El equipo de la plataforma no se puede desactivar."))
    entity = Entity.objects.select_for_update().get(pk=entity.pk)
    if entity.active == active:
        return entity
    entity.active = active
    entity.save(update_fields=["active"])
    audit_record(
        action="entity.activate" if active else "entity.deactivate",
        obj=entity,
        actor=by,
        entity=entity,
        before={"active": not active},
        after={"active": active},
        ip=client_ip(request),
    )
    return entity
