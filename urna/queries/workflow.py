"""The queries workflow, declared as data.

For each action on a query: the states it may start from, the states it leads to, the permission
it needs, the workspace URL segment and form, and the message shown when it is done. Services
refuse what a row does not allow (``check``), the workspace offers only what ``offered`` allows
(the ``can`` of the detail page), and templates read those answers; nothing else lists states.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from urna.accounts import permissions
from urna.core.errors import Conflict
from urna.queries import terms
from urna.queries.forms import CompletionForm, ExtendForm, PublishForm, TransferForm
from urna.queries.models import Query, QueryState

S = QueryState


@dataclass(frozen=True)
class Guard:
    """A condition besides the state (a term is extended once; only an answer is published)."""

    holds: Callable[[Query], bool]
    message: Promise
    code: str


@dataclass(frozen=True)
class Action:
    name: str
    # The workspace URL segment (/consultas/gestion/<pk>/<slug>/); empty for the citizen's action.
    slug: str
    # What ``urna.accounts.permissions`` must allow; None for the citizen's own action.
    permission: str | None
    done: Promise  # shown on the page after it
    # States the action may start from; None: any state.
    sources: frozenset[str] | None = None
    # States it may leave the query in; empty: the state does not change.
    targets: tuple[str, ...] = ()
    refused: Promise | str = ""  # why the query's state does not allow it
    form: type[forms.Form] | None = None
    guards: tuple[Guard, ...] = ()
    # The query may leave the user's entities (the page then goes back to the inbox).
    leaves_scope: bool = False


# In progress at an entity: the actions of the response manager that need a live term.
IN_PROGRESS = frozenset({S.NEW, S.ASSIGNED})

ROUTE = Action(
    name="route",
    slug="enrutar",
    permission="query.triage",
    sources=frozenset({S.TRIAGE, S.NEW}),
    targets=(S.NEW,),
    refused=_("Solo se enrutan consultas en clasificación o recién recibidas."),
    done=_("Consulta enviada a la entidad."),
    leaves_scope=True,
)
ASSIGN = Action(
    name="assign",
    slug="asignar",
    permission="query.assign",
    sources=frozenset({S.NEW, S.ASSIGNED, S.AWAITING_CITIZEN}),
    # A new query becomes assigned; one waiting for the citizen keeps waiting.
    targets=(S.ASSIGNED, S.AWAITING_CITIZEN),
    refused=_("Esta consulta ya no se puede asignar."),
    done=_("Consulta asignada."),
)
NOTE = Action(
    name="note",
    slug="nota",
    permission="query.note",
    done=_("Nota guardada."),
)
ATTACH = Action(
    name="attach",
    slug="adjunto",
    permission="query.note",
    done=_("Adjunto guardado."),
)
REQUEST_COMPLETION = Action(
    name="request_completion",
    slug="completar",
    permission="query.request_completion",
    sources=IN_PROGRESS,
    targets=(S.AWAITING_CITIZEN,),
    refused=_("Solo se puede pedir que completen una consulta en trámite."),
    done=_("Se pidió al ciudadano completar la solicitud; el plazo queda suspendido."),
)
COMPLETE = Action(
    name="complete",
    slug="",
    permission=None,
    sources=frozenset({S.AWAITING_CITIZEN}),
    targets=(S.NEW, S.ASSIGNED),
    refused=_("Esta solicitud no está esperando información suya."),
    done=_("Gracias. El plazo de respuesta empezó de nuevo."),
    form=CompletionForm,
)
EXTEND = Action(
    name="extend",
    slug="prorrogar",
    permission="query.extend",
    sources=IN_PROGRESS,
    refused=_("Solo se puede prorrogar una consulta en trámite."),
    done=_("Plazo prorrogado; se informó al ciudadano."),
    form=ExtendForm,
    guards=(
        Guard(
            holds=lambda query: query.extended_at is None,
            message=_("El plazo de esta consulta ya fue prorrogado una vez."),
            code="already_extended",
        ),
        # Before it expires (Ley 1755 art. 14): an overdue query is not offered the form.
        Guard(
            holds=lambda query: terms.local_today() <= query.due_date,
            message=_("El plazo ya venció: no se puede prorrogar."),
            code="expired",
        ),
    ),
)
TRANSFER = Action(
    name="transfer",
    slug="trasladar",
    permission="query.transfer",
    sources=IN_PROGRESS,
    # New at an entity on Urna; transferred when it goes to an outside authority.
    targets=(S.NEW, S.TRANSFERRED),
    refused=_("Solo se puede trasladar una consulta en trámite."),
    done=_("Consulta trasladada; se informó al ciudadano."),
    form=TransferForm,
    leaves_scope=True,
)
ANSWER = Action(
    name="answer",
    slug="responder",
    permission="query.answer",
    sources=IN_PROGRESS,
    targets=(S.ANSWERED,),
    refused=_("Solo se puede responder una consulta en trámite."),
    done=_("Respuesta enviada al ciudadano."),
)
CLOSE = Action(
    name="close",
    slug="cerrar",
    permission="query.close",
    sources=frozenset({S.NEW, S.ASSIGNED, S.AWAITING_CITIZEN, S.ANSWERED}),
    targets=(S.CLOSED,),
    refused=_("Esta consulta ya está cerrada."),
    done=_("Consulta cerrada."),
)
PUBLISH = Action(
    name="publish",
    slug="publicar",
    permission="query.publish",
    sources=frozenset({S.ANSWERED, S.CLOSED}),
    refused=_("Solo se publican consultas respondidas."),
    done=_("Pregunta y respuesta publicadas."),
    form=PublishForm,
    guards=(
        Guard(
            holds=lambda query: bool(query.answer),
            message=_("Esta consulta no tiene respuesta que publicar."),
            code="no_answer",
        ),
    ),
)
UNPUBLISH = Action(
    name="unpublish",
    slug="despublicar",
    permission="query.publish",
    done=_("Publicación retirada."),
    guards=(
        Guard(
            holds=lambda query: query.published_at is not None,
            message=_("Esta consulta no está publicada."),
            code="not_published",
        ),
    ),
)

ACTIONS: dict[str, Action] = {
    action.name: action
    for action in (
        ROUTE,
        ASSIGN,
        NOTE,
        ATTACH,
        REQUEST_COMPLETION,
        COMPLETE,
        EXTEND,
        TRANSFER,
        ANSWER,
        CLOSE,
        PUBLISH,
        UNPUBLISH,
    )
}
# The response managers' actions, by the URL segment of the workspace.
STAFF_ACTIONS: dict[str, Action] = {a.slug: a for a in ACTIONS.values() if a.permission}


def _refusal(action: Action, query: Query) -> Conflict | None:
    if action.sources is not None and query.state not in action.sources:
        return Conflict(str(action.refused), code="invalid_state")
    for guard in action.guards:
        if not guard.holds(query):
            return Conflict(str(guard.message), code=guard.code)
    return None


def allowed(action: Action, query: Query) -> bool:
    """Does the query's state (and the action's guards) allow ``action`` now?"""
    return _refusal(action, query) is None


def check(action: Action, query: Query) -> None:
    """Raise the Conflict a service answers when ``action`` is not allowed on ``query`` now."""
    refusal = _refusal(action, query)
    if refusal is not None:
        raise refusal


def offered(action: Action, user: Any, query: Query) -> bool:
    """Should the workspace offer ``action`` to ``user`` on ``query``?"""
    if not allowed(action, query):
        return False
    return action.permission is None or permissions.can(user, action.permission, query)


def offered_actions(user: Any, query: Query) -> dict[str, bool]:
    """The ``can`` of the workspace page: each staff action's name → offered or not."""
    return {action.name: offered(action, user, query) for action in STAFF_ACTIONS.values()}
