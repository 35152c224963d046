from django.http import HttpRequest
from ninja import Router, Schema

from urna.core.errors import NotFound
from urna.territory.models import Department
from urna.territory.selectors import department_list, municipality_list

router = Router(tags=["territorio"])


class DepartmentOut(Schema):
    code: str
    name: str


class MunicipalityOut(Schema):
    code: str
    name: str
    department: str
    kind: str


@router.get("/departments", response=list[DepartmentOut])
def departments(request: HttpRequest):
    """Colombia's 33 departments (Bogotá D.C. included) with their DANE codes."""
    return [{"code": d.code, "name": d.display_name} for d in department_list()]


@router.get("/municipalities", response=list[MunicipalityOut])
def municipalities(request: HttpRequest, department: str | None = None, q: str | None = None):
    """Municipalities (DANE DIVIPOLA), optionally of one department (`department=17`)."""
    if department and not Department.objects.filter(code=department).exists():
        raise NotFound(f"No existe el departamento con código DANE «{department}».")
    return [
        {"code": m.code, "name": m.display_name, "department": m.department_id, "kind": m.kind}
        for m in municipality_list(department=department, q=q)
    ]
