from urna.entities.services import (
    entities_load_national,
    entity_for_department,
    entity_for_municipality,
)
from urna.territory.models import Department, Municipality

# Territorial governments that run their own exercises in the demo (Manizales, as in the source).
DEMO_MUNICIPALITIES = ["17001", "05001", "76001", "11001", "68001"]


def demo_load(*, stdout) -> None:
    created = entities_load_national()
    entity_for_department(department=Department.objects.get(code="17"))
    for code in DEMO_MUNICIPALITIES:
        entity_for_municipality(municipality=Municipality.objects.get(code=code))
    stdout.write(f"entities: {created} national entities created")
