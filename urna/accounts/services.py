"""Creating staff and citizen accounts, and the rate-limited login check."""

from typing import Any

import phonenumbers
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.accounts.models import Membership, User
from urna.audit.services import audit_record
from urna.core import ratelimit
from urna.core.errors import InvalidInput, RateLimited


def phone_normalise(raw: str, *, region: str = "CO") -> str:
    """A phone number as E.164 (+573001234567); Colombian numbers may omit +57."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidInput(_("El número de teléfono no es válido."), field="phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidInput(_("El número de teléfono no es válido."), field="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@transaction.atomic
def staff_create(
    *,
    username: str,
    password: str,
    entity: Any,
    role: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    is_lead: bool = False,
    by: Any = None,
) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username,
            password=password,
            email=email,
            first_name=first_name,
            last_name=last_name,
            is_staff=True,
        )
    membership, created = Membership.objects.get_or_create(
        user=user, entity=entity, role=role, defaults={"is_lead": is_lead}
    )
    if created:
        audit_record(
            action="membership.create",
            obj=membership,
            actor=by,
            entity=entity,
            after={"user": user.username, "role": role, "is_lead": is_lead},
        )
    return user


@transaction.atomic
def citizen_register(
    *, password: str, email: str = "", phone: str = "", consent: bool = False
) -> User:
    """A citizen account, by email or mobile number, only with consent to data processing."""
    if not consent:
        raise InvalidInput(
            _("Debe autorizar el tratamiento de sus datos personales (Ley 1581 de 2012)."),
            field="consent",
        )
    email = email.strip().lower()
    phone = phone_normalise(phone) if phone.strip() else ""
    if not email and not phone:
        raise InvalidInput(_("Indique un correo electrónico o un número de celular."))
    if email and User.objects.filter(email=email).exists():
        raise InvalidInput(_("Ya existe una cuenta con ese correo."), field="email")
    if phone and User.objects.filter(phone=phone).exists():
        raise InvalidInput(_("Ya existe una cuenta con ese celular."), field="phone")
    return User.objects.create_user(
        username=email or phone,
        password=password,
        email=email,
        phone=phone or None,
        data_consent_at=timezone.now(),
    )


def login_check(*, request: Any, username: str, password: str) -> User | None:
    """Authenticate with rate limits per username and per client, counted on failures only."""
    from urna.audit.services import client_ip

    rate = settings.LOGIN_RATE_LIMIT
    limit, seconds = ratelimit.parse_rate(rate)
    client_rate = f"{limit * 4}/{seconds}"  # a shared IP (NAT, community centre) gets more room
    ip = client_ip(request) or "unknown"
    name = username.strip().lower()
    if ratelimit.is_limited("login-user", name, rate) or ratelimit.is_limited(
        "login-ip", ip, client_rate
    ):
        raise RateLimited(
            _("Demasiados intentos fallidos. Espere unos minutos e intente de nuevo.")
        )
    user = authenticate(request, username=username, password=password)
    if user is None:
        ratelimit.hit("login-user", name, rate)
        ratelimit.hit("login-ip", ip, client_rate)
        return None
    ratelimit.reset("login-user", name, rate)
    return user


def citizen_data_export(*, user: User) -> dict:
    """Everything Urna holds about a citizen's account (the right of access)."""
    return {
        "username": user.username,
        "email": user.email,
        "phone": user.phone,
        "date_joined": user.date_joined.isoformat(),
        "data_consent_at": user.data_consent_at.isoformat() if user.data_consent_at else None,
        "contributions": user_contribution_receipts(user=user),
    }


def user_contribution_receipts(*, user: User) -> list[str]:
    from urna.exercises.models import Contribution

    return list(Contribution.objects.filter(user=user).values_list("receipt", flat=True))


@transaction.atomic
def citizen_erase(*, user: User) -> None:
    """Delete a citizen's personal data (right of suppression). Contributions stay, anonymous:
    they are part of a public consultation's record."""
    if user.is_staff:
        raise InvalidInput(_("Las cuentas del equipo se gestionan en la administración."))
    audit_record(action="account.erase", obj=user, actor_label="citizen")
    User.objects.filter(pk=user.pk).update(
        username=f"borrado-{user.pk}",
        email="",
        phone=None,
        first_name="",
        last_name="",
        is_active=False,
        password=make_password(None),  # unusable
    )
