"""The registry of official government social-media accounts (modelled on the U.S. Digital
Registry) and the periodic follower and activity figures of each account."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Network(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    X = "x", "X (Twitter)"
    INSTAGRAM = "instagram", "Instagram"
    YOUTUBE = "youtube", "YouTube"
    TIKTOK = "tiktok", "TikTok"
    WHATSAPP = "whatsapp", _("Canal de WhatsApp")
    TELEGRAM = "telegram", "Telegram"
    FLICKR = "flickr", "Flickr"
    LINKEDIN = "linkedin", "LinkedIn"
    OTHER = "other", _("Otra red")


class SocialAccountQuerySet(models.QuerySet):
    def tracked_at(self, day) -> "SocialAccountQuerySet":
        """Accounts in the registry on ``day`` and not closed by then."""
        return self.filter(listed_on__lte=day).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=day)
        )

    def public(self) -> "SocialAccountQuerySet":
        """What the public directory lists: every account not waiting for review."""
        return self.exclude(status=SocialAccount.Status.PENDING)


class SocialAccount(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Activa")
        DORMANT = "dormant", _("Inactiva")
        CLOSED = "closed", _("Cerrada")
        PENDING = "pending", _("En revisión")

    network = models.CharField(max_length=12, choices=Network.choices)
    # Normalised by urna.socialaccounts.urls_parsing.normalise_handle: no "@", lower case where
    # the network ignores case. Unique per network (the constraint below).
    handle = models.CharField(max_length=120)
    name = models.CharField(_("nombre de la cuenta"), max_length=200, blank=True)
    profile_url = models.URLField(max_length=300)
    entity = models.ForeignKey(
        "entities.Entity", on_delete=models.PROTECT, related_name="social_accounts"
    )
    # Copied from the entity on every save by the services, so the directory filters without a join.
    level = models.CharField(max_length=12, db_index=True)
    verified = models.BooleanField(_("verificada por la red"), default=False)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    # The day the account entered the registry (an import may give an older one) and the day it
    # was closed: the indicators count the accounts tracked at the end of a period from them.
    listed_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    is_example = models.BooleanField(default=False)
    # The account's name, handle and entity folded (urna.core.text.search_normalise) for the
    # directory's accent-insensitive search; written by the services.
    search_text = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SocialAccountQuerySet.as_manager()

    class Meta:
        ordering = ["entity__name", "network", "handle"]
        verbose_name = "cuenta oficial en redes sociales"
        verbose_name_plural = "cuentas oficiales en redes sociales"
        constraints = [
            models.UniqueConstraint(fields=["network", "handle"], name="social_account_unique"),
        ]
        indexes = [models.Index(fields=["entity", "network"])]

    def __str__(self) -> str:
        return f"{self.get_network_display()} @{self.handle}"


class SocialFigure(models.Model):
    """One snapshot of an account: followers on ``date`` and posts since the previous one."""

    class Source(models.TextChoices):
        CSV = "csv", _("Importación CSV")
        API = "api", _("API de la red")
        MANUAL = "manual", _("Manual")

    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="figures")
    date = models.DateField()
    followers = models.PositiveBigIntegerField()
    posts = models.PositiveIntegerField(null=True, blank=True)  # unknown when the source lacks it
    source = models.CharField(max_length=8, choices=Source.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["account_id", "-date"]
        verbose_name = "cifra de cuenta"
        verbose_name_plural = "cifras de cuentas"
        constraints = [
            models.UniqueConstraint(fields=["account", "date"], name="social_figure_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.date}: {self.followers}"


class SocialImport(models.Model):
    """One CSV/XLSX file of accounts or of figures, imported row by row. Every row read ends as
    created, updated, unchanged or rejected (with its reason, in ``rejections``)."""

    class Kind(models.TextChoices):
        ACCOUNTS = "accounts", _("Cuentas")
        FIGURES = "figures", _("Cifras")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    # Read by urna.contacts.imports.file_rows: where the file is stored while it is read, its
    # format, encoding and delimiter.
    path = models.CharField(max_length=255)
    file_kind = models.CharField(max_length=4)
    encoding = models.CharField(max_length=16, blank=True)
    delimiter = models.CharField(max_length=1, blank=True)
    headers = models.JSONField(default=list)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "importación de cuentas o cifras"
        verbose_name_plural = "importaciones de cuentas o cifras"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.file_name}"


class SocialImportRejection(models.Model):
    social_import = models.ForeignKey(
        SocialImport, on_delete=models.CASCADE, related_name="rejections"
    )
    row_number = models.PositiveIntegerField()
    reason = models.CharField(max_length=200)
    values = models.JSONField(default=list)

    class Meta:
        ordering = ["row_number"]

    def __str__(self) -> str:
        return f"{self.social_import_id}:{self.row_number} {self.reason}"
