"""Pages of the queries app: the citizen's form, status page and public answers; the response
managers' workspace (inbox, query, actions, triage, SLA board, templates). Thin: they parse
input, call selectors and services, and show domain errors on the form."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from urna.accounts import permissions
from urna.accounts.permissions import staff_required
from urna.accounts.staff_tools import tool_required
from urna.contacts.services import ContactDetails
from urna.core.errors import InvalidInput, NotFound
from urna.core.l10n import date_text
from urna.core.personal_data import mask
from urna.core.receipts import receipt_page
from urna.core.web import run_action
from urna.entities.models import Entity
from urna.queries import selectors, services, terms, workflow
from urna.queries.forms import (
    TYPE_HELP,
    InboxFilterForm,
    QueryForm,
    TemplateForm,
)
from urna.queries.models import AnswerTemplate, Query, QueryAttachment, QueryState
from urna.queries.placeholders import placeholders_render
from urna.territory.models import Municipality


@lru_cache(maxsize=1)
def _municipality_choices() -> tuple:
    rows = Municipality.objects.select_related("department").order_by(
        "department__display_name", "display_name"
    )
    return tuple((m.code, f"{m.display_name} ({m.department.display_name})") for m in rows)


# --- public pages -------------------------------------------------------------------------------


def query_new(request: HttpRequest) -> HttpResponse:
    form = QueryForm(request.POST or None, municipalities=_municipality_choices())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data.get("website"):  # a bot filled the honeypot: pretend success, store nothing
            return redirect("queries:new")
        contact = ContactDetails(
            phone=data["phone"],
            email=data["email"],
            name=data["name"],
            consent=data["consent"],
            campaigns=data["consent"] and data["campaigns"],
        )
        result = run_action(
            request,
            lambda: services.query_submit(
                type=data["type"],
                text=data["text"],
                channel="web",
                municipality_code=data["municipality"] or None,
                contact=None if contact.empty else contact,
                user=request.user,
                entity=data["entity"],
                request=request,
                publication_consent=data["publication_consent"],
            ),
            form=form,
        )
        if result is not None:
            query = result.query
            messages.success(
                request,
                _("Recibimos su solicitud. Guarde su recibo %(r)s: la respuesta vence el %(d)s.")
                % {"r": query.receipt, "d": date_text(query.due_date)},
            )
            return redirect("site:receipt", receipt=query.receipt)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "queries/new.html",
        {"form": form, "type_help": [(str(k.label), v) for k, v in TYPE_HELP.items()]},
        status=status,
    )


def query_status(request: HttpRequest, receipt: str) -> HttpResponse:
    """The citizen's status page, /r/<receipt> (no login: the receipt is the secret)."""
    query = selectors.query_by_receipt(receipt)
    if query is None:
        raise Http404
    return render(
        request,
        "queries/status.html",
        {
            "query": query,
            "texts": selectors.query_receipt_texts(query),
            "events": selectors.query_history(query, public_only=True),
            "attachments": query.attachments.filter(public=True),
            "completion_form": workflow.COMPLETE.form()
            if workflow.allowed(workflow.COMPLETE, query)
            else None,
            "today": terms.local_today(),
        },
    )


@require_POST
@receipt_page
def query_complete(request: HttpRequest, receipt: str) -> HttpResponse:
    query = selectors.query_by_receipt(receipt)
    if query is None:
        raise Http404
    form = workflow.COMPLETE.form(request.POST)
    if form.is_valid():
        run_action(
            request,
            lambda: services.query_complete(
                query=query, text=form.cleaned_data["text"], request=request
            ),
            str(workflow.COMPLETE.done),
        )
    else:
        messages.error(request, _("Escriba la información que le pidieron."))
    return redirect("site:receipt", receipt=query.receipt)


def qa_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    page = Paginator(selectors.qa_search(q=q), 20).get_page(request.GET.get("pagina"))
    return render(request, "queries/qa_list.html", {"page": page, "q": q})


def qa_detail(request: HttpRequest, pk: int) -> HttpResponse:
    query = get_object_or_404(Query.objects.published().select_related("entity"), pk=pk)
    return render(request, "queries/qa_detail.html", {"query": query})


# --- the workspace ------------------------------------------------------------------------------


def _staff_query(request: HttpRequest, pk: int) -> Query:
    try:
        return selectors.query_for_staff(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc


@login_required
@staff_required
@tool_required("queries:staff_inbox")
def inbox(request: HttpRequest) -> HttpResponse:
    form = InboxFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    entity_id = request.GET.get("entidad")
    filters = selectors.InboxFilters(
        state=data.get("estado") or "open",
        type=data.get("tipo") or "",
        channel=data.get("canal") or "",
        due_within=data.get("vence"),
        mine=bool(data.get("mias")),
        entity_id=int(entity_id) if entity_id and entity_id.isdigit() else None,
        receipt=data.get("recibo") or "",
    )
    try:
        page = selectors.query_inbox(
            user=request.user, filters=filters, cursor=request.GET.get("desde")
        )
    except InvalidInput:  # a cursor that is not ours: start from the first page
        page = selectors.query_inbox(user=request.user, filters=filters)
    params = request.GET.copy()
    params.pop("desde", None)
    return render(
        request,
        "queries/staff/inbox.html",
        {
            "form": form,
            "page": page,
            "query_string": params.urlencode(),
            "can_triage": permissions.can(request.user, "query.triage"),
        },
    )


def _actions_context(request: HttpRequest, query: Query) -> dict:
    template_id = request.GET.get("plantilla")
    answer_text = ""
    templates = list(selectors.answer_templates_for(query.entity_id))
    if template_id and template_id.isdigit():
        chosen = next((t for t in templates if t.pk == int(template_id)), None)
        answer_text = (
            placeholders_render(chosen.body, query=query, by=request.user) if chosen else ""
        )
    draft_q, draft_a = selectors.publication_draft(query) if query.answer else ("", "")
    limit = selectors.extension_limit(query)
    return {
        "can": workflow.offered_actions(request.user, query),
        "templates": templates,
        "answer_text": answer_text,
        "managers": selectors.managers_of(query.entity_id) if query.entity_id else [],
        "extend_form": workflow.EXTEND.form(initial={"new_due_date": limit}),
        "extension_limit": limit,
        "transfer_form": workflow.TRANSFER.form(exclude_entity=query.entity_id),
        "publish_form": workflow.PUBLISH.form(
            initial={"public_question": draft_q, "public_answer": draft_a}
        ),
        "entities": Entity.objects.active()
        .exclude(kind=Entity.Kind.PLATFORM)
        .order_by("level", "name")
        .only("id", "name"),
        "transfer_deadline": terms.add_business_days(
            query.term_start, services.TRANSFER_DAYS, entity=query.entity_id
        ),
    }


@login_required
@staff_required
def query_detail(request: HttpRequest, pk: int) -> HttpResponse:
    query = _staff_query(request, pk)
    contact = query.contact
    context = {
        "query": query,
        "events": selectors.query_history(query),
        "attachments": query.attachments.all(),
        "transfers": query.transfers.select_related("from_entity", "to_entity"),
        "contact_masked": [mask(v) for v in (contact.phone, contact.email) if v] if contact else [],
        "today": terms.local_today(),
        **_actions_context(request, query),
    }
    return render(request, "queries/staff/detail.html", context)


# --- the workspace's actions: one handler per action of ``workflow`` ------------------------------


def _assign(request: HttpRequest, query: Query) -> Any:
    post = request.POST
    to_user = selectors.managers_of(query.entity_id).filter(pk=post.get("user") or 0).first()
    return services.query_assign(query=query, to_user=to_user, by=request.user, request=request)


def _route(request: HttpRequest, query: Query) -> Any:
    entity = Entity.objects.filter(pk=request.POST.get("entity") or 0).first()
    return services.query_route(query=query, entity=entity, by=request.user, request=request)


def _answer(request: HttpRequest, query: Query) -> Any:
    text = request.POST.get("text", "")
    return services.query_answer(query=query, text=text, by=request.user, request=request)


def _note(request: HttpRequest, query: Query) -> Any:
    text = request.POST.get("text", "")
    return services.query_note_add(query=query, text=text, by=request.user, request=request)


def _attach(request: HttpRequest, query: Query) -> Any:
    return services.query_attachment_add(
        query=query,
        file=request.FILES.get("file"),
        by=request.user,
        public=request.POST.get("public") == "on",
        request=request,
    )


def _request_completion(request: HttpRequest, query: Query) -> Any:
    text = request.POST.get("text", "")
    return services.query_request_completion(
        query=query, text=text, by=request.user, request=request
    )


def _extend(request: HttpRequest, query: Query) -> Any:
    form = workflow.EXTEND.form(request.POST)
    if not form.is_valid():
        raise InvalidInput(_("Indique una fecha y un motivo válidos."), field="new_due_date")
    return services.query_extend(
        query=query,
        new_due_date=form.cleaned_data["new_due_date"],
        reason=form.cleaned_data["reason"],
        by=request.user,
        request=request,
    )


def _transfer(request: HttpRequest, query: Query) -> Any:
    form = workflow.TRANSFER.form(request.POST, exclude_entity=query.entity_id)
    if not form.is_valid():
        raise InvalidInput(_("Revise el destino y el motivo del traslado."), field="to_entity")
    return services.query_transfer(
        query=query,
        by=request.user,
        reason=form.cleaned_data["reason"],
        to_entity=form.cleaned_data["to_entity"],
        to_authority=form.cleaned_data["to_authority"],
        request=request,
    )


def _close(request: HttpRequest, query: Query) -> Any:
    reason = request.POST.get("reason", "")
    return services.query_close(query=query, by=request.user, reason=reason, request=request)


def _publish(request: HttpRequest, query: Query) -> Any:
    post = request.POST
    return services.query_publish(
        query=query,
        by=request.user,
        public_question=post.get("public_question", ""),
        public_answer=post.get("public_answer", ""),
        consent_recorded=post.get("consent_recorded") == "on",
        request=request,
    )


def _unpublish(request: HttpRequest, query: Query) -> Any:
    return services.query_unpublish(query=query, by=request.user, request=request)


ACTION_HANDLERS: dict[str, Callable[[HttpRequest, Query], Any]] = {
    workflow.ASSIGN.name: _assign,
    workflow.ROUTE.name: _route,
    workflow.ANSWER.name: _answer,
    workflow.NOTE.name: _note,
    workflow.ATTACH.name: _attach,
    workflow.REQUEST_COMPLETION.name: _request_completion,
    workflow.EXTEND.name: _extend,
    workflow.TRANSFER.name: _transfer,
    workflow.CLOSE.name: _close,
    workflow.PUBLISH.name: _publish,
    workflow.UNPUBLISH.name: _unpublish,
}


@login_required
@staff_required
@require_POST
def query_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One action of the workspace (``workflow.STAFF_ACTIONS``, by its URL segment)."""
    query = _staff_query(request, pk)
    step = workflow.STAFF_ACTIONS.get(action)
    if step is None:
        raise Http404
    done = run_action(request, lambda: ACTION_HANDLERS[step.name](request, query), str(step.done))
    if (
        done is not None
        and step.leaves_scope
        and not permissions.can(request.user, "query.view", Query.objects.get(pk=query.pk))
    ):
        return redirect("queries:staff_inbox")
    return redirect("queries:staff_detail", pk=query.pk)


@login_required
@staff_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(QueryAttachment.objects.select_related("query"), pk=pk)
    if not permissions.can(request.user, "query.view", attachment.query):
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@login_required
@staff_required
@tool_required("queries:staff_triage")
def triage(request: HttpRequest) -> HttpResponse:
    page = selectors.query_inbox(
        user=request.user,
        filters=selectors.InboxFilters(state=QueryState.TRIAGE),
        cursor=request.GET.get("desde"),
    )
    entities = (
        Entity.objects.active()
        .exclude(kind=Entity.Kind.PLATFORM)
        .order_by("level", "name")
        .only("id", "name")
    )
    return render(request, "queries/staff/triage.html", {"page": page, "entities": entities})


def _year_month(request: HttpRequest) -> tuple[int, int | None]:
    today = terms.local_today()
    try:
        year = int(request.GET.get("anio") or today.year)
        month = int(request.GET.get("mes") or 0) or None
    except ValueError:
        return today.year, None
    if not 2000 <= year <= 2100 or (month is not None and not 1 <= month <= 12):
        return today.year, None
    return year, month


@login_required
@staff_required
@tool_required("queries:staff_sla")
def sla_board(request: HttpRequest) -> HttpResponse:
    year, month = _year_month(request)
    total, rows = selectors.sla_board(user=request.user, year=year, month=month)
    scope = total.scope if total is not None else (rows[0].scope if len(rows) == 1 else None)
    entity_param = request.GET.get("entidad")
    if entity_param and entity_param.isdigit():
        allowed = permissions.entity_ids_for(request.user, "query.view")
        if allowed is None or int(entity_param) in allowed:
            scope = int(entity_param)
    breakdown = {}
    if scope is not None:
        breakdown = {
            "type": selectors.sla_breakdown(year=year, month=month, scope=scope, dim="type"),
            "channel": selectors.sla_breakdown(year=year, month=month, scope=scope, dim="channel"),
        }
    scope_name = (
        _("Toda la plataforma")
        if scope == 0
        else next((r.name for r in rows if r.scope == scope), "")
    )
    return render(
        request,
        "queries/staff/sla.html",
        {
            "total": total,
            "rows": rows,
            "year": year,
            "month": month,
            "years": range(terms.local_today().year, terms.local_today().year - 5, -1),
            "months": range(1, 13),
            "breakdown": breakdown,
            "scope": scope,
            "scope_name": scope_name,
        },
    )


@login_required
@staff_required
def templates(request: HttpRequest) -> HttpResponse:
    allowed = permissions.entity_ids_for(request.user, "query.answer")
    if allowed is not None and not allowed:
        raise Http404
    entities = Entity.objects.active().exclude(kind=Entity.Kind.PLATFORM)
    if allowed is not None:
        entities = entities.filter(pk__in=allowed)
    entities = list(entities.order_by("name").only("id", "name"))
    form = TemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        entity = next((e for e in entities if str(e.pk) == request.POST.get("entity")), None)
        if entity is None:
            form.add_error(None, _("Elija una entidad."))
        else:
            saved = run_action(
                request,
                lambda: services.answer_template_create(
                    entity=entity,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    by=request.user,
                ),
                _("Plantilla guardada."),
                form=form,
            )
            if saved is not None:
                return redirect("queries:staff_templates")
    items = AnswerTemplate.objects.select_related("entity")
    if allowed is not None:
        items = items.filter(Q(entity_id__in=allowed) | Q(entity__isnull=True))
    return render(
        request,
        "queries/staff/templates.html",
        {"form": form, "items": items, "entities": entities},
        status=422 if request.method == "POST" else 200,
    )
