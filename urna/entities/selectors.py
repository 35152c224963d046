from django.db.models import QuerySet

from urna.entities.models import Entity


def entity_list(*, level: str | None = None, q: str | None = None, active: bool = True) -> QuerySet:
    qs = Entity.objects.select_related("parent", "department", "municipality")
    if active:
        qs = qs.active()
    if level:
        qs = qs.filter(level=level)
    if q:
        qs = qs.search(q)
    return qs.order_by("level", "name")
