from django.db.models import QuerySet

from urna.territory.models import Department, Municipality


def department_list() -> QuerySet[Department]:
    return Department.objects.order_by("code")


def municipality_list(*, department: str | None = None, q: str | None = None) -> QuerySet:
    qs = Municipality.objects.select_related("department").order_by("code")
    if department:
        qs = qs.filter(department_id=department)
    if q:
        qs = qs.filter(display_name__icontains=q)
    return qs


def municipality_get(code: str | None) -> Municipality | None:
    if not code:
        return None
    return Municipality.objects.select_related("department").filter(code=code).first()
