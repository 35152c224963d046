"""The staff landing page: links to each tool the user's roles open, scoped by entity."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from urna.accounts.permissions import staff_required
from urna.accounts.selectors import memberships_for
from urna.accounts.staff_tools import tools_for


@login_required
@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "site/staff_dashboard.html",
        {"memberships": memberships_for(request.user), "sections": tools_for(request.user)},
    )
