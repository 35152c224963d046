import logging
from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from urna.accounts.models import API_TOKEN_RE, ApiToken, Membership, Role, User

security_log = logging.getLogger("urna.security")

# last_used_at is a hint for the owner ("is this token still in use?"), not an access log:
# writing it at most once a minute keeps a busy integration from writing on every call.
API_TOKEN_TOUCH_EVERY = timedelta(minutes=1)


def memberships_for(user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("entity").order_by("entity__name")


def entity_leads(*, entity_id: int) -> QuerySet:
    """Staff who receive an entity's escalations: its leads, else its administrators."""
    leads = User.objects.filter(
        is_active=True, memberships__entity_id=entity_id, memberships__is_lead=True
    )
    if leads.exists():
        return leads.distinct()
    return User.objects.filter(
        is_active=True, memberships__entity_id=entity_id, memberships__role=Role.ADMIN
    ).distinct()


def api_tokens_of(user: Any) -> QuerySet[ApiToken]:
    """The user's API tokens, newest first (revoked and expired ones included)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def api_token_by_id(pk: int) -> ApiToken | None:
    return ApiToken.objects.select_related("user").filter(pk=pk).first()


def api_token_user(raw: str) -> User | None:
    """The active user a raw API token belongs to, or None when the token is malformed, unknown,
    revoked or expired, or its user is inactive. Rejections go to the ``urna.security`` log with
    the reason and the token's public prefix, never the token."""
    match = API_TOKEN_RE.fullmatch(raw or "")
    if match is None:
        security_log.warning("api token rejected reason=malformed")
        return None
    token = ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(raw)).first()
    now = timezone.now()
    reason = None
    if token is None:
        reason = "unknown"
    elif (state := token.state(now)) != "active":
        reason = state  # revoked or expired
    elif not token.user.is_active:
        reason = "inactive_user"
    if reason is not None:
        security_log.warning(
            "api token rejected reason=%s prefix=%s", reason, match.group("prefix")
        )
        return None
    if token.last_used_at is None or now - token.last_used_at >= API_TOKEN_TOUCH_EVERY:
        ApiToken.objects.filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - API_TOKEN_TOUCH_EVERY),
            pk=token.pk,
        ).update(last_used_at=now)
    return token.user
