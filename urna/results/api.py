"""Staff API of the results matrix: the filtered list with a keyset cursor, the progress, and
one answer for a selection (ticked ids, a campaign group, a theme, a whole filter result).

Mounted by ``urna.api`` under /api/v1 (``api.add_router("", "urna.results.api.router")``)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query as QueryParams
from ninja import Router, Schema

from urna.accounts.api_auth import STAFF_AUTH
from urna.accounts.permissions import can
from urna.core.errors import InvalidInput, NotFound
from urna.exercises.models import Contribution, Exercise
from urna.exercises.selectors import staff_exercise_get
from urna.results import selectors, services
from urna.results.selectors import API_PAGE_MAX, MatrixFilters

router = Router(tags=["matriz de resultados"])


class FiltersIn(Schema):
    tema: int | None = None
    campana: int | None = None
    articulo: int | None = None
    canal: str = ""
    departamento: str = ""
    respondidos: Literal["si", "no", ""] = ""
    con_decision: str = ""
    q: str = ""
    after: int = 0
    limit: int = 50


class ResponseOut(Schema):
    decision: str
    reason: str
    group: str | None


class RowOut(Schema):
    id: int
    receipt: str
    kind: str
    channel: str
    article: int | None
    department: str | None
    text: str
    response: ResponseOut | None


class MatrixOut(Schema):
    answered: int
    total: int
    items: list[RowOut]
    next_cursor: int | None


class AnswerIn(Schema):
    selection: Literal["rows", "filter", "theme", "campaign"]
    decision: str
    reason: str
    title: str = ""
    overwrite: bool = False
    ids: list[int] = []
    tema: int | None = None
    campana: int | None = None
    filters: dict[str, str] = {}


class BatchOut(Schema):
    id: int
    status: str
    group: str
    total: int
    done: int
    answered: int
    skipped: int
    notified: int


def _exercise(request: HttpRequest, slug: str) -> Exercise:
    try:
        return staff_exercise_get(user=request.user, slug=slug, action="contribution.respond")
    except NotFound as exc:
        raise NotFound(_("No encontramos ese ejercicio entre los de su entidad.")) from exc


def _row(c: Contribution, personal: bool) -> dict[str, Any]:
    response = getattr(c, "response", None)
    return {
        "id": c.pk,
        "receipt": c.receipt,
        "kind": c.kind,
        "channel": c.channel,
        "article": c.article.number if c.article_id else None,
        "department": c.department_id,
        "text": c.text if personal else c.masked_text,
        "response": {
            "decision": response.decision,
            "reason": response.reason,
            "group": response.group.title if response.group_id else None,
        }
        if response
        else None,
    }


@router.get("/staff/exercises/{slug}/matrix", response=MatrixOut, auth=STAFF_AUTH)
def matrix_list(request: HttpRequest, slug: str, params: QueryParams[FiltersIn]):
    """The matrix's rows after the id ``after`` (pass ``next_cursor`` back), with the same
    filters as the page (Spanish names) and the answering progress."""
    exercise = _exercise(request, slug)
    if not 1 <= params.limit <= API_PAGE_MAX:
        raise InvalidInput(_("Use un límite entre 1 y %(n)s.") % {"n": API_PAGE_MAX}, field="limit")
    filters = selectors.matrix_filters_parse(params.dict())
    personal = can(request.user, "contribution.view_personal_data", exercise)
    rows = selectors.matrix_after(
        exercise, filters, after=params.after, size=params.limit + 1, personal=personal
    )
    progress = selectors.matrix_progress(exercise)
    more = len(rows) > params.limit
    rows = rows[: params.limit]
    return {
        "answered": progress.answered,
        "total": progress.total,
        "items": [_row(c, personal) for c in rows],
        "next_cursor": rows[-1].pk if more else None,
    }


def _selection(exercise: Exercise, data: AnswerIn, personal: bool) -> tuple[dict, str]:
    if data.selection == "rows":
        return {"ids": data.ids}, ""
    if data.selection == "theme":
        theme = selectors.theme_get(exercise, data.tema)
        if theme is None:
            raise InvalidInput(_("Ese tema no es del análisis actual."), field="tema")
        return {"theme": theme.pk}, theme.name
    if data.selection == "campaign":
        group = selectors.campaign_get(exercise, data.campana)
        if group is None:
            raise InvalidInput(_("Esa campaña no es de este ejercicio."), field="campana")
        return {"group": group.pk}, _("Campaña (%(n)s aportes)") % {"n": group.size}
    filters: MatrixFilters = selectors.matrix_filters_parse(data.filters)
    return {"filters": filters.as_json(), "personal": personal}, ""


@router.post("/staff/exercises/{slug}/matrix/answers", response=BatchOut, auth=STAFF_AUTH)
def matrix_answer(request: HttpRequest, slug: str, data: AnswerIn):
    """One answer for a selection; more than 2,000 members are answered by a background job
    (``status`` "running": read the progress with the matrix list)."""
    exercise = _exercise(request, slug)
    personal = can(request.user, "contribution.view_personal_data", exercise)
    selection, suggested = _selection(exercise, data, personal)
    batch = services.answer_batch_start(
        exercise=exercise,
        kind=data.selection,
        selection=selection,
        title=data.title or suggested,
        decision=data.decision,
        reason=data.reason,
        overwrite=data.overwrite,
        by=request.user,
        request=request,
    )
    return {
        "id": batch.pk,
        "status": batch.status,
        "group": batch.group.title,
        "total": batch.total,
        "done": batch.done,
        "answered": batch.answered,
        "skipped": batch.skipped,
        "notified": batch.notified,
    }
