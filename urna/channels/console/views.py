"""Operator console (radio, TV, phone, in person): fast, keyboard-only entry of contributions.

The operator opens a session (exercise, channel, programme, date), then types contribution after
contribution: Enter submits, the form comes back empty with the focus in the text field and the
counter incremented (htmx swap; without JavaScript, a POST-redirect-GET). Every entry goes
through ``contribution_submit`` with ``entered_by`` = the operator, which writes the audit log.
"""

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from urna.accounts.permissions import can, entity_ids_for, staff_required
from urna.accounts.staff_tools import tool_required
from urna.channels.console.forms import EntryForm, SessionForm
from urna.channels.console.services import operator_entry_submit, operator_session_start
from urna.channels.models import OperatorSession
from urna.channels.selectors import operator_sessions_for
from urna.contacts.services import ContactDetails
from urna.core.web import run_action
from urna.exercises.models import Exercise


def _exercises(user):
    allowed = entity_ids_for(user, "contribution.enter")
    return Exercise.objects.open_now().for_entities(allowed).order_by("title")


@staff_required
@tool_required("channels:console")
def console_start(request: HttpRequest) -> HttpResponse:
    exercises = _exercises(request.user)
    form = SessionForm(request.POST or None, exercises=exercises)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        session = operator_session_start(
            exercise=data["exercise"],
            channel=data["channel"],
            programme=data["programme"],
            date=data["date"],
            by=request.user,
        )
        return redirect("channels:console_entry", pk=session.pk)
    return render(
        request,
        "channels/console_start.html",
        {"form": form, "sessions": operator_sessions_for(request.user)},
    )


def _entry_form(data=None) -> EntryForm:
    return EntryForm(data, initial={"token": uuid.uuid4().hex, "kind": "opinion"})


@staff_required
def console_entry(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(
        OperatorSession.objects.select_related("exercise"), pk=pk, operator=request.user
    )
    if not can(request.user, "contribution.enter", session.exercise):
        raise Http404
    htmx = request.headers.get("HX-Request") == "true"
    form = _entry_form()
    receipt = ""
    if request.method == "POST":
        form = _entry_form(request.POST)
        if form.is_valid():
            receipt = _submit(request, session, form)
            if receipt:
                if not htmx:
                    messages.success(request, _("Guardado: %(receipt)s") % {"receipt": receipt})
                    return redirect("channels:console_entry", pk=session.pk)
                form = _entry_form()
                session.refresh_from_db(fields=["entries"])
    context = {"session": session, "form": form, "receipt": receipt}
    template = "channels/_console_form.html" if htmx else "channels/console_entry.html"
    return render(request, template, context)


def _submit(request: HttpRequest, session: OperatorSession, form: EntryForm) -> str:
    data = form.cleaned_data
    contact = None
    if data["phone"] or data["email"]:
        contact = ContactDetails(phone=data["phone"], email=data["email"], consent=data["consent"])
    receipt = run_action(
        request,
        lambda: operator_entry_submit(
            session=session,
            text=data["text"],
            kind=data["kind"],
            token=data["token"],
            contact=contact,
            municipality_code=data["municipality"] or None,
            by=request.user,
            request=request,
        ),
        form=form,
    )
    return receipt or ""
