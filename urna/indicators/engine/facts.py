"""Facts being computed: a mapping (key, year, month, scope kind, scope, dim) → value."""

from collections import defaultdict

from urna.indicators.engine.definitions import BY_KEY

FactKey = tuple[str, int, int, str, str, str]


class Facts(defaultdict):
    """Counters of facts. ``add`` counts a value for the platform and for the row's entity and
    department (where the indicator is computed for them), in the month and in the year, and
    under its dimension value when the indicator has one."""

    def __init__(self) -> None:
        super().__init__(float)

    def add(
        self,
        key: str,
        year: int,
        month: int,
        n: float,
        *,
        entity: int | str | None = None,
        department: str | None = None,
        dim: str = "",
    ) -> None:
        definition = BY_KEY[key]
        for scope_kind, scope in scopes_of(definition.scopes, entity, department):
            for period in (month, 0):
                self[(key, year, period, scope_kind, scope, "")] += n
                if dim and definition.dims:
                    self[(key, year, period, scope_kind, scope, dim)] += n

    def put(
        self,
        key: str,
        year: int,
        month: int,
        value: float | None,
        *,
        scope_kind: str = "all",
        scope: str = "",
        dim: str = "",
    ) -> None:
        """Set one value (a distinct count, a percentage); None (nothing to measure) is left
        out, as are scope kinds the indicator is not computed for."""
        if value is not None and scope_kind in BY_KEY[key].scopes:
            self[(key, year, month, scope_kind, str(scope), dim)] = float(value)


def scopes_of(
    allowed: tuple[str, ...], entity: int | str | None, department: str | None
) -> list[tuple[str, str]]:
    scopes = [("all", "")]
    if entity is not None and "entity" in allowed:
        scopes.append(("entity", str(entity)))
    if department and "department" in allowed:
        scopes.append(("department", department))
    return scopes
