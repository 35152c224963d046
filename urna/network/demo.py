"""Demo of the response network: a partner entity (a university of Caldas that co-runs
exercises with the Mayor's Office of Manizales). The Manizales office's own staff (its
administrator ``admin.manizales`` and manager ``gestor.manizales``), rules, templates and
non-working days come from the accounts and queries demos."""

from django.utils.text import slugify

from urna.entities.models import Entity

PARTNER = {
    "acronym": "UCALDAS",
    "name": "Universidad de Caldas",
    "kind": Entity.Kind.PARTNER,
    "level": Entity.Level.TERRITORIAL,
    "sector": "Educación superior",
    "department_id": "17",
}


def demo_load(*, stdout) -> None:
    _partner, created = Entity.objects.get_or_create(
        acronym=PARTNER["acronym"],
        defaults={**PARTNER, "slug": slugify(PARTNER["acronym"])},
    )
    stdout.write(f"network: {int(created)} partner entity created")
