import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from urna.accounts import permissions
from urna.accounts.forms import ApiTokenForm, CitizenSignupForm, ConfirmDeleteForm, LoginForm
from urna.accounts.permissions import staff_required
from urna.accounts.selectors import api_token_by_id, api_tokens_of
from urna.accounts.services import (
    account_data_erase,
    account_data_export,
    api_token_create,
    api_token_days_default,
    api_token_revoke,
    citizen_register,
    login_check,
)
from urna.core.errors import DomainError, InvalidInput, RateLimited
from urna.core.web import add_domain_error, run_action


@never_cache
@csrf_protect
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    status = 200
    next_url = request.POST.get("next") or request.GET.get("next") or settings.LOGIN_REDIRECT_URL
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = settings.LOGIN_REDIRECT_URL
    if request.method == "POST" and form.is_valid():
        try:
            user = login_check(
                request=request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                otp_token=form.cleaned_data["otp_token"],
            )
        except RateLimited as exc:
            add_domain_error(form, exc)
            status = 429
        except InvalidInput as exc:
            # 400, not the 422 of other forms: a wrong code is a failed login like a password.
            add_domain_error(form, exc)
            status = 400
        else:
            if user is None:
                form.add_error(None, _("Usuario o contraseña incorrectos."))
                status = 400
            else:
                auth_login(request, user)
                if getattr(user, "otp_device", None) is not None:
                    django_otp.login(request, user.otp_device)
                return redirect(next_url)
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": next_url, "otp_required": settings.STAFF_REQUIRE_OTP},
        status=status,
    )


@csrf_protect
def signup_view(request: HttpRequest) -> HttpResponse:
    """An optional citizen account, by email or mobile number: nobody needs one to take part."""
    form = CitizenSignupForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        user = run_action(
            request,
            lambda: citizen_register(
                password=form.cleaned_data["password"],
                email=form.cleaned_data["email"],
                phone=form.cleaned_data["phone"],
                consent=form.cleaned_data["consent"],
            ),
            form=form,
        )
        if user is not None:
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Su cuenta quedó creada."))
            return redirect("accounts:my_data")
        status = 422
    elif request.method == "POST":
        status = 422
    return render(request, "accounts/signup.html", {"form": form}, status=status)


@login_required
def my_data_view(request: HttpRequest) -> HttpResponse:
    """The citizen's rights under Ley 1581 de 2012: see, download and delete their data."""
    data = account_data_export(user=request.user)
    if request.GET.get("formato") == "json":
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = 'attachment; filename="mis-datos-urna.json"'
        return response
    form = ConfirmDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_action(request, lambda: account_data_erase(user=request.user)) is None:
            return redirect("accounts:my_data")
        logout(request)
        messages.success(request, _("Su cuenta y sus datos de contacto fueron borrados."))
        return redirect("site:home")
    return render(request, "accounts/my_data.html", {"data": data, "form": form})


# --- staff: personal API tokens -----------------------------------------------------------------


@never_cache
@login_required
@staff_required
@require_http_methods(["GET", "POST"])
def api_tokens_view(request: HttpRequest) -> HttpResponse:
    """The user's API tokens; a new token's plaintext is shown once, on the answer to the POST
    that creates it (never stored, never in a redirect, a message or the session)."""
    may_hold = permissions.can_hold_api_token(request.user)
    form = ApiTokenForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                token, raw = api_token_create(
                    user=request.user,
                    by=request.user,
                    name=form.cleaned_data["name"],
                    days=form.cleaned_data["days"],
                    request=request,
                )
            except DomainError as exc:
                # Not run_action: a refusal (PermissionDenied: staff without a role) is shown on
                # the form with a 422, like any other reason, never as a 403 page.
                add_domain_error(form, exc)
            else:
                return render(
                    request, "accounts/api_token_created.html", {"token": token, "raw": raw}
                )
        status = 422
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "tokens": list(api_tokens_of(request.user)),
            "may_hold": may_hold,
            "default_days": api_token_days_default(),
        },
        status=status,
    )


@never_cache
@login_required
@staff_required
@require_http_methods(["GET", "POST"])
def api_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then revoke (POST): the token stops working at once."""
    token = api_token_by_id(pk)
    if token is None or not permissions.can_revoke_api_token(request.user, token):
        raise Http404
    if request.method == "POST":
        message = _("Se revocó el token «%(name)s»: ya no da acceso a la API.")
        run_action(
            request,
            lambda: api_token_revoke(token=token, by=request.user, request=request),
            message % {"name": token.name},
        )
        return redirect("accounts:api_tokens")
    return render(request, "accounts/api_token_revoke.html", {"token": token})
