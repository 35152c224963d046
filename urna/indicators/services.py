"""Writes of the platform team: manual indicators, their values and the goals.

Only platform staff enter them (the figures speak for the whole platform, across entities).
Every create, change and delete runs in a transaction and is written to the audit log. Bad
input is refused with an ``InvalidInput`` naming the field, in Spanish.
"""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.accounts.permissions import is_platform_staff
from urna.audit.services import audit_record
from urna.core.errors import Conflict, InvalidInput, PermissionDenied
from urna.entities.models import Entity
from urna.indicators.engine.reads import definition
from urna.indicators.models import IndicatorGoal, ManualIndicator, ManualValue

FIRST_YEAR = 2000
PERIOD = re.compile(r"^\s*(\d{4})(?:\s*[-/]\s*(\d{1,2}))?\s*$")
KEY = re.compile(r"^[a-z][a-z0-9_]{2,59}$")
MANUAL_FIELDS = ("label", "unit", "aggregation", "group", "source", "description")


def _require_platform_staff(by: Any) -> None:
    if not is_platform_staff(by):
        raise PermissionDenied(
            _("Solo el equipo de la plataforma registra indicadores manuales y metas."),
            code="forbidden",
        )


def period_parse(text: str, *, today=None) -> tuple[int, int]:
    """``"2025"`` → (2025, 0), the whole year; ``"2025-03"`` (or ``2025/3``) → (2025, 3).
    Refuses what is not a period, a month outside 1-12, a year before 2000 and a period that
    has not begun."""
    match = PERIOD.match(text or "")
    if match is None:
        raise InvalidInput(
            _(
                "Periodo no reconocido: escriba el año (por ejemplo 2025) o el año y el mes "
                "(por ejemplo 2025-03)."
            ),
            field="period",
        )
    year, month = int(match[1]), int(match[2] or 0)
    if match[2] is not None and not 1 <= month <= 12:
        raise InvalidInput(_("El mes debe estar entre 1 y 12."), field="period")
    period_check(year, month, today=today)
    return year, month


def period_check(year: int, month: int, *, today=None, field: str = "period") -> None:
    today = today or timezone.localdate()
    if year < FIRST_YEAR:
        raise InvalidInput(
            _("El año debe ser %(first)s o posterior.") % {"first": FIRST_YEAR}, field=field
        )
    if not 0 <= month <= 12:
        raise InvalidInput(_("El mes debe estar entre 1 y 12."), field=field)
    if year > today.year or (year == today.year and month > today.month):
        shown = f"{year}-{month:02d}" if month else str(year)
        raise InvalidInput(
            _("El periodo %(period)s aún no ha empezado: no se registran datos futuros.")
            % {"period": shown},
            field=field,
        )


def number_parse(raw: Any, *, unit: str, field: str = "value") -> Decimal:
    """A figure typed by a person: ``1250``, ``1250.5`` or ``1250,5`` (a decimal comma, as
    written in Colombia). Refuses what is not a number, a negative number, a percent above 100
    and a count with decimals."""
    text = str(raw if raw is not None else "").strip().replace(" ", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise InvalidInput(
            _("Escriba un número, por ejemplo 1250 o 35,5 (sin puntos de miles)."), field=field
        )
    if value < 0:
        raise InvalidInput(_("El valor no puede ser negativo."), field=field)
    if unit == ManualIndicator.Unit.PERCENT and value > 100:
        raise InvalidInput(_("Un porcentaje no puede ser mayor que 100."), field=field)
    if unit == ManualIndicator.Unit.COUNT and value != value.to_integral_value():
        raise InvalidInput(_("Una cantidad debe ser un número entero."), field=field)
    if value >= Decimal("1e13"):
        raise InvalidInput(_("El número es demasiado grande."), field=field)
    return value.quantize(Decimal("0.01"))


def _text(value: str, *, field: str, required: bool = True, limit: int = 200) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(_("Este campo es obligatorio."), field=field)
    if len(value) > limit:
        raise InvalidInput(
            _("El texto es demasiado largo (máximo %(n)s caracteres).") % {"n": limit}, field=field
        )
    return value


def _audit_change(
    action: str, obj: Any, by: Any, before: dict, after: dict, entity: Any = None
) -> None:
    """One audit entry with the fields that changed, none when nothing did."""
    changed = [name for name in after if before.get(name) != after[name]]
    if changed:
        audit_record(
            action=action,
            obj=obj,
            actor=by,
            before={name: before.get(name) for name in changed},
            after={name: after[name] for name in changed},
            entity=entity,
        )


def _delete_audited(action: str, obj: Any, by: Any, before: dict, entity: Any = None) -> None:
    with transaction.atomic():
        audit_record(action=action, obj=obj, actor=by, before=before, entity=entity)
        obj.delete()


def _audit_fields(obj: Any, names: tuple[str, ...]) -> dict[str, Any]:
    out = {}
    for name in names:
        value = getattr(obj, name)
        out[name] = str(value) if isinstance(value, Decimal) else value
    return out


# --- manual indicator definitions ----------------------------------------------------------------


def _manual_clean(fields: dict[str, Any]) -> dict[str, Any]:
    clean = {
        "label": _text(fields.get("label", ""), field="label", limit=160),
        "source": _text(fields.get("source", ""), field="source"),
        "description": _text(
            fields.get("description", ""), field="description", required=False, limit=2000
        ),
    }
    for name, choices in (
        ("unit", ManualIndicator.Unit),
        ("aggregation", ManualIndicator.Aggregation),
        ("group", ManualIndicator.Group),
    ):
        if fields.get(name) not in choices.values:
            raise InvalidInput(_("Elija una de las opciones."), field=name)
        clean[name] = fields[name]
    if (
        clean["unit"] == ManualIndicator.Unit.PERCENT
        and clean["aggregation"] == ManualIndicator.Aggregation.SUM
    ):
        raise InvalidInput(
            _("Los porcentajes no se suman: el valor del año es el último dato."),
            field="aggregation",
        )
    return clean


def manual_indicator_create(
    *, by: Any, key: str, is_example: bool = False, **fields: Any
) -> ManualIndicator:
    """Define a manual indicator: ``label``, ``unit``, ``aggregation``, ``group``, ``source``
    and optionally ``description``. The key is stable (goals and the API name it)."""
    _require_platform_staff(by)
    key = (key or "").strip().lower()
    if not KEY.match(key):
        raise InvalidInput(
            _("La clave lleva de 3 a 60 letras minúsculas, números o guiones bajos."), field="key"
        )
    if definition(key) is not None or ManualIndicator.objects.filter(key=key).exists():
        raise Conflict(
            _("Ya existe un indicador con la clave «%(key)s».") % {"key": key}, field="key"
        )
    clean = _manual_clean(fields)
    with transaction.atomic():
        indicator = ManualIndicator.objects.create(key=key, is_example=is_example, **clean)
        audit_record(
            action="indicators.manual_create",
            obj=indicator,
            actor=by,
            after={"key": key, **_audit_fields(indicator, MANUAL_FIELDS)},
        )
    return indicator


def manual_indicator_update(*, by: Any, indicator: ManualIndicator, **fields: Any) -> None:
    _require_platform_staff(by)
    clean = _manual_clean(fields)
    with transaction.atomic():
        locked = ManualIndicator.objects.select_for_update().get(pk=indicator.pk)
        before = _audit_fields(locked, MANUAL_FIELDS)
        for name, value in clean.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(clean))
        after = _audit_fields(locked, MANUAL_FIELDS)
        _audit_change("indicators.manual_update", locked, by, before, after)
    for name, value in clean.items():
        setattr(indicator, name, value)


def manual_indicator_delete(*, by: Any, indicator: ManualIndicator) -> None:
    """Only an indicator without values goes: a figure once published is deleted one by one,
    each in the audit log."""
    _require_platform_staff(by)
    with transaction.atomic():
        if ManualValue.objects.filter(indicator=indicator).exists():
            raise Conflict(
                _("El indicador tiene datos registrados: borre primero sus datos."), field="key"
            )
        audit_record(
            action="indicators.manual_delete",
            obj=indicator,
            actor=by,
            before={"key": indicator.key, **_audit_fields(indicator, MANUAL_FIELDS)},
        )
        indicator.delete()


# --- manual values -------------------------------------------------------------------------------

VALUE_FIELDS = ("year", "month", "value", "source", "note")


def _value_audit(value: ManualValue) -> dict[str, Any]:
    return {
        "indicator": value.indicator.key,
        "entity": value.entity_id,
        **_audit_fields(value, VALUE_FIELDS),
    }


def manual_value_create(
    *,
    by: Any,
    indicator: ManualIndicator,
    period: str,
    value: Any,
    source: str = "",
    note: str = "",
    entity: Entity | None = None,
    is_example: bool = False,
    today=None,
) -> ManualValue:
    """Record a figure of a manual indicator for a period (``"2025"`` or ``"2025-03"``), for
    the platform or for one ``entity``. The source defaults to the indicator's."""
    _require_platform_staff(by)
    year, month = period_parse(period, today=today)
    number = number_parse(value, unit=indicator.unit)
    row = ManualValue(
        indicator=indicator,
        year=year,
        month=month,
        entity=entity,
        value=number,
        source=_text(source or indicator.source, field="source"),
        note=_text(note, field="note", required=False, limit=300),
        is_example=is_example,
        entered_by=by if getattr(by, "is_authenticated", False) else None,
    )
    try:
        with transaction.atomic():
            row.save()
            audit_record(
                action="indicators.value_create",
                obj=row,
                actor=by,
                after=_value_audit(row),
                entity=entity,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("Ya hay un dato de este indicador para el periodo %(period)s: edítelo.")
            % {"period": row.period},
            field="period",
        ) from exc
    return row


def manual_value_update(
    *, by: Any, row: ManualValue, value: Any, source: str, note: str = ""
) -> None:
    """Correct a figure (its period and scope stay; delete it and enter another to move it)."""
    _require_platform_staff(by)
    number = number_parse(value, unit=row.indicator.unit)
    source = _text(source, field="source")
    note = _text(note, field="note", required=False, limit=300)
    with transaction.atomic():
        locked = ManualValue.objects.select_for_update().select_related("indicator").get(pk=row.pk)
        before = _value_audit(locked)
        locked.value, locked.source, locked.note = number, source, note
        locked.entered_by = by if getattr(by, "is_authenticated", False) else locked.entered_by
        locked.save(update_fields=["value", "source", "note", "entered_by", "updated_at"])
        after = _value_audit(locked)
        _audit_change("indicators.value_update", locked, by, before, after, locked.entity)
    row.value, row.source, row.note = number, source, note


def manual_value_delete(*, by: Any, row: ManualValue) -> None:
    _require_platform_staff(by)
    _delete_audited("indicators.value_delete", row, by, _value_audit(row), row.entity)


# --- goals ---------------------------------------------------------------------------------------


def indicator_unit(key: str) -> str | None:
    """The unit of a computed or manual indicator, or None for an unknown key."""
    computed = definition(key)
    if computed is not None:
        return computed.unit
    return ManualIndicator.objects.filter(key=key).values_list("unit", flat=True).first()


def goal_set(
    *,
    by: Any,
    key: str,
    year: int,
    target: Any,
    entity: Entity | None = None,
    note: str = "",
    is_example: bool = False,
    today=None,
) -> IndicatorGoal:
    """Set (create or change) the goal of an indicator for a year, for the platform or for one
    entity. A goal may be set for next year, not beyond."""
    _require_platform_staff(by)
    unit = indicator_unit(key)
    if unit is None:
        raise InvalidInput(_("Indicador desconocido."), field="key")
    today = today or timezone.localdate()
    if not FIRST_YEAR <= year <= today.year + 1:
        raise InvalidInput(
            _("El año de una meta va de %(first)s a %(last)s.")
            % {"first": FIRST_YEAR, "last": today.year + 1},
            field="year",
        )
    number = number_parse(target, unit="number" if unit == "days" else unit, field="target")
    note = _text(note, field="note", required=False)
    try:
        with transaction.atomic():
            goal = (
                IndicatorGoal.objects.select_for_update()
                .filter(key=key, year=year, entity=entity)
                .first()
            )
            before = None
            if goal is None:
                goal = IndicatorGoal(key=key, year=year, entity=entity)
            else:
                before = {"target": str(goal.target), "note": goal.note}
            goal.target, goal.note = number, note
            goal.is_example = is_example if before is None else goal.is_example
            goal.updated_by = by if getattr(by, "is_authenticated", False) else None
            goal.save()
            audit_record(
                action="indicators.goal_update" if before else "indicators.goal_create",
                obj=goal,
                actor=by,
                before=before,
                after={"key": key, "year": year, "target": str(number), "note": note},
                entity=entity,
            )
    except IntegrityError as exc:  # another person set the same goal at the same moment
        raise Conflict(
            _("Otra persona acaba de fijar esta meta: vuelva a intentarlo."), field="key"
        ) from exc
    return goal


def goal_delete(*, by: Any, goal: IndicatorGoal) -> None:
    _require_platform_staff(by)
    before = {"key": goal.key, "year": goal.year, "target": str(goal.target)}
    _delete_audited("indicators.goal_delete", goal, by, before, goal.entity)
