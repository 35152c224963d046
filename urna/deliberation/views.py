"""Public pages of a deliberation: the opinion map with its table, voting one statement at a
time (htmx swaps the card; without JavaScript each vote is a POST and a redirect), and proposing
a statement. No account is needed: an anonymous participant is a random id in a signed cookie.
"""

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from urna.core.channels import Channel
from urna.core.errors import DomainError
from urna.core.network import client_network
from urna.core.web import add_domain_error
from urna.deliberation import selectors, services
from urna.deliberation.charts import opinion_map
from urna.deliberation.forms import ProposalForm, VoteForm
from urna.deliberation.models import Deliberation

COOKIE = "urna_deliberacion"
COOKIE_SALT = "urna.deliberation.participant"
COOKIE_SECONDS = 365 * 24 * 3600


def _deliberation(slug: str) -> Deliberation:
    deliberation = selectors.deliberation_public(slug)
    if deliberation is None:
        raise Http404
    return deliberation


def _anonymous_key(request: HttpRequest) -> str | None:
    return request.get_signed_cookie(COOKIE, default=None, salt=COOKIE_SALT)


def _keep_key(response: HttpResponse, key: str | None) -> HttpResponse:
    if key:
        response.set_signed_cookie(
            COOKIE,
            key,
            salt=COOKIE_SALT,
            max_age=COOKIE_SECONDS,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def _participant(request: HttpRequest, deliberation: Deliberation) -> tuple[Any, str | None]:
    """The participant the request is, created now; and a new cookie key to set, if any."""
    key = _anonymous_key(request)
    new_key = None
    if not request.user.is_authenticated and not key:
        key = new_key = uuid.uuid4().hex
    participant = services.participant_get_or_create(
        deliberation=deliberation, user=request.user, anonymous_key=key
    )
    return participant, new_key


def _participant_limited(
    request: HttpRequest, deliberation: Deliberation, action: str
) -> tuple[Any, str | None]:
    """``_participant`` within the rate limits of ``action``: the network's first (before a
    participant is created for a browser without cookie), then the participant's."""
    services.rate_limit(action, network=client_network(request))
    participant, new_key = _participant(request, deliberation)
    services.rate_limit(action, identity=str(participant.pk))
    return participant, new_key


def _map_description(view: selectors.ResultView) -> str:
    result = view.result
    if not view.groups:
        return _("Aún no hay grupos: %(n)s participantes ubicados.") % {"n": result.placed_count}
    parts = [
        ngettext(
            "%(n)s grupo de opinión entre %(p)s participantes ubicados.",
            "%(n)s grupos de opinión entre %(p)s participantes ubicados.",
            len(view.groups),
        )
        % {"n": len(view.groups), "p": result.placed_count}
    ]
    for g in view.groups:
        parts.append(
            _("Grupo %(l)s: %(n)s participantes (%(s)s %%).")
            % {"l": g.letter, "n": g.size, "s": g.share}
        )
    return " ".join(parts)


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    deliberation = _deliberation(slug)
    view = selectors.result_view(deliberation)
    chart = None
    if view is not None:
        chart = opinion_map(
            view.result.map_points,
            view.result.groups,
            title=_("Mapa de opiniones: %(q)s") % {"q": deliberation.question},
            desc=_map_description(view),
        )
    return render(
        request,
        "deliberation/detail.html",
        {
            "deliberation": deliberation,
            "exercise": deliberation.exercise,
            "view": view,
            "chart": chart,
            "open_now": services.deliberation_accepts_votes(deliberation),
            "counts": selectors.statement_counts(deliberation),
        },
    )


def vote(request: HttpRequest, slug: str) -> HttpResponse:
    """One statement at a time. A POST records the vote and answers with the next statement
    (the card alone for htmx; a redirect to this page otherwise)."""
    deliberation = _deliberation(slug)
    htmx = request.headers.get("HX-Request") == "true"
    participant = selectors.participant_find(
        deliberation, user=request.user, anonymous_key=_anonymous_key(request)
    )
    form, new_key, status, voted = VoteForm(), None, 200, None
    if request.method == "POST":
        form = VoteForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                participant, new_key = _participant_limited(request, deliberation, "vote")
                voted = services.vote_cast(
                    participant=participant,
                    statement_id=form.cleaned_data["statement"],
                    value=form.cleaned_data["value"],
                    channel=Channel.WEB,
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                if not htmx:
                    messages.success(request, _("Su voto quedó registrado."))
                    return _keep_key(redirect("deliberation:vote", slug=slug), new_key)
                form, status = VoteForm(), 200
    statement = selectors.statement_to_show(deliberation, participant)
    context = {
        "deliberation": deliberation,
        "exercise": deliberation.exercise,
        "statement": statement,
        "form": form,
        "voted": voted,
        "progress": selectors.progress_for(participant) if participant else None,
        "open_now": services.deliberation_accepts_votes(deliberation),
    }
    template = "deliberation/_vote_card.html" if htmx else "deliberation/vote.html"
    return _keep_key(render(request, template, context, status=status), new_key)


def propose(request: HttpRequest, slug: str) -> HttpResponse:
    deliberation = _deliberation(slug)
    form = ProposalForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                participant, new_key = _participant_limited(request, deliberation, "proposal")
                services.statement_propose(participant=participant, text=form.cleaned_data["text"])
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("Gracias: su afirmación se publicará para votación cuando se revise."),
                )
                return _keep_key(redirect("deliberation:vote", slug=slug), new_key)
    return render(
        request,
        "deliberation/propose.html",
        {
            "deliberation": deliberation,
            "exercise": deliberation.exercise,
            "form": form,
            "open_now": services.deliberation_accepts_votes(deliberation),
        },
        status=status,
    )
