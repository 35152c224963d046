from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema

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
    limit: int = 200
    offset: int = 0


@router.get("", response=list[EntityOut])
def entities(request: HttpRequest, filters: Query[EntityFilters]):
    """Active government entities. `level` is `national` or `territorial`; `q` searches names."""
    limit = max(1, min(filters.limit, 1000))
    offset = max(0, filters.offset)
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
