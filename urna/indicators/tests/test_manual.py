"""Manual indicators and goals: what the platform team types is validated with a clear Spanish
error on the field, and every create, change and delete is in the audit log."""

from datetime import date
from decimal import Decimal

import pytest

from urna.accounts.models import Role
from urna.audit.models import AuditEntry
from urna.core.errors import Conflict, InvalidInput, PermissionDenied
from urna.indicators import services
from urna.indicators.models import IndicatorGoal, ManualIndicator, ManualValue

TODAY = date(2026, 6, 15)


@pytest.fixture
def followers(make_manual):
    return make_manual(
        "seguidores_propios",
        label="Seguidores de las cuentas de la plataforma",
        aggregation="last",
        group="social",
        source="Estadísticas de las redes",
    )


@pytest.fixture
def perception(make_manual):
    return make_manual("confianza", unit="percent", aggregation="last", group="perception")


def _value(by, indicator, period, value, **kw):
    return services.manual_value_create(
        by=by, indicator=indicator, period=period, value=value, today=TODAY, **kw
    )


@pytest.mark.parametrize(
    ("period", "value", "field", "message"),
    [
        ("2026-05", "-3", "value", "El valor no puede ser negativo."),
        ("2026-05", "muchos", "value", "Escriba un número, por ejemplo 1250 o 35,5"),
        ("2026-05", "", "value", "Escriba un número"),
        ("2026-05", "NaN", "value", "Escriba un número"),
        ("2026-05", "12,5", "value", "Una cantidad debe ser un número entero."),
        ("mayo", "10", "period", "Periodo no reconocido: escriba el año (por ejemplo 2025)"),
        ("2026-13", "10", "period", "El mes debe estar entre 1 y 12."),
        ("2026-00", "10", "period", "El mes debe estar entre 1 y 12."),
        ("1999", "10", "period", "El año debe ser 2000 o posterior."),
        ("2026-07", "10", "period", "El periodo 2026-07 aún no ha empezado"),
        ("2027", "10", "period", "El periodo 2027 aún no ha empezado"),
    ],
)
def test_bad_manual_input_is_refused_with_a_clear_error_on_the_field(
    followers, platform_staff, period, value, field, message
):
    with pytest.raises(InvalidInput) as refused:
        _value(platform_staff, followers, period, value)

    assert refused.value.field == field
    assert refused.value.message.startswith(message)
    assert ManualValue.objects.count() == 0
    assert not AuditEntry.objects.filter(action="indicators.value_create").exists()


def test_a_percent_above_100_is_refused(perception, platform_staff):
    with pytest.raises(InvalidInput) as refused:
        _value(platform_staff, perception, "2026", "100,5")

    assert refused.value.field == "value"
    assert refused.value.message == "Un porcentaje no puede ser mayor que 100."


def test_a_value_is_recorded_with_period_source_and_audit(followers, platform_staff, agri):
    row = _value(platform_staff, followers, "2026/3", "481047", note="Cierre de marzo")
    by_entity = _value(platform_staff, followers, "2026", "1200", entity=agri, source="X")

    assert (row.year, row.month, row.value, row.source) == (
        2026,
        3,
        Decimal("481047.00"),
        "Estadísticas de las redes",
    )
    assert row.entered_by == platform_staff
    assert (by_entity.month, by_entity.entity, by_entity.source) == (0, agri, "X")
    entries = AuditEntry.objects.filter(action="indicators.value_create").order_by("id")
    assert [e.object_id for e in entries] == [str(row.pk), str(by_entity.pk)]
    assert entries[0].after == {
        "indicator": "seguidores_propios",
        "entity": None,
        "year": 2026,
        "month": 3,
        "value": "481047.00",
        "source": "Estadísticas de las redes",
        "note": "Cierre de marzo",
    }
    assert entries[0].actor == platform_staff
    assert entries[1].entity == agri


def test_the_same_period_twice_is_a_conflict_on_the_period(followers, platform_staff):
    _value(platform_staff, followers, "2026-03", "10")

    with pytest.raises(Conflict) as refused:
        _value(platform_staff, followers, "2026-3", "11")

    assert refused.value.field == "period"
    assert "2026-03" in refused.value.message
    assert ManualValue.objects.count() == 1


def test_update_and_delete_are_audited_with_before_and_after(followers, platform_staff):
    row = _value(platform_staff, followers, "2026-03", "10")

    services.manual_value_update(by=platform_staff, row=row, value="12", source="Nueva fuente")
    services.manual_value_delete(by=platform_staff, row=ManualValue.objects.get(pk=row.pk))

    update = AuditEntry.objects.get(action="indicators.value_update")
    assert update.before == {"value": "10.00", "source": "Estadísticas de las redes"}
    assert update.after == {"value": "12.00", "source": "Nueva fuente"}
    delete = AuditEntry.objects.get(action="indicators.value_delete")
    assert delete.before["value"] == "12.00"
    assert ManualValue.objects.count() == 0


def test_an_update_with_a_bad_value_changes_nothing(followers, platform_staff):
    row = _value(platform_staff, followers, "2026-03", "10")

    with pytest.raises(InvalidInput):
        services.manual_value_update(by=platform_staff, row=row, value="-1", source="X")

    assert ManualValue.objects.get(pk=row.pk).value == Decimal("10.00")
    assert not AuditEntry.objects.filter(action="indicators.value_update").exists()


def test_definitions_are_validated_and_audited(platform_staff, make_manual, followers):
    with pytest.raises(Conflict) as taken:
        make_manual("people_reached")
    with pytest.raises(InvalidInput) as summed_percent:
        make_manual("menciones_pct", unit="percent", aggregation="sum")
    with pytest.raises(InvalidInput) as bad_key:
        make_manual("Menciones en medios")
    services.manual_indicator_update(
        by=platform_staff,
        indicator=followers,
        label="Seguidores propios",
        unit="count",
        aggregation="last",
        group="social",
        source="Estadísticas de las redes",
    )

    assert taken.value.field == "key"
    assert summed_percent.value.field == "aggregation"
    assert bad_key.value.field == "key"
    assert AuditEntry.objects.get(action="indicators.manual_create").after["key"] == (
        "seguidores_propios"
    )
    update = AuditEntry.objects.get(action="indicators.manual_update")
    assert update.before == {"label": "Seguidores de las cuentas de la plataforma"}
    assert update.after == {"label": "Seguidores propios"}


def test_an_indicator_with_values_is_not_deleted(followers, platform_staff):
    _value(platform_staff, followers, "2026", "10")

    with pytest.raises(Conflict):
        services.manual_indicator_delete(by=platform_staff, indicator=followers)

    assert ManualIndicator.objects.filter(pk=followers.pk).exists()


def test_goals_for_the_platform_and_an_entity_are_set_changed_and_audited(platform_staff, agri):
    platform_goal = services.goal_set(
        by=platform_staff, key="people_reached", year=2026, target="150000", today=TODAY
    )
    entity_goal = services.goal_set(
        by=platform_staff, key="people_reached", year=2026, target="9000", entity=agri, today=TODAY
    )
    changed = services.goal_set(
        by=platform_staff, key="people_reached", year=2026, target="160000", today=TODAY
    )

    assert changed.pk == platform_goal.pk
    assert IndicatorGoal.objects.count() == 2
    assert IndicatorGoal.objects.get(pk=entity_goal.pk).entity == agri
    assert [
        e.action
        for e in AuditEntry.objects.filter(action__startswith="indicators.goal").order_by("id")
    ] == [
        "indicators.goal_create",
        "indicators.goal_create",
        "indicators.goal_update",
    ]
    last = AuditEntry.objects.filter(action="indicators.goal_update").get()
    assert last.before == {"target": "150000.00", "note": ""}
    assert last.after["target"] == "160000.00"

    services.goal_delete(by=platform_staff, goal=IndicatorGoal.objects.get(pk=entity_goal.pk))
    assert AuditEntry.objects.filter(action="indicators.goal_delete").count() == 1


@pytest.mark.parametrize(
    ("key", "year", "target", "field", "message"),
    [
        ("no_such_indicator", 2026, "10", "key", "Indicador desconocido."),
        ("people_reached", 2028, "10", "year", "El año de una meta va de 2000 a 2027."),
        ("people_reached", 2026, "-5", "target", "El valor no puede ser negativo."),
        ("replies_within_term_pct", 2026, "101", "target", "Un porcentaje no puede ser mayor"),
        ("people_reached", 2026, "diez", "target", "Escriba un número"),
    ],
)
def test_bad_goals_are_refused(platform_staff, key, year, target, field, message):
    with pytest.raises(InvalidInput) as refused:
        services.goal_set(by=platform_staff, key=key, year=year, target=target, today=TODAY)

    assert refused.value.field == field
    assert refused.value.message.startswith(message)
    assert IndicatorGoal.objects.count() == 0


def test_a_goal_for_a_manual_indicator_and_days_with_decimals(platform_staff, followers):
    services.goal_set(
        by=platform_staff, key="seguidores_propios", year=2026, target="500000", today=TODAY
    )
    services.goal_set(
        by=platform_staff, key="replies_median_days", year=2026, target="7,5", today=TODAY
    )

    assert sorted(IndicatorGoal.objects.values_list("key", "target")) == [
        ("replies_median_days", Decimal("7.50")),
        ("seguidores_propios", Decimal("500000.00")),
    ]


def test_only_platform_staff_write_manual_figures_and_goals(make_staff, agri, followers):
    manager = make_staff(agri, Role.MANAGER)

    with pytest.raises(PermissionDenied):
        services.goal_set(by=manager, key="people_reached", year=2026, target="1", today=TODAY)
    with pytest.raises(PermissionDenied):
        _value(manager, followers, "2026", "1", entity=agri)

    assert IndicatorGoal.objects.count() == 0
    assert ManualValue.objects.count() == 0
