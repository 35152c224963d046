"""Demo open data: the demo exercises' datasets exist as soon as their results are published;
here the first open demo exercise also gets a preliminary edition, so both kinds show."""

from django.conf import settings

from urna.accounts.models import User
from urna.exercises.models import Exercise
from urna.opendata.models import DatasetSettings
from urna.opendata.selectors import published_exercises
from urna.opendata.services import dataset_settings_update


def demo_load(*, stdout) -> None:
    if settings.PRODUCTION:
        return
    admin = User.objects.filter(username="admin").first()
    candidate = (
        Exercise.objects.filter(status=Exercise.Status.OPEN, is_example=True).order_by("id").first()
    )
    if admin and candidate and not DatasetSettings.objects.filter(exercise=candidate).exists():
        dataset_settings_update(exercise=candidate, preliminary=True, by=admin)
    count = published_exercises().count()
    stdout.write(
        f"opendata: {count} exercise datasets published (catalogue: /opendata/catalog.json)"
    )
