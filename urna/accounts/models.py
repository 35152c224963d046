"""People who log in: staff of entities (with roles) and citizens who chose to have an account.

Nobody needs an account to participate: contributions and queries carry an optional contact
(app ``contacts``) instead.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q


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
