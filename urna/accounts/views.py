import django_otp
from django.conf import settings
from django.contrib.auth import login as auth_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from urna.accounts.forms import LoginForm
from urna.accounts.services import login_check
from urna.core.errors import RateLimited


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
            )
        except RateLimited as exc:
            form.add_error(None, exc.message)
            user, status = None, 429
        else:
            if user is None:
                form.add_error(None, _("Usuario o contraseña incorrectos."))
                status = 400
        if user is not None:
            device = None
            if settings.STAFF_REQUIRE_OTP and user.is_staff:
                token = form.cleaned_data["otp_token"].strip()
                device = django_otp.match_token(user, token) if token else None
                if device is None:
                    form.add_error(
                        "otp_token", _("El código de verificación no es válido o falta.")
                    )
                    status = 400
            if not form.errors:
                auth_login(request, user)
                if device is not None:
                    django_otp.login(request, device)
                return redirect(next_url)
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": next_url, "otp_required": settings.STAFF_REQUIRE_OTP},
        status=status,
    )
