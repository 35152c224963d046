"""Creating staff and citizen accounts, the rate-limited login check, and staff API tokens."""

import secrets
from datetime import timedelta
from typing import Any

import django_otp
import phonenumbers
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.accounts import permissions
from urna.accounts.models import ApiToken, Membership, User
from urna.audit.services import audit_record, client_ip
from urna.core import personal_data, ratelimit
from urna.core.errors import InvalidInput, PermissionDenied, RateLimited
from urna.core.network import client_network


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


def login_check(*, request: Any, username: str, password: str, otp_token: str = "") -> User | None:
    """Authenticate, within a limit per (user, network) and a wider one per network; None for a
    wrong username or password. Staff confirm a TOTP code when the deployment requires it: a
    wrong or missing code raises InvalidInput (field ``otp_token``), and the user returned
    carries the device in ``otp_device`` for ``django_otp.login``.

    Each attempt is counted before it is checked, so concurrent guesses cannot slip past the
    count; only a complete login (password, and code when required) gives its attempts back.
    The lock is per user *and* network: wrong passwords from one network never lock the user
    out from another.
    """
    rate = settings.LOGIN_RATE_LIMIT
    limit, seconds = ratelimit.parse_rate(rate)
    network_rate = f"{limit * 4}/{seconds}"  # a shared IP (NAT, an office) gets more room
    network = client_network(request)
    pair = f"{username.strip().lower()}@{network}"
    refused = RateLimited(
        _("Demasiados intentos fallidos. Espere unos minutos e intente de nuevo.")
    )
    if not ratelimit.hit("login", pair, rate):
        raise refused
    if not ratelimit.hit("login-network", network, network_rate):
        ratelimit.undo("login", pair, rate)  # this one was never tried
        raise refused
    user = authenticate(request, username=username, password=password)
    if user is None:
        return None
    if settings.STAFF_REQUIRE_OTP and user.is_staff:
        token = otp_token.strip()
        device = django_otp.match_token(user, token) if token else None
        if device is None:
            raise InvalidInput(
                _("El código de verificación no es válido o falta."), field="otp_token"
            )
        user.otp_device = device
    ratelimit.reset("login", pair, rate)
    ratelimit.undo("login-network", network, network_rate)
    return user


def citizen_data_export(*, user: User) -> dict:
    """The account's own fields. ``account_data_export`` adds what the account filed and the
    contacts those filings link (the citizen's right of access)."""
    return {
        "username": user.username,
        "email": user.email,
        "phone": user.phone,
        "date_joined": user.date_joined.isoformat(),
        "data_consent_at": user.data_consent_at.isoformat() if user.data_consent_at else None,
    }


@transaction.atomic
def citizen_erase(*, user: User) -> None:
    """Delete the account's personal data (``account_data_erase`` also erases the contacts its
    filings link). Contributions stay, anonymous: they are part of a public consultation's
    record."""
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


def account_data_export(*, user: User) -> dict[str, Any]:
    """Everything Urna holds about a citizen's account (the right of access): the account, what
    it filed, and the contacts only its filings link, with every copy of them (the holders and
    the contact book registered in ``urna.core.personal_data``)."""
    data = citizen_data_export(user=user)
    data.update(personal_data.account_filings_export(user=user))
    own, others = personal_data.account_contacts(user=user)
    data["contacts"] = [personal_data.contact_export(contact=contact) for contact in own]
    data["contacts_not_shown"] = others
    return data


def account_data_erase(*, user: User) -> None:
    """Delete a citizen's account and the contacts only its filings link (the right of
    suppression). What it filed stays, without the person: it is part of a public record."""
    with transaction.atomic():
        own, _others = personal_data.account_contacts(user=user)
        citizen_erase(user=user)
        for contact in own:
            personal_data.contact_erase(contact=contact)


API_TOKEN_DAYS_MAX = 365
API_TOKEN_NAME_MAX = ApiToken._meta.get_field("name").max_length


def api_token_days_default() -> int:
    """Default lifetime of a new API token in days (``API_TOKEN_DAYS``; 0 means no expiry)."""
    return int(getattr(settings, "API_TOKEN_DAYS", 90))


@transaction.atomic
def api_token_create(
    *, user: User, by: Any, name: str, days: int | None = None, request: Any = None
) -> tuple[ApiToken, str]:
    """A personal token for the staff API. Returns the token and its plaintext, which is not
    stored anywhere (only its digest is) and must be shown to the user once."""
    if by is None or by.pk != user.pk:
        raise PermissionDenied(_("Solo puede crear tokens para su propia cuenta."))
    if not permissions.can_hold_api_token(user):
        raise PermissionDenied(
            _("Solo el personal con un rol en una entidad puede tener tokens de la API.")
        )
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput(_("Indique un nombre para reconocer el token."), field="name")
    if len(name) > API_TOKEN_NAME_MAX:
        raise InvalidInput(
            _("El texto es demasiado largo (máximo %(n)s caracteres).") % {"n": API_TOKEN_NAME_MAX},
            field="name",
        )
    if days is None:
        days = api_token_days_default()
    elif not 1 <= days <= API_TOKEN_DAYS_MAX:
        raise InvalidInput(
            _("La vigencia debe estar entre 1 y %(max)s días.") % {"max": API_TOKEN_DAYS_MAX},
            field="days",
        )
    prefix = secrets.token_hex(4)
    while prefix.isdigit():
        # An all-digit prefix (one token in forty) reads as a document number to the log
        # anonymiser, which would mask it in the very lines that name the token.
        prefix = secrets.token_hex(4)
    raw = f"urna_{prefix}_{secrets.token_urlsafe(32)}"
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        digest=ApiToken.digest_of(raw),
        created_at=now,
        expires_at=now + timedelta(days=days) if days > 0 else None,
    )
    audit_record(
        action="api_token.create",
        obj=token,
        actor=by,
        after={
            "user": user.username,
            "name": name,
            "prefix": prefix,
            "expires_at": token.expires_at.isoformat() if token.expires_at else None,
        },
        ip=client_ip(request),
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: Any, request: Any = None) -> ApiToken:
    """Revoke a token at once. Revoking a revoked token changes nothing."""
    if not permissions.can_revoke_api_token(by, token):
        raise PermissionDenied(_("No tiene permiso para esta acción."))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        action="api_token.revoke",
        obj=token,
        actor=by,
        before={"revoked_at": None},
        after={
            "user": token.user.username,
            "prefix": token.prefix,
            "revoked_at": token.revoked_at.isoformat(),
        },
        ip=client_ip(request),
    )
    return token
