from io import StringIO

import pytest

from urna.opendata.tests.conftest import make_exercise, seed_contributions

pytestmark = pytest.mark.django_db


def test_demo_data_is_idempotent(national_entities, settings, tmp_path, make_staff):
    from urna.accounts.models import Role
    from urna.audit.models import AuditEntry
    from urna.entities.models import Entity
    from urna.exercises.models import Exercise
    from urna.opendata.demo import demo_load as opendata_demo
    from urna.opendata.models import DatasetSettings
    from urna.reports.demo import demo_load as reports_demo
    from urna.reports.models import ReportFile, ReportTakeaways

    settings.MEDIA_ROOT = tmp_path
    make_staff(Entity.objects.get(acronym="URNA"), Role.ADMIN, username="admin")
    owner = Entity.objects.get(acronym="MINAGRICULTURA")
    done = make_exercise(owner=owner, slug="demo-resultados", status="results", is_example=True)
    seed_contributions(done)
    make_exercise(owner=owner, slug="demo-abierto", status=Exercise.Status.OPEN, is_example=True)

    for _ in range(2):
        opendata_demo(stdout=StringIO())
        reports_demo(stdout=StringIO())

    assert DatasetSettings.objects.get().exercise.slug == "demo-abierto"
    assert ReportTakeaways.objects.get().exercise == done
    assert ReportFile.objects.get().exercise == done
    assert AuditEntry.objects.filter(action="opendata.settings").count() == 1
    assert AuditEntry.objects.filter(action="report.takeaways").count() == 1
