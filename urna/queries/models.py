"""Citizen queries (PQRSD) and the response managers' workflow.

A Query belongs to one entity at a time (none while it waits in the platform team's triage
queue). Its legal term is stored as ``term_start`` (the receipt date at the current entity, from
which business days count), ``term_days`` and ``due_date`` (always from ``terms.due_date``).
Answering stores ``business_days_taken`` and ``answered_within_term`` so that indicators are
plain aggregates. ``QueryStat`` and ``QueryDaysStat`` are per-month counters maintained by the
services so that the SLA board never scans the query table.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from urna.core.actors import actor_display
from urna.core.channels import Channel


class QueryType(models.TextChoices):
    PETICION = "peticion", _("Petición")
    INFORMACION = "informacion", _("Solicitud de información o documentos")
    CONSULTA = "consulta", _("Consulta")
    QUEJA = "queja", _("Queja")
    RECLAMO = "reclamo", _("Reclamo")
    SUGERENCIA = "sugerencia", _("Sugerencia")
    DENUNCIA = "denuncia", _("Denuncia")
    DATOS_CONSULTA = "datos_consulta", _("Consulta de datos personales (habeas data)")
    DATOS_RECLAMO = "datos_reclamo", _("Reclamo de datos personales (habeas data)")


# Ley 1755 de 2015 arts. 14 and 22; Ley 1581 de 2012 arts. 14 and 15.
TERM_DAYS: dict[str, int] = {
    QueryType.PETICION: 15,
    QueryType.INFORMACION: 10,
    QueryType.CONSULTA: 30,
    QueryType.QUEJA: 15,
    QueryType.RECLAMO: 15,
    QueryType.SUGERENCIA: 15,
    QueryType.DENUNCIA: 15,
    QueryType.DATOS_CONSULTA: 10,
    QueryType.DATOS_RECLAMO: 15,
}
# Business days an extension may add on top of the term: Ley 1755 allows up to twice the term
# (so, the term again); Ley 1581 allows 5 more days for a query and 8 for a claim.
MAX_EXTENSION_DAYS: dict[str, int] = {
    **TERM_DAYS,
    QueryType.DATOS_CONSULTA: 5,
    QueryType.DATOS_RECLAMO: 8,
}
# Types whose term an entity may configure (its internal PQRSD regulation).
CONFIGURABLE_TYPES = frozenset(
    {QueryType.QUEJA, QueryType.RECLAMO, QueryType.SUGERENCIA, QueryType.DENUNCIA}
)


# The one channel list of the platform (``urna.core.channels``); the old name stays for imports.
QueryChannel = Channel


class QueryState(models.TextChoices):
    TRIAGE = "triage", _("En clasificación")
    NEW = "new", _("Recibida")
    ASSIGNED = "assigned", _("Asignada")
    AWAITING_CITIZEN = "awaiting_citizen", _("Esperando que el ciudadano complete")
    ANSWERED = "answered", _("Respondida")
    CLOSED = "closed", _("Cerrada")
    TRANSFERRED = "transferred", _("Trasladada a otra autoridad")


# What a citizen's query text may measure, on every channel.
TEXT_MIN = 10
TEXT_MAX = 5000

# States in which the term runs and the query waits for the entity.
RUNNING_STATES = (QueryState.TRIAGE, QueryState.NEW, QueryState.ASSIGNED)
OPEN_STATES = (*RUNNING_STATES, QueryState.AWAITING_CITIZEN)


class QueryQuerySet(models.QuerySet):
    def running(self) -> "QueryQuerySet":
        return self.filter(state__in=RUNNING_STATES)

    def overdue(self, today) -> "QueryQuerySet":
        return self.filter(state__in=RUNNING_STATES, due_date__lt=today)

    def published(self) -> "QueryQuerySet":
        return self.filter(published_at__isnull=False)


class Query(models.Model):
    receipt = models.CharField(max_length=16, unique=True)
    type = models.CharField(max_length=16, choices=QueryType.choices)
    text = models.TextField()
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # Provider the citizen wrote through (twilio, africastalking, whatsapp): answers go back there.
    reply_provider = models.CharField(max_length=30, blank=True)
    state = models.CharField(max_length=16, choices=QueryState.choices)
    entity = models.ForeignKey(
        "entities.Entity", null=True, blank=True, on_delete=models.PROTECT, related_name="queries"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_queries",
    )
    contact = models.ForeignKey(
        "contacts.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="queries",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    municipality = models.ForeignKey(
        "territory.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A question left inside a participation exercise (routed to the exercise's owner).
    exercise = models.ForeignKey(
        "exercises.Exercise", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contribution = models.OneToOneField(
        "exercises.Contribution",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="query",
    )
    idempotency_key = models.CharField(max_length=80, null=True, blank=True)
    publication_consent = models.BooleanField(default=False)

    filed_at = models.DateTimeField()
    term_start = models.DateField()  # receipt date at the current entity (day 0 of the term)
    term_days = models.PositiveSmallIntegerField()
    due_date = models.DateField()
    extended_at = models.DateTimeField(null=True, blank=True)
    extension_reason = models.TextField(blank=True)
    suspended_at = models.DateTimeField(null=True, blank=True)
    completion_request = models.TextField(blank=True)
    transferred_at = models.DateTimeField(null=True, blank=True)
    transferred_from = models.ForeignKey(
        "entities.Entity", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    external_authority = models.CharField(max_length=200, blank=True)

    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    business_days_taken = models.PositiveSmallIntegerField(null=True, blank=True)
    answered_within_term = models.BooleanField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=300, blank=True)

    published_at = models.DateTimeField(null=True, blank=True)
    public_question = models.TextField(blank=True)
    public_answer = models.TextField(blank=True)
    # Lower-case, accent-free copy of the public texts (the SQLite search fallback).
    search_text = models.TextField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QueryQuerySet.as_manager()

    class Meta:
        verbose_name = _("consulta ciudadana (PQRSD)")
        verbose_name_plural = _("consultas ciudadanas (PQRSD)")
        constraints = [
            models.UniqueConstraint(fields=["idempotency_key"], name="unique_query_idempotency"),
            models.CheckConstraint(
                condition=Q(entity__isnull=False) | Q(state="triage"),
                name="query_entity_unless_triage",
            ),
        ]
        indexes = [
            # The manager's inbox: one entity's queries in a state, by due date (keyset).
            models.Index(fields=["entity", "state", "due_date", "id"], name="query_inbox_idx"),
            models.Index(fields=["assigned_to", "state", "due_date", "id"], name="query_mine_idx"),
            # Triage queue, reminders and the overdue board.
            models.Index(fields=["state", "due_date", "entity"], name="query_due_idx"),
            # Each state's queries in due-date order across entities (the platform team's inbox
            # merges one short ordered scan per state).
            models.Index(fields=["state", "due_date", "id"], name="query_state_due_idx"),
            models.Index(fields=["entity", "filed_at"], name="query_filed_idx"),
            models.Index(
                fields=["published_at"],
                condition=Q(published_at__isnull=False),
                name="query_published_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.receipt

    def urna_entity_ids(self) -> set[int]:
        return {self.entity_id} if self.entity_id else set()

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_suspended(self) -> bool:
        return self.state == QueryState.AWAITING_CITIZEN

    def is_overdue(self, today) -> bool:
        return self.state in RUNNING_STATES and self.due_date < today


class QueryEvent(models.Model):
    """One step in a query's history. ``public`` events are shown on the citizen's status page;
    internal notes never are."""

    class Kind(models.TextChoices):
        FILED = "filed", _("Radicada")
        ROUTED = "routed", _("Enviada a la entidad")
        ASSIGNED = "assigned", _("Asignada")
        NOTE = "note", _("Nota interna")
        COMPLETION_REQUESTED = "completion_requested", _("Se pidió completar la solicitud")
        COMPLETED = "completed", _("El ciudadano completó la solicitud")
        EXTENDED = "extended", _("Plazo prorrogado")
        TRANSFERRED = "transferred", _("Trasladada")
        ANSWERED = "answered", _("Respondida")
        CLOSED = "closed", _("Cerrada")
        PUBLISHED = "published", _("Publicada")
        ATTACHMENT = "attachment", _("Adjunto")
        REMINDED = "reminded", _("Recordatorio")
        ESCALATED = "escalated", _("Escalada por vencimiento")

    query = models.ForeignKey(Query, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    public = models.BooleanField(default=False)
    text = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=80, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["query", "at"], name="query_event_idx")]

    def __str__(self) -> str:
        return f"{self.query_id} · {self.kind}"

    @property
    def actor_display(self) -> str:
        """Who, as the staff history shows it: a name, "Ciudadano (SMS)", "Sistema"."""
        return actor_display(self.actor_label, self.actor)


def _attachment_path(instance: "QueryAttachment", filename: str) -> str:
    return f"queries/{instance.query_id}/{filename}"


class QueryAttachment(models.Model):
    query = models.ForeignKey(Query, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path)
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField(default=0)
    # Attachments of the answer go to the citizen; internal ones stay with the entity.
    public = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.name


class QueryTransfer(models.Model):
    """A transfer (Ley 1755 art. 21), to an entity on Urna or to an outside authority."""

    query = models.ForeignKey(Query, on_delete=models.CASCADE, related_name="transfers")
    from_entity = models.ForeignKey("entities.Entity", on_delete=models.PROTECT, related_name="+")
    to_entity = models.ForeignKey(
        "entities.Entity", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_authority = models.CharField(max_length=200, blank=True)
    reason = models.TextField()
    # True when made after the 5 business days the law allows.
    late = models.BooleanField(default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at"]
        indexes = [models.Index(fields=["from_entity", "at"], name="query_transfer_from_idx")]

    def __str__(self) -> str:
        return f"{self.query_id}: {self.from_entity_id} → {self.to_entity_id or self.to_authority}"


class AnswerTemplate(models.Model):
    """Reusable answer text of an entity (``entity`` empty: available to every entity)."""

    entity = models.ForeignKey(
        "entities.Entity",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="answer_templates",
    )
    title = models.CharField(_("título"), max_length=120)
    body = models.TextField(_("texto"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "title"], name="unique_answer_template")
        ]
        verbose_name = _("plantilla de respuesta")
        verbose_name_plural = _("plantillas de respuesta")

    def __str__(self) -> str:
        return self.title


class RoutingRule(models.Model):
    """Proposes the responsible entity of a new query. Every condition set must hold; the rule
    with the lowest ``priority`` number wins."""

    entity = models.ForeignKey(
        "entities.Entity", on_delete=models.CASCADE, related_name="routing_rules"
    )
    priority = models.PositiveSmallIntegerField(default=100)
    keywords = models.CharField(
        _("palabras clave"),
        max_length=500,
        blank=True,
        help_text=_("Separadas por comas; basta con que aparezca una."),
    )
    query_type = models.CharField(max_length=16, choices=QueryType.choices, blank=True)
    department = models.ForeignKey(
        "territory.Department", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    municipality = models.ForeignKey(
        "territory.Municipality", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["priority", "id"]
        verbose_name = _("regla de enrutamiento")
        verbose_name_plural = _("reglas de enrutamiento")

    def __str__(self) -> str:
        return f"{self.entity} ({self.keywords or self.municipality_id or self.department_id})"


class EntityNonWorkingDay(models.Model):
    """A day an entity does not work besides weekends and public holidays (e.g. 24 December)."""

    entity = models.ForeignKey(
        "entities.Entity", on_delete=models.CASCADE, related_name="non_working_days"
    )
    date = models.DateField()
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "date"], name="unique_entity_non_working_day")
        ]
        verbose_name = _("día no hábil de la entidad")
        verbose_name_plural = _("días no hábiles de la entidad")

    def __str__(self) -> str:
        return f"{self.entity_id} {self.date}"


class EntityTerm(models.Model):
    """An entity's own term for complaints, claims, suggestions or reports."""

    entity = models.ForeignKey("entities.Entity", on_delete=models.CASCADE, related_name="+")
    type = models.CharField(max_length=16, choices=QueryType.choices)
    business_days = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entity", "type"], name="unique_entity_term"),
            models.CheckConstraint(
                condition=Q(business_days__gte=1, business_days__lte=30),
                name="entity_term_range",
            ),
        ]
        verbose_name = _("término propio de la entidad")
        verbose_name_plural = _("términos propios de la entidad")

    def __str__(self) -> str:
        return f"{self.entity_id} {self.type}: {self.business_days}"


class QueryReminder(models.Model):
    """A reminder (``threshold`` business days before due) or an escalation (``-1``) sent for
    one due date of a query; the constraint makes the reminders job safe to run twice."""

    ESCALATION = -1

    query = models.ForeignKey(Query, on_delete=models.CASCADE, related_name="reminders")
    threshold = models.SmallIntegerField()
    due_date = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["query", "threshold", "due_date"], name="unique_query_reminder"
            )
        ]

    def __str__(self) -> str:
        return f"{self.query_id} {self.threshold} {self.due_date}"


class QueryStat(models.Model):
    """Monthly counters per entity (``scope`` = entity id; 0 = the whole platform, where a
    transferred query counts once). ``dim`` is "all", "type" or "channel" and ``value`` the type
    or channel. Received counts by month of receipt, answered by month of answer."""

    scope = models.PositiveIntegerField()
    month = models.DateField()  # first day of the month
    dim = models.CharField(max_length=8)
    value = models.CharField(max_length=16, blank=True)
    received = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    answered_within_term = models.PositiveIntegerField(default=0)
    transferred = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "month", "dim", "value"], name="unique_query_stat"
            )
        ]
        indexes = [models.Index(fields=["dim", "value", "month"], name="query_stat_dim_idx")]

    def __str__(self) -> str:
        return f"{self.scope} {self.month} {self.dim}={self.value}"


class QueryDaysStat(models.Model):
    """How many queries were answered in ``days`` business days (a histogram: percentiles of
    response time come from it without reading the query table)."""

    scope = models.PositiveIntegerField()
    month = models.DateField()
    dim = models.CharField(max_length=8)
    value = models.CharField(max_length=16, blank=True)
    days = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "month", "dim", "value", "days"], name="unique_query_days_stat"
            )
        ]
        indexes = [models.Index(fields=["dim", "value", "month"], name="query_days_stat_dim_idx")]

    def __str__(self) -> str:
        return f"{self.scope} {self.month} {self.dim}={self.value} {self.days}d"
