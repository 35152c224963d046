import pytest

from urna.accounts.models import Role
from urna.entities.services import platform_entity
from urna.indicators import services
from urna.indicators.models import IndicatorFact


@pytest.fixture
def platform_staff(make_staff, national_entities):
    """A member of the platform team (role manager in the Urna entity)."""
    return make_staff(platform_entity(), Role.MANAGER, username="equipo.urna")


@pytest.fixture
def fact(db):
    """fact(key, year, month, value, scope_kind="all", scope="", dim="") → an IndicatorFact, as
    the engine stores them (the pages read these only)."""

    def make(key, year, month, value, *, scope_kind="all", scope="", dim=""):
        return IndicatorFact.objects.create(
            key=key,
            year=year,
            month=month,
            value=value,
            scope_kind=scope_kind,
            scope=str(scope),
            dim=dim,
        )

    return make


@pytest.fixture
def make_manual(platform_staff):
    """make_manual(key, **fields) → a manual indicator defined by the platform team (a count,
    summed over the months, in the media group, unless told otherwise)."""

    def make(key, **fields):
        defaults = {
            "label": key.replace("_", " ").capitalize(),
            "unit": "count",
            "aggregation": "sum",
            "group": "media",
            "source": "Fuente de prueba",
        }
        return services.manual_indicator_create(
            by=platform_staff, key=key, **{**defaults, **fields}
        )

    return make
