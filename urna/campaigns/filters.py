"""A segment's filters: what each one means, and how a form, a query string or the API's JSON
becomes the one stored shape (``filters_clean``).

Lists hold values of one kind; a contact matches a list when it matches any of its values, and
matches the segment when it matches every filter that is set:

- interests (``ContactInterest``): ``topics`` (topic slugs), ``entities`` (acronyms),
  ``departments`` / ``municipalities`` (DANE codes), ``exercises`` (slugs);
- territory (where the contact lives): ``in_departments``, ``in_municipalities`` (DANE codes);
- consent: ``channels`` ("sms", "whatsapp", "email"): consented to ``purpose`` by one of them;
- ``purpose``: "campaigns" (default) or "surveys", for ``channels`` and the per-channel counts;
- activity: ``active_days`` (a contribution or a query in the last N days), ``took_part``
  (exercise slugs: contributed to it, or follows it);
- ``languages`` ("es", "en").
"""

import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from urna.contacts.consent import CHANNELS
from urna.core.errors import InvalidInput

LIST_FILTERS = (
    "topics",
    "entities",
    "departments",
    "municipalities",
    "exercises",
    "in_departments",
    "in_municipalities",
    "channels",
    "took_part",
    "languages",
)
PURPOSES = ("campaigns", "surveys")
LANGUAGES = ("es", "en")
MAX_VALUES = 200
ACTIVE_DAYS_MAX = 3650
_VALUE = re.compile(r"^[\w.-]{1,80}$")
_CODE = {"departments": 2, "in_departments": 2, "municipalities": 5, "in_municipalities": 5}


def _split(raw: Any) -> list[str]:
    """A list from a list, or from text separated by commas, spaces or new lines."""
    if raw is None:
        return []
    items = raw if isinstance(raw, (list, tuple)) else [raw]
    values: list[str] = []
    for item in items:
        values.extend(v for v in re.split(r"[\s,;]+", str(item)) if v)
    return values


def filters_clean(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The stored shape of ``raw``: known keys only, values normalised and de-duplicated, empty
    filters left out. ``InvalidInput`` names the filter that is wrong."""
    clean: dict[str, Any] = {}
    for key in LIST_FILTERS:
        values: list[str] = []
        for value in _split(raw.get(key)):
            value = value.strip()
            if key in {"channels", "languages", "topics", "exercises", "took_part"}:
                value = value.lower()
            if key == "entities":
                value = value.upper()
            if not _VALUE.match(value):
                raise InvalidInput(_("Valor no válido: «%(v)s».") % {"v": value[:40]}, field=key)
            if key in _CODE and not (value.isdigit() and len(value) == _CODE[key]):
                raise InvalidInput(
                    _("Use códigos DANE de %(n)s dígitos.") % {"n": _CODE[key]}, field=key
                )
            if key == "channels" and value not in CHANNELS:
                raise InvalidInput(_("Canal no válido: «%(v)s».") % {"v": value}, field=key)
            if key == "languages" and value not in LANGUAGES:
                raise InvalidInput(_("Idioma no válido: «%(v)s».") % {"v": value}, field=key)
            if value not in values:
                values.append(value)
        if len(values) > MAX_VALUES:
            raise InvalidInput(
                _("Como máximo %(n)s valores por filtro.") % {"n": MAX_VALUES}, field=key
            )
        if values:
            clean[key] = values
    purpose = str(raw.get("purpose") or "campaigns")
    if purpose not in PURPOSES:
        raise InvalidInput(_("Finalidad no válida."), field="purpose")
    clean["purpose"] = purpose
    days = raw.get("active_days")
    if days not in (None, ""):
        try:
            days = int(days)
        except (TypeError, ValueError):
            raise InvalidInput(_("Escriba un número de días."), field="active_days") from None
        if not 1 <= days <= ACTIVE_DAYS_MAX:
            raise InvalidInput(
                _("Use entre 1 y %(n)s días.") % {"n": ACTIVE_DAYS_MAX}, field="active_days"
            )
        clean["active_days"] = days
    return clean


def filters_from_query(data: Any) -> dict[str, Any]:
    """The raw filters of a submitted form or a query string (a QueryDict: lists kept)."""
    raw: dict[str, Any] = {}
    for key in LIST_FILTERS:
        raw[key] = data.getlist(key) if hasattr(data, "getlist") else data.get(key)
    raw["purpose"] = data.get("purpose")
    raw["active_days"] = data.get("active_days")
    return raw
