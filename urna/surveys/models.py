"""Perception surveys: a form (sections, questions, choices, skip logic, translations) owned by an
entity, its responses from every channel, the population margins it is weighted to, its quotas
and the stored aggregates its results page reads.

The form is the XLSForm model (``urna.surveys.xlsform`` imports and exports it): a question's
``relevant`` and ``constraint`` are XLSForm expressions (``urna.surveys.expressions``), its
labels are ``{"es": …, "en": …}``. A response keeps its answers as one JSON object keyed by
question name (100,000 responses × 40 questions stay 100,000 rows), plus the three weighting
variables copied out of them (department, age group, sex) so quotas, raking and open data read
columns, not JSON.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _token() -> str:
    return secrets.token_urlsafe(18)


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Borrador")
        OPEN = "open", _("Abierta")
        CLOSED = "closed", _("Cerrada")

    entity = models.ForeignKey("entities.Entity", on_delete=models.PROTECT, related_name="+")
    slug = models.SlugField(max_length=80, unique=True)
    # The XLSForm's form_id; the SMS keyword is ``ENCUESTA <code>``.
    code = models.CharField(max_length=40)
    title = models.JSONField(default=dict)  # {"es": ..., "en": ...}
    description = models.JSONField(default=dict, blank=True)
    languages = models.JSONField(default=list)  # ["es", "en"]; the first is the default
    version = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Results are public once published (staff only before).
    published = models.BooleanField(default=False)
    channels = models.JSONField(default=list)  # "web", "sms", "whatsapp", "ussd", "phone"
    # Which questions hold the weighting variables: {"department": "departamento", ...}.
    weighting = models.JSONField(default=dict, blank=True)
    margin_set = models.ForeignKey(
        "surveys.MarginSet", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["entity", "status"], name="survey_entity_status_idx")]
        verbose_name = "encuesta"

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _pick(self.title, self.languages) or self.code


def _pick(labels: dict, languages: list) -> str:
    for language in [*languages, "es", "en"]:
        if labels.get(language):
            return labels[language]
    return next(iter(labels.values()), "") if labels else ""


class Section(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=80)
    label = models.JSONField(default=dict, blank=True)
    relevant = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "name"], name="unique_survey_section")
        ]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Opción única")
        MULTIPLE = "multiple", _("Opción múltiple")
        SCALE = "scale", _("Escala")
        NUMBER = "number", _("Número")
        DATE = "date", _("Fecha")
        TEXT = "text", _("Texto")
        RANKING = "ranking", _("Ordenamiento")
        MATRIX = "matrix", _("Matriz")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()  # across the whole survey
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    label = models.JSONField(default=dict)
    hint = models.JSONField(default=dict, blank=True)
    required = models.BooleanField(default=False)
    relevant = models.CharField(max_length=500, blank=True)
    constraint = models.CharField(max_length=500, blank=True)
    constraint_message = models.JSONField(default=dict, blank=True)
    # number: integers only; scale: its step.
    integer = models.BooleanField(default=True)
    minimum = models.FloatField(null=True, blank=True)
    maximum = models.FloatField(null=True, blank=True)
    step = models.FloatField(null=True, blank=True)
    list_name = models.CharField(max_length=80, blank=True)
    # matrix: its rows [{"name": ..., "label": {...}}], each answered with one of the choices.
    rows = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "name"], name="unique_survey_question")
        ]

    def __str__(self) -> str:
        return self.name


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=80)
    label = models.JSONField(default=dict)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "name"], name="unique_question_choice")
        ]

    def __str__(self) -> str:
        return self.name


class Response(models.Model):
    class Status(models.TextChoices):
        PARTIAL = "partial", _("En curso")
        COMPLETE = "complete", _("Completa")
        STOPPED = "stopped", _("Detenida")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    channel = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PARTIAL)
    # Resumes a web or phone response (its link); never shown to anyone else.
    token = models.CharField(max_length=32, unique=True, default=_token)
    answers = models.JSONField(default=dict)
    language = models.CharField(max_length=8, default="es")
    department = models.CharField(max_length=2, blank=True)
    age_group = models.CharField(max_length=20, blank=True)
    sex = models.CharField(max_length=20, blank=True)
    weight = models.FloatField(null=True, blank=True)
    # Who answered (SMS, WhatsApp, USSD, an invitation) or who typed it (a phone interview):
    # personal data, never in results or open data.
    contact = models.ForeignKey(
        "contacts.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A channel's idempotency key (USSD session), unique per survey when set.
    key = models.CharField(max_length=160, null=True, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["survey", "status"], name="response_survey_status_idx"),
            # The indicators' refresh finds the responses completed since its last run.
            models.Index(fields=["updated_at"], name="response_updated_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["survey", "key"], name="unique_response_key")
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}#{self.pk}"

    def urna_entity_ids(self) -> set[int]:
        return {self.survey.entity_id}


class ChannelSession(models.Model):
    """A survey being answered one question a message (SMS, WhatsApp): which number, which
    response. One active session per channel and address; ``SALIR`` stops it."""

    channel = models.CharField(max_length=10)
    address = models.CharField(max_length=254)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="+")
    active = models.BooleanField(default=True)
    # The question last asked: an answer is for it.
    asked = models.CharField(max_length=80, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "address"],
                condition=models.Q(active=True),
                name="unique_active_survey_session",
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.response_id}"


class MarginSet(models.Model):
    """Population totals to weight to: one row per (dimension, category). Shipped (with its
    provenance) or uploaded by staff as CSV."""

    entity = models.ForeignKey(
        "entities.Entity", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=150)
    source = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Margin(models.Model):
    class Dimension(models.TextChoices):
        DEPARTMENT = "department", _("Departamento")
        AGE_GROUP = "age_group", _("Grupo de edad")
        SEX = "sex", _("Sexo")

    margin_set = models.ForeignKey(MarginSet, on_delete=models.CASCADE, related_name="margins")
    dimension = models.CharField(max_length=12, choices=Dimension.choices)
    category = models.CharField(max_length=20)
    population = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["dimension", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["margin_set", "dimension", "category"], name="unique_margin"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dimension}={self.category}"


class Quota(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="quotas")
    dimension = models.CharField(max_length=12, choices=Margin.Dimension.choices)
    category = models.CharField(max_length=20)
    target = models.PositiveIntegerField()

    class Meta:
        ordering = ["dimension", "category"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "dimension", "category"], name="unique_quota")
        ]

    def __str__(self) -> str:
        return f"{self.dimension}={self.category}: {self.target}"


class SurveyResult(models.Model):
    """The aggregates the results page reads: written by the ``surveys.results`` job."""

    survey = models.OneToOneField(Survey, on_delete=models.CASCADE, related_name="result")
    computed_at = models.DateTimeField()
    complete = models.PositiveIntegerField(default=0)
    weighted = models.PositiveIntegerField(default=0)  # complete responses with a weight
    deff = models.FloatField(null=True, blank=True)
    payload = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.survey_id} @ {self.computed_at:%Y-%m-%d %H:%M}"


class Invitation(models.Model):
    """A survey's invitation to the contacts who consented to surveys by one channel (in some
    departments, or all), sent as a messaging dispatch, with at most one reminder to those who
    have not completed it ``remind_after_days`` later."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    channel = models.CharField(max_length=10)
    departments = models.JSONField(default=list, blank=True)  # DIVIPOLA codes; [] = all
    dispatch = models.ForeignKey(
        "messaging.Dispatch", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited = models.PositiveIntegerField(default=0)
    remind_after_days = models.PositiveSmallIntegerField(default=0)  # 0: no reminder
    reminder = models.ForeignKey(
        "messaging.Dispatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminded = models.PositiveIntegerField(default=0)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.channel}"

    def urna_entity_ids(self) -> set[int]:
        return {self.survey.entity_id}
