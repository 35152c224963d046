"""The rights of a citizen without an account (Ley 1581 de 2012): see, download and delete the
personal data Urna holds for their phone or email, after proving it is theirs with a code."""

import time

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from urna.audit.services import client_ip
from urna.contacts.consent import pairs as consent_pairs
from urna.contacts.forms import (
    AddressForm,
    CodeForm,
    EraseForm,
    PreferencesForm,
    SubscribeForm,
)
from urna.contacts.models import ConsentChannel, Contact, Purpose
from urna.contacts.selectors import contact_export
from urna.contacts.services import (
    RIGHTS_CODE_MINUTES,
    address_code_valid,
    address_normalise,
    channels_of,
    contact_erase,
    contact_opt_out,
    preferences_save,
    rights_code_check,
    rights_code_send,
    subscribe_confirmed,
    unsubscribe_apply,
    unsubscribe_read,
)
from urna.core.errors import DomainError, RateLimited
from urna.core.personal_data import mask
from urna.core.web import add_domain_error
from urna.territory.models import Department

SESSION_KEY = "contact_rights"
VERIFIED_MINUTES = 30


def _verified_contact(request: HttpRequest) -> Contact | None:
    state = request.session.get(SESSION_KEY) or {}
    if "contact" not in state or state.get("until", 0) < time.time():
        return None
    return Contact.objects.filter(pk=state["contact"], erased_at__isnull=True).first()


@never_cache
@require_http_methods(["GET", "POST"])
def rights_start(request: HttpRequest) -> HttpResponse:
    form = AddressForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                address = address_normalise(form.cleaned_data["address"])
                nonce = rights_code_send(address=address, ip=client_ip(request))
            except DomainError as exc:  # the status tells a typo (422) from a limit (429)
                add_domain_error(form, exc)
                status = exc.status
            else:
                request.session[SESSION_KEY] = {
                    "address": address,
                    "nonce": nonce,
                    "expires": time.time() + RIGHTS_CODE_MINUTES * 60,
                }
                return redirect("contacts:rights_code")
    return render(request, "contacts/rights_start.html", {"form": form}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def rights_code_view(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(SESSION_KEY) or {}
    if "nonce" not in pending:
        return redirect("contacts:rights_start")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if pending["expires"] < time.time():
            del request.session[SESSION_KEY]
            messages.error(request, _("El código venció o se agotaron los intentos. Pida otro."))
            return redirect("contacts:rights_start")
        if form.is_valid():
            try:
                contact = rights_code_check(
                    address=pending["address"],
                    nonce=pending["nonce"],
                    code=form.cleaned_data["code"],
                )
            except RateLimited as exc:
                del request.session[SESSION_KEY]
                messages.error(request, exc.message)
                return redirect("contacts:rights_start")
            if contact is not None:
                request.session.cycle_key()
                request.session[SESSION_KEY] = {
                    "contact": contact.pk,
                    "until": time.time() + VERIFIED_MINUTES * 60,
                }
                return redirect("contacts:rights")
            form.add_error("code", _("El código no es correcto."))
    context = {"form": form, "address": mask(pending["address"]), "minutes": RIGHTS_CODE_MINUTES}
    return render(request, "contacts/rights_code.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def rights_view(request: HttpRequest) -> HttpResponse:
    contact = _verified_contact(request)
    if contact is None:
        return redirect("contacts:rights_start")
    if request.GET.get("formato") == "json":
        data = contact_export(contact=contact)
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = 'attachment; filename="mis-datos-urna.json"'
        return response
    form = EraseForm()
    status = 200
    current = set(consent_pairs(contact.consents))
    preferences = PreferencesForm(channels=channels_of(contact), current=current)
    if request.method == "POST" and request.POST.get("action") == "preferences":
        preferences = PreferencesForm(request.POST, channels=channels_of(contact), current=current)
        if preferences.is_valid():
            preferences_save(
                contact=contact, chosen=preferences.chosen(), offered=preferences.pairs
            )
            messages.success(request, _("Guardamos lo que quiere recibir."))
            return redirect("contacts:rights")
    if request.method == "POST" and request.POST.get("action") == "opt_out":
        contact_opt_out(contact=contact, channel="web")
        messages.success(request, _("Ya no recibirá campañas ni encuestas de Urna."))
        return redirect("contacts:rights")
    if request.method == "POST" and request.POST.get("action") == "erase":
        form = EraseForm(request.POST)
        if form.is_valid():
            contact_erase(contact=contact)
            del request.session[SESSION_KEY]
            messages.success(request, _("Sus datos personales fueron borrados."))
            return redirect("site:home")
        status = 422
    context = {
        "contact": contact,
        "data": contact_export(contact=contact),
        "preferences": preferences,
        "form": form,
        "phone": mask(contact.phone or ""),
        "email": mask(contact.email or ""),
    }
    return render(request, "contacts/rights.html", context, status=status)


# --- The unsubscribe link (RFC 8058) ------------------------------------------------------------


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what the link stops and a button (mail scanners open links: a GET never
    changes anything); POST stops it. A mail client's one-click POST (``List-Unsubscribe=One-
    Click``, RFC 8058) carries no CSRF token and no cookie, hence the exemption: the signed token
    is the authority, and it can only ever withdraw consent."""
    found = unsubscribe_read(token)
    if found is None:
        return render(request, "contacts/unsubscribe.html", {"invalid": True}, status=404)
    contact, channel, purpose = found
    context = {
        "channel_label": ConsentChannel(channel).label,
        "purpose_label": Purpose(purpose).label,
        "done": False,
    }
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        unsubscribe_apply(token, one_click=one_click)
        if one_click:
            return HttpResponse(status=200)
        context["done"] = True
    return render(request, "contacts/unsubscribe.html", context)


# --- Subscribing to the government's information, with a code to the address ------------------

SUBSCRIBE_KEY = "contact_subscribe"


@never_cache
@require_http_methods(["GET", "POST"])
def subscribe_start(request: HttpRequest) -> HttpResponse:
    form = SubscribeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                address = address_normalise(form.cleaned_data["address"])
                nonce = rights_code_send(
                    address=address, ip=client_ip(request), purpose="subscribe", always=True
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                purposes = [
                    p for p in (Purpose.CAMPAIGNS, Purpose.SURVEYS) if form.cleaned_data[p.value]
                ]
                request.session[SUBSCRIBE_KEY] = {
                    "address": address,
                    "nonce": nonce,
                    "expires": time.time() + RIGHTS_CODE_MINUTES * 60,
                    "purposes": [str(p) for p in purposes],
                    "department": form.cleaned_data.get("department") or "",
                }
                return redirect("contacts:subscribe_code")
    departments = Department.objects.order_by("display_name").values_list("code", "display_name")
    return render(
        request,
        "contacts/subscribe_start.html",
        {"form": form, "departments": departments},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def subscribe_code(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(SUBSCRIBE_KEY) or {}
    if "nonce" not in pending:
        return redirect("contacts:subscribe")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if pending["expires"] < time.time():
            del request.session[SUBSCRIBE_KEY]
            messages.error(request, _("El código venció o se agotaron los intentos. Pida otro."))
            return redirect("contacts:subscribe")
        if form.is_valid():
            try:
                valid = address_code_valid(
                    address=pending["address"],
                    nonce=pending["nonce"],
                    code=form.cleaned_data["code"],
                )
            except RateLimited as exc:
                del request.session[SUBSCRIBE_KEY]
                messages.error(request, exc.message)
                return redirect("contacts:subscribe")
            if valid:
                subscribe_confirmed(
                    address=pending["address"],
                    purposes=pending["purposes"],
                    department_code=pending["department"],
                )
                del request.session[SUBSCRIBE_KEY]
                return render(request, "contacts/subscribe_done.html")
            form.add_error("code", _("El código no es correcto."))
    context = {"form": form, "address": mask(pending["address"]), "minutes": RIGHTS_CODE_MINUTES}
    return render(request, "contacts/subscribe_code.html", context, status=status)
