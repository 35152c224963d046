"""The Django admin at /staff/admin/, behind the one staff login.

Django's stock admin login takes a password alone: no TOTP and no rate limit. Here the admin's
login page only sends staff to ``/cuenta/entrar/`` (rate-limited, with TOTP when required), and
a session that has not confirmed a device is treated as not staff when the deployment requires
one (what django-otp's ``OTPAdminSite`` does, without its second login form).
"""

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from urna.accounts import permissions


class StaffAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and permissions.otp_verified(request.user)

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        # The login view checks that ``next`` stays on this site.
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse(
            "admin:index", current_app=self.name
        )
        return redirect_to_login(next_url)
