from django.utils import timezone

from urna.indicators.models import IndicatorGoal

# Example goals for the current year, in the spirit of Urna de Cristal's annual table.
DEMO_GOALS = {
    "exercises": 12,
    "contributions": 150000,
    "queries_within_term_pct": 95,
    "entities_national": 29,
    "entities_territorial": 10,
}


def demo_load(*, stdout) -> None:
    year = timezone.localdate().year
    created = 0
    for key, target in DEMO_GOALS.items():
        _, was_created = IndicatorGoal.objects.get_or_create(
            year=year, key=key, defaults={"target": target, "note": "Meta de ejemplo"}
        )
        created += was_created
    stdout.write(f"indicators: {created} example goals for {year}")
