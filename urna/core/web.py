"""How a page shows a service's domain error: one helper for every view module.

Services raise :class:`~urna.core.errors.DomainError`; on a page it becomes a form error on the
field it names, or a message above the page. A permission error is a 403, never a message.
"""

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from urna.core.errors import DomainError, PermissionDenied

T = TypeVar("T")


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's error on the field it names (or on the whole form)."""
    name = error.field if error.field in form.fields else None
    form.add_error(name, error.message)


def run_action(
    request: HttpRequest,
    call: Callable[[], T],
    success: str = "",
    *,
    form: forms.Form | None = None,
) -> T | None:
    """Call a service for a page. On success add ``success`` as a message and return the
    result (``True`` when the service returns nothing); on a domain error put its message on
    ``form`` (or above the page) and return ``None``. Permission errors become a 403."""
    try:
        result = call()
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc
    except DomainError as exc:
        if form is not None:
            add_domain_error(form, exc)
        else:
            messages.error(request, exc.message)
        return None
    if success:
        messages.success(request, success)
    return result if result is not None else True  # type: ignore[return-value]


def citizen_page_refused(request: HttpRequest, reason: str) -> HttpResponse:
    """The 403 for a staff user on a citizens' page (their own contributions, following with
    their account): no role opens it, so the page says it is for citizens' accounts instead of
    sending them to ask an administrator for a role."""
    return render(request, "403.html", {"exception": reason, "citizen_only": True}, status=403)
