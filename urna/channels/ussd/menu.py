"""The USSD menu as a pure function of the session's input path.

Africa's Talking sends, on every step, all the inputs of the session so far joined by ``*``
(``""``, ``"1"``, ``"1*2"`` …). The menu replays that path from the top, so a session needs no
server-side state: it survives any restart and any worker can answer any step, and a repeated
request gets the same screen. ``0`` goes back one screen (at the top, it ends the session); an
unknown input re-shows the screen with a short hint. Every screen, ``CON ``/``END `` included,
is at most 182 characters of plain ASCII.

A path that reaches a confirmation's ``1`` yields an ``Action`` for the caller to submit.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from urna.channels import intake
from urna.channels.text import clip, plain
from urna.channels.ussd.deliberation import Back as DeliberationBack
from urna.channels.ussd.deliberation import deliberation_walk
from urna.channels.ussd.surveys import Back, survey_walk

MAX_SCREEN = 182
PAGE_SIZE = 4
MIN_TEXT = 3
MAX_TEXT = 500
MORE = "9"
BACK = "0"
SURVEYS = "4"  # the root's "4 Encuestas": urna.channels.ussd.surveys takes the rest of the path
DELIBERATION = "5"  # "5 Deliberación": urna.channels.ussd.deliberation takes the rest


@dataclass(frozen=True)
class Action:
    kind: str  # "answer", "opinion", "query", "status", "survey", "deliberation"
    exercise_id: int | None = None
    question_id: int | None = None
    choice: str = ""
    text: str = ""


@dataclass
class Screen:
    text: str
    end: bool = False
    action: Action | None = None

    @property
    def response(self) -> str:
        return ("END " if self.end else "CON ") + self.text


@dataclass(frozen=True)
class State:
    name: str
    exercise_id: int | None = None
    question_id: int | None = None
    page: int = 0
    choice: int = 0
    text: str = ""
    ids: tuple[int, ...] = field(default_factory=tuple)


class Invalid(Exception):
    def __init__(self, hint: str = ""):
        super().__init__(hint)
        self.hint = hint


def fit(header: str, lines: list[str], *, end: bool = False) -> str:
    """Header (clipped as needed) + option lines, within the screen limit."""
    body = "\n".join(plain(line) for line in lines)
    room = MAX_SCREEN - 4 - (len(body) + 1 if body else 0)
    head = clip(plain(header), max(room, 10))
    text = f"{head}\n{body}" if body else head
    return text[: MAX_SCREEN - 4]


def _back() -> str:
    return _("0 Atrás")


def _consent() -> str:
    return _("Al enviar autoriza usar su número para responderle.")


# --- screens --------------------------------------------------------------------------------
def render(state: State) -> str:
    name = state.name
    if name == "root":
        return fit(
            _("Urna: participe y pregunte al gobierno"),
            [
                _("1 Ejercicios abiertos"),
                _("2 Preguntar al gobierno"),
                _("3 Consultar un recibo"),
                _("4 Encuestas"),
                _("5 Deliberación"),
                _("0 Salir"),
            ],
        )
    if name == "list":
        return _render_list(state)
    card = intake.card_by_id(state.exercise_id) if state.exercise_id else None
    if name == "exercise":
        options = [_("1 Responder encuesta")] if card.questions else []
        options += [_("2 Dar su opinión"), _("3 Preguntar al gobierno"), _back()]
        return fit(f"{card.code} {card.title}: {card.summary}", options)
    if name == "questions":
        lines = [f"{n} {clip(q.text, 34)}" for n, q in enumerate(card.questions[:8], 1)]
        return fit(_("Elija una pregunta:"), [*lines, _back()])
    if name == "question":
        question = _question(card, state.question_id)
        lines = [f"{n} {clip(label, 30)}" for n, label in enumerate(question.options[:8], 1)]
        return fit(question.text, [*lines, _back()])
    if name == "confirm_choice":
        question = _question(card, state.question_id)
        label = question.options[state.choice - 1]
        return fit(
            _('¿Envía su respuesta "%(label)s"?') % {"label": clip(label, 40)},
            [_("1 Enviar"), _back(), _consent()],
        )
    if name == "opinion":
        return fit(
            _("Escriba su opinión sobre %(code)s:") % {"code": card.code or clip(card.title, 30)},
            [_back()],
        )
    if name == "ask":
        return fit(_("Escriba su pregunta para el gobierno:"), [_back()])
    if name in {"confirm_opinion", "confirm_ask"}:
        header = _("Su opinión:") if name == "confirm_opinion" else _("Su pregunta:")
        return fit(
            f'{header} "{clip(state.text, 60)}"',
            [_("1 Enviar"), _back(), _consent()],
        )
    if name == "status":
        return fit(_("Escriba el código de su recibo (ej. UC-2026-AB12CD3):"), [_back()])
    raise ValueError(name)


def _render_list(state: State) -> str:
    cards = intake.open_exercises()
    if not cards:
        return fit(_("No hay ejercicios abiertos ahora."), [_back()])
    pages = (len(cards) + PAGE_SIZE - 1) // PAGE_SIZE
    chunk = cards[state.page * PAGE_SIZE : (state.page + 1) * PAGE_SIZE]
    footer = ([_("9 Más")] if state.page + 1 < pages else []) + [_back()]
    header = _("Ejercicios abiertos %(page)s/%(pages)s") % {"page": state.page + 1, "pages": pages}
    room = MAX_SCREEN - 4 - len(header) - sum(len(f) + 1 for f in footer) - 1
    width = max(12, room // max(1, len(chunk)) - 3)
    lines = [f"{n} {clip(plain(card.title), width)}" for n, card in enumerate(chunk, 1)]
    return fit(header, [*lines, *footer])


def _question(card, question_id):
    return next(q for q in card.questions if q.id == question_id)


# --- transitions ----------------------------------------------------------------------------
def _text_input(token: str) -> str:
    text = " ".join(token.split())
    if len(text) < MIN_TEXT:
        raise Invalid(_("Escriba al menos %(n)s letras.") % {"n": MIN_TEXT})
    return text[:MAX_TEXT]


def _number(token: str, low: int, high: int) -> int:
    if not token.isdigit() or not low <= int(token) <= high:
        raise Invalid()
    return int(token)


def step(state: State, token: str) -> State | Action:
    """The state (or the action) one input leads to; raises Invalid for an unknown input."""
    name = state.name
    if name == "root":
        choice = _number(token, 1, 3)
        return State(["list", "ask", "status"][choice - 1])
    if name == "list":
        cards = intake.open_exercises()
        chunk = cards[state.page * PAGE_SIZE : (state.page + 1) * PAGE_SIZE]
        if token == MORE and (state.page + 1) * PAGE_SIZE < len(cards):
            return State("list", page=state.page + 1)
        choice = _number(token, 1, len(chunk))
        return State("exercise", exercise_id=chunk[choice - 1].id)
    card = intake.card_by_id(state.exercise_id) if state.exercise_id else None
    if state.exercise_id and card is None:
        raise Invalid(_("Ese ejercicio ya no está abierto."))
    if name == "exercise":
        choice = _number(token, 1 if card.questions else 2, 3)
        if choice == 1:
            if len(card.questions) == 1:
                return State("question", exercise_id=card.id, question_id=card.questions[0].id)
            return State("questions", exercise_id=card.id)
        return State("opinion" if choice == 2 else "ask", exercise_id=card.id)
    if name == "questions":
        choice = _number(token, 1, min(8, len(card.questions)))
        return State("question", exercise_id=card.id, question_id=card.questions[choice - 1].id)
    if name == "question":
        question = _question(card, state.question_id)
        choice = _number(token, 1, min(8, len(question.options)))
        return State("confirm_choice", exercise_id=card.id, question_id=question.id, choice=choice)
    if name == "confirm_choice":
        _number(token, 1, 1)
        return Action("answer", card.id, state.question_id, str(state.choice))
    if name == "opinion":
        return State("confirm_opinion", exercise_id=card.id, text=_text_input(token))
    if name == "ask":
        return State("confirm_ask", exercise_id=state.exercise_id, text=_text_input(token))
    if name == "confirm_opinion":
        _number(token, 1, 1)
        return Action("opinion", card.id, text=state.text)
    if name == "confirm_ask":
        _number(token, 1, 1)
        return Action("query", state.exercise_id, text=state.text)
    if name == "status":
        line = intake.receipt_status(token.strip())
        if line is None:
            raise Invalid(_("No encontramos ese recibo."))
        return Action("status", text=line)
    raise Invalid()


def walk(text: str) -> Screen:
    """The screen for a session whose inputs so far are ``text`` (joined by ``*``)."""
    inputs = text.split("*") if text else []
    stack = [State("root")]
    hint = None
    for position, token in enumerate(inputs):
        last = position == len(inputs) - 1
        hint = None
        if stack[-1].name == "root" and token.strip() == SURVEYS:
            return _surveys(inputs[position + 1 :])
        if stack[-1].name == "root" and token.strip() == DELIBERATION:
            return _deliberation(inputs[position + 1 :])
        if token.strip() == BACK:
            if len(stack) == 1:
                return Screen(fit(_("Gracias por participar en Urna."), []), end=True)
            stack.pop()
            continue
        try:
            nxt = step(stack[-1], token)
        except Invalid as invalid:
            hint = invalid.hint or _("Opción no válida.")
            continue
        if isinstance(nxt, Action):
            if not last:
                # Inputs after a submission cannot come from a real session.
                return Screen(fit(_("Sesión no válida. Marque de nuevo."), []), end=True)
            return Screen("", end=True, action=nxt)
        stack.append(nxt)
    body = render(stack[-1])
    if hint:
        head, _sep, rest = body.partition("\n")
        body = fit(f"{hint} {head}", rest.split("\n") if rest else [])
    return Screen(body)


def _surveys(inputs: list[str]) -> Screen:
    screen = survey_walk(inputs)
    if isinstance(screen, Back):  # back at the top: the menu goes on from the root
        return walk("*".join(screen.rest))
    if screen.survey_id is not None:
        # The survey's inputs go with the action: the handler replays them to submit.
        return Screen(
            "", end=True, action=Action("survey", screen.survey_id, text="*".join(inputs))
        )
    return Screen(fit(screen.header, screen.lines), end=screen.end)


def _deliberation(inputs: list[str]) -> Screen:
    screen = deliberation_walk(inputs)
    if isinstance(screen, DeliberationBack):
        return walk("*".join(screen.rest))
    if screen.deliberation_id is not None:
        # Every step in a deliberation casts or shows: the handler runs it (the vote in
        # ``choice``) and answers with the next statement.
        action = Action("deliberation", screen.deliberation_id, choice=screen.vote)
        return Screen("", action=action)
    return Screen(fit(screen.header, screen.lines))
