"""Citizens' contact details and their consents, held under Ley 1581 de 2012.

One person, one contact: phones are E.164 (region CO) and emails lower-cased, each unique, so an
import, a form and an SMS from the same number land on the same row; two rows found to be one
person are merged (``contacts.services.contact_merge``) and the merged row points to the one kept.

What a contact agreed to receive is a set of (purpose, channel) pairs stored as bits in
``Contact.consents`` — the current state that campaigns filter 2,000,000 rows by in one scan —
and every grant and revocation is a ``ConsentEvent`` row, append-only, with the text version shown,
the channel it came by and its evidence. ``urna.contacts.consent`` is the one place that reads
the bits. Erasure blanks the personal data and keeps the row so that counts and history stay
consistent.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    # The citizen is told what became of what they said or asked: answers, results, updates of
    # an exercise they took part in or follow.
    ANSWERS = "answers", _("Respuestas y avances de su participación")
    CAMPAIGNS = "campaigns", _("Información del Gobierno (campañas)")
    SURVEYS = "surveys", _("Encuestas y consultas")


class ConsentChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("Correo electrónico")


class Source(models.TextChoices):
    FORM = "form", _("Formulario web")
    EXERCISE = "exercise", _("Ejercicio de participación")
    QUERY = "query", _("Consulta PQRSD")
    CHANNEL = "channel", _("Mensaje por un canal")
    IMPORT = "import", _("Importación")
    API = "api", _("API")
    OPERATOR = "operator", _("Operador")


class ContactQuerySet(models.QuerySet):
    def live(self) -> "ContactQuerySet":
        """Contacts that are one person today: not erased, not merged into another."""
        return self.filter(erased_at=None, merged_into=None)


class Contact(models.Model):
    phone = models.CharField(max_length=16, null=True, blank=True)  # E.164
    email = models.EmailField(max_length=254, null=True, blank=True)
    name = models.CharField(max_length=150, blank=True)
    # Public profile handle on a social network ("facebook:123", "instagram:@x"), never published.
    handle = models.CharField(max_length=200, null=True, blank=True)
    # The authorisation to hold the data at all (Ley 1581, art. 9), given with the first contact.
    consent_at = models.DateTimeField(null=True, blank=True)
    consent_channel = models.CharField(max_length=16, blank=True)
    consent_version = models.CharField(max_length=20, blank=True)
    # What the citizen agreed to receive, by purpose and channel: see urna.contacts.consent.
    consents = models.PositiveIntegerField(default=0)
    preferred_channel = models.CharField(max_length=10, choices=ConsentChannel.choices, blank=True)
    language = models.CharField(max_length=5, default="es")
    source = models.CharField(max_length=10, choices=Source.choices, blank=True)
    # Which exercise, channel or import brought the contact in ("agro-2026", "sms", "import:12").
    source_detail = models.CharField(max_length=80, blank=True)
    last_contribution_at = models.DateTimeField(null=True, blank=True)
    last_query_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    erased_at = models.DateTimeField(null=True, blank=True)
    department = models.ForeignKey(
        "territory.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    municipality = models.ForeignKey(
        "territory.Municipality", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["phone"], name="unique_contact_phone"),
            models.UniqueConstraint(fields=["email"], name="unique_contact_email"),
            models.UniqueConstraint(fields=["handle"], name="unique_contact_handle"),
        ]
        verbose_name = "contacto"

    def __str__(self) -> str:
        return f"Contacto #{self.pk}"


class ContactInterest(models.Model):
    """What a contact wants to hear about: a topic, an entity, a department or municipality
    (DANE code), an exercise (its slug)."""

    class Kind(models.TextChoices):
        TOPIC = "topic", _("Tema")
        ENTITY = "entity", _("Entidad")
        DEPARTMENT = "department", _("Departamento")
        MUNICIPALITY = "municipality", _("Municipio")
        EXERCISE = "exercise", _("Ejercicio")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="interests")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    value = models.CharField(max_length=80)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "kind", "value"], name="unique_contact_interest"
            )
        ]
        indexes = [models.Index(fields=["kind", "value"], name="contact_interest_idx")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class ConsentEvent(models.Model):
    """One grant or revocation of consent, as it happened: never updated, never deleted (only the
    erasure of the person's data blanks ``evidence``, which may quote their message)."""

    class Action(models.TextChoices):
        GRANT = "grant", _("Autorizó")
        REVOKE = "revoke", _("Retiró")

    class Via(models.TextChoices):
        WEB = "web", _("Formulario web")
        API = "api", _("API")
        KEYWORD = "keyword", _("Palabra clave por SMS o WhatsApp")
        OPERATOR = "operator", _("Operador (llamada grabada)")
        LINK = "link", _("Enlace para darse de baja")
        IMPORT = "import", _("Importación")
        SUBMISSION = "submission", _("Con un aporte o una consulta")
        MERGE = "merge", _("Unión de contactos duplicados")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="consent_events")
    action = models.CharField(max_length=6, choices=Action.choices)
    # The (purpose, channel) pairs this act covered, as the bits of Contact.consents.
    scope = models.PositiveIntegerField()
    via = models.CharField(max_length=10, choices=Via.choices)
    channel = models.CharField(max_length=16, blank=True)  # sms, whatsapp, web, email, radio…
    text_version = models.CharField(max_length=20, blank=True)
    # What proves it: "inbound:123", "import:12 fila 345", "grabación 2026-11-30-0042", a code
    # verified for the address, the unsubscribe link of message 42.
    evidence = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["contact", "at"], name="consent_event_contact_idx"),
            # A campaign's "opted out since it started": the withdrawals after a moment.
            models.Index(fields=["action", "at"], name="consent_event_action_at_idx"),
        ]
        verbose_name = "cambio de consentimiento"
        verbose_name_plural = "cambios de consentimiento"

    def __str__(self) -> str:
        return f"{self.get_action_display()} #{self.contact_id} ({self.at:%Y-%m-%d})"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("Consent events are append-only: record a new one instead.")
        super().save(*args, **kwargs)


class ContactImport(models.Model):
    """A CSV or XLSX of contacts uploaded by staff of an entity, mapped, and imported by a
    background job (``urna.contacts.imports``) chunk by chunk. ``rows_done`` is the last data
    row committed with its chunk, so a run stopped anywhere resumes there; the counts always add
    up: created + updated + unchanged + rejected == rows_done."""

    class Status(models.TextChoices):
        MAPPING = "mapping", _("Por completar")
        QUEUED = "queued", _("En cola")
        RUNNING = "running", _("Importando")
        DONE = "done", _("Terminada")
        FAILED = "failed", _("Falló")

    class Basis(models.TextChoices):
        COLUMN = "column", _("Una columna del archivo dice si cada persona autorizó")
        DECLARATION = "declaration", _("Todas las personas del archivo autorizaron")

    entity = models.ForeignKey("entities.Entity", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    # Relative to MEDIA_ROOT (imports/…, never served); emptied when the file is deleted.
    path = models.CharField(max_length=300, blank=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.BigIntegerField(default=0)
    kind = models.CharField(max_length=4)  # csv, xlsx
    encoding = models.CharField(max_length=20, blank=True)
    delimiter = models.CharField(max_length=2, blank=True)
    headers = models.JSONField(default=list)
    rows_estimate = models.PositiveIntegerField(default=0)
    # Target field -> index of the file's column.
    mapping = models.JSONField(default=dict)
    basis = models.CharField(max_length=12, choices=Basis.choices, blank=True)
    purposes = models.JSONField(default=list)
    channels = models.JSONField(default=list)
    text_version = models.CharField(max_length=20, blank=True)
    evidence = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.MAPPING)
    job_id = models.BigIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    # Rows that asked for pairs the citizen had revoked: the import does not grant them again.
    withheld = models.PositiveIntegerField(default=0)
    merged = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "importación de contactos"
        verbose_name_plural = "importaciones de contactos"

    def __str__(self) -> str:
        return f"Importación #{self.pk}"

    @property
    def fraction(self) -> float:
        if self.status == self.Status.DONE:
            return 1.0
        return min(0.99, self.rows_done / self.rows_estimate) if self.rows_estimate else 0.0


class ImportRejection(models.Model):
    """A row of an import that was not stored, why, and what it held (for the staff's report)."""

    contact_import = models.ForeignKey(
        ContactImport, on_delete=models.CASCADE, related_name="rejections"
    )
    row_number = models.PositiveIntegerField()  # as a spreadsheet numbers it: the header is 1
    reason = models.CharField(max_length=200)
    values = models.JSONField(default=list)

    class Meta:
        ordering = ["contact_import", "row_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact_import", "row_number"], name="unique_import_rejection_row"
            )
        ]
        verbose_name = "fila rechazada"
        verbose_name_plural = "filas rechazadas"

    def __str__(self) -> str:
        return f"Fila {self.row_number}: {self.reason}"
