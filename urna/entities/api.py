from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from urna.entities.selectors import entity_list

router = Router(tags=["entidades"])


class EntityOut(Schema):
    id: int
    name: str
    acronym: str
    level: str
    kind: str
    sector: str
    parent: str | None
    department: str | None
    municipality: str | None


class EntityFilters(Schema):
    level: Literal["national", "territorial"] | None = None
    q: str | None = None
    limit: int = Field(200, ge=1, le=1000)
    offset: int = Field(0, ge=0, le=1_000_000)


@router.get("", response=list[EntityOut])
def entities(request: HttpRequest, filters: Query[EntityFilters]):
    """Active government entities. `level` is `national` or `territorial`; `q` searches names."""
    offset, limit = filters.offset, filters.limit
    rows = entity_list(level=filters.level, q=filters.q)[offset : offset + limit]
    return [
        {
            "id": e.id,
            "name": e.name,
            "acronym": e.acronym,
            "level": e.level,
            "kind": e.kind,
            "sector": e.sector,
            "parent": e.parent.acronym if e.parent else None,
            "department": e.department_id,
            "municipality": e.municipality_id,
        }
        for e in rows
    ]
