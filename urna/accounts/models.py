"""People who log in: staff of entities (with roles) and citizens who chose to have an account.

Nobody needs an account to participate: contributions and queries carry an optional contact
(app ``contacts``) instead.
"""

import hashlib
import re
from datetime import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone


class User(AbstractUser):
    # E.164 (+573001234567), normalised with phonenumbers; optional, unique when present.
    phone = models.CharField(max_length=16, null=True, blank=True)
    data_consent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["phone"], name="unique_user_phone"),
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="unique_user_email"
            ),
        ]


class Role(models.TextChoices):
    ADMIN = "admin", "Administrador"
    MANAGER = "manager", "Gestor de respuesta"
    MODERATOR = "moderator", "Moderador"
    ANALYST = "analyst", "Analista"
    CAMPAIGN = "campaign", "Oficial de campañas"


class Membership(models.Model):
    """A staff user's role in one entity. A user may hold several roles in several entities."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    entity = models.ForeignKey("entities.Entity", on_delete=models.CASCADE, related_name="members")
    role = models.CharField(max_length=16, choices=Role.choices)
    # The entity's lead receives escalations of overdue queries.
    is_lead = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "entity", "role"], name="unique_membership")
        ]
        verbose_name = "membresía"

    def __str__(self) -> str:
        return f"{self.user} · {self.entity} · {self.get_role_display()}"


# urna_<prefix>_<secret>: 8 hex characters shown in lists, then secrets.token_urlsafe(32).
API_TOKEN_RE = re.compile(r"urna_(?P<prefix>[0-9a-f]{8})_[A-Za-z0-9_-]{43}")


class ApiToken(models.Model):
    """A staff user's personal token for the staff API (``Authorization: Bearer urna_…``).

    Only the SHA-256 digest of the token is stored: the plaintext is shown once, when created,
    and cannot be recovered. The prefix is public and identifies the token in lists and logs.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16)
    # SHA-256 hex of the whole token; unique through Meta.constraints, not unique=True, which on
    # PostgreSQL would add a LIKE-pattern index that no lookup uses.
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["digest"], name="unique_api_token_digest")]
        ordering = ["-created_at", "-id"]
        verbose_name = "token de la API"
        verbose_name_plural = "tokens de la API"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    def state(self, now: datetime | None = None) -> str:
        """``revoked``, ``expired`` or ``active``."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= (now or timezone.now()):
            return "expired"
        return "active"
