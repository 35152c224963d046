"""Staff pages of contacts: consent given or withdrawn on a recorded call."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from urna.accounts.permissions import staff_required
from urna.accounts.staff_tools import tool_required
from urna.contacts.forms import OperatorConsentForm
from urna.contacts.services import operator_consent_record
from urna.core.errors import DomainError
from urna.core.web import add_domain_error

# Operators type in what citizens say on the radio, the phone and in person: they also record a
# citizen's consent given on a recorded call (the tool opens with "contribution.enter").


@staff_required
@tool_required("contacts:operator_consent")
@require_http_methods(["GET", "POST"])
def operator_consent(request: HttpRequest) -> HttpResponse:
    form = OperatorConsentForm(request.POST or None)
    status, done = 200, ""
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                operator_consent_record(
                    by=request.user,
                    action=data["action"],
                    purposes=data["purposes"],
                    channels=data["channels"],
                    evidence=data["evidence"],
                    phone=data["phone"],
                    email=data["email"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                done = _("Quedó registrado, con la referencia de la grabación.")
                form = OperatorConsentForm()
                status = 200
    return render(
        request, "contacts/operator_consent.html", {"form": form, "done": done}, status=status
    )
